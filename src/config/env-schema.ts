/**
 * Environment variables wake-proxy reads. This is the only module that interprets the
 * environment; it is handed the variables as a parameter (main passes the process's), so nothing
 * reads the environment behind anyone's back and tests pass plain objects.
 * Policy: an empty variable counts as unset; a bad value is an error, never silently defaulted.
 */
import { z } from 'zod';
import { ConfigError } from '../errors.ts';
import { LOG_LEVELS } from '../logging/logger.ts';
import { parseDurationMs } from './duration.ts';
import { friendlyIssueMessage } from './issue-messages.ts';

/** Defaults shared with the CLI's help text. */
export const ENV_DEFAULTS = {
  routesPath: 'routes.yml',
  servicesPath: 'services.yml',
  port: 8080,
  adminPort: 8081,
  logLevel: 'info',
  /** 9 s: one second inside `docker stop`'s default 10 s grace, so the exit beats its SIGKILL. */
  drainTimeoutMs: 9_000,
} as const;

/**
 * Upper bound of DRAIN_TIMEOUT: setTimeout's limit (2^31-1 ms, ~24.8 days); longer would fire at
 * once. A real grace period is minutes at most.
 */
const MAX_DRAIN_TIMEOUT_MS = 2_147_483_647;

const drainTimeoutSchema = z.string().transform((text, ctx) => {
  const ms = parseDurationMs(text);
  if (ms === null || ms > MAX_DRAIN_TIMEOUT_MS) {
    ctx.addIssue({ code: 'custom', message: `expected a duration like "9s", "30s" or "500ms", got ${JSON.stringify(text)}` });
    return z.NEVER;
  }
  return ms;
});

function portSchema(min: 0 | 1) {
  return z.string().transform((text, ctx) => {
    const port = Number(text.trim());
    if (!/^\d+$/.test(text.trim()) || port < min || port > 65535) {
      ctx.addIssue({ code: 'custom', message: `expected a port number ${min}-65535, got ${JSON.stringify(text)}` });
      return z.NEVER;
    }
    return port;
  });
}

/** Shortest admin token accepted: a guessable token is no protection. */
export const MIN_ADMIN_TOKEN_LENGTH = 16;

/** An admin token: printable, no whitespace, long enough. Messages never show the value. */
export const AdminTokenSchema = z.string().superRefine((token, ctx) => {
  if (token.length < MIN_ADMIN_TOKEN_LENGTH || !/^[\x21-\x7e]+$/.test(token)) {
    ctx.addIssue({
      code: 'custom',
      message: `expected at least ${MIN_ADMIN_TOKEN_LENGTH} printable characters without spaces (value not shown)`,
    });
  }
});

/** Compose's rule for project names (it lower-cases them itself). */
const COMPOSE_PROJECT = /^[a-z0-9][a-z0-9_-]*$/;

/** A compose project name. */
export const ComposeProjectSchema = z
  .string()
  .regex(COMPOSE_PROJECT, { error: (i) => `expected a compose project name (a-z, 0-9, "_", "-"), got ${JSON.stringify(i.input)}` });

/** The variables, their defaults and descriptions (the help text lists the same names). */
export const EnvSchema = z
  .object({
    WAKE_PROXY_ROUTES: z.string().default(ENV_DEFAULTS.routesPath).describe('Path of routes.yml.'),
    WAKE_PROXY_SERVICES: z.string().default(ENV_DEFAULTS.servicesPath).describe('Path of services.yml.'),
    PORT: portSchema(1).default(ENV_DEFAULTS.port).describe('Port of the proxy listener.'),
    ADMIN_PORT: portSchema(0).default(ENV_DEFAULTS.adminPort).describe('Port of the admin API; 0 disables it.'),
    FORWARD_AUTH_PORT: portSchema(0).default(0).describe('Port of the forward-auth wake check for a front proxy; 0 (default) disables it.'),
    LOG_LEVEL: z
      .string()
      .transform((s) => s.trim().toLowerCase())
      .pipe(z.enum(LOG_LEVELS))
      .default(ENV_DEFAULTS.logLevel)
      .describe('Log level.'),
    DRAIN_TIMEOUT: drainTimeoutSchema
      .default(ENV_DEFAULTS.drainTimeoutMs)
      .describe('On SIGTERM/SIGINT, how long held and in-flight requests may take before they are cut.'),
    DOCKER_HOST: z.string().optional().describe('Docker engine address; default the local socket.'),
    ADMIN_HOST: z.string().optional().describe('Listen address of the admin API; default the proxy\'s --host.'),
    WAKE_PROXY_ADMIN_TOKEN: AdminTokenSchema.optional().describe('Bearer token non-loopback admin clients must send.'),
    WAKE_PROXY_ADMIN_TOKEN_FILE: z.string().optional().describe('File holding the admin token (Docker secrets).'),
    WAKE_PROXY_COMPOSE_PROJECT: ComposeProjectSchema.optional().describe(
      'Compose project whose services container references mean; default the proxy\'s own.',
    ),
  })
  .transform((e) => ({
    routesPath: e.WAKE_PROXY_ROUTES,
    servicesPath: e.WAKE_PROXY_SERVICES,
    port: e.PORT,
    adminPort: e.ADMIN_PORT,
    forwardAuthPort: e.FORWARD_AUTH_PORT,
    logLevel: e.LOG_LEVEL,
    drainTimeoutMs: e.DRAIN_TIMEOUT,
    dockerHost: e.DOCKER_HOST ?? null,
    adminHost: e.ADMIN_HOST?.trim() ?? null,
    adminToken: e.WAKE_PROXY_ADMIN_TOKEN ?? null,
    adminTokenFile: e.WAKE_PROXY_ADMIN_TOKEN_FILE ?? null,
    composeProject: e.WAKE_PROXY_COMPOSE_PROJECT ?? null,
  }));

/** Settings read from the environment, with defaults applied. */
export type EnvSettings = z.output<typeof EnvSchema>;

/** Every variable name wake-proxy reads. */
export const ENV_VAR_NAMES = Object.keys(EnvSchema.def.in.shape) as readonly (keyof typeof EnvSchema.def.in.shape)[];

/** One of ENV_VAR_NAMES. */
export type EnvVarName = (typeof ENV_VAR_NAMES)[number];

/**
 * Reads wake-proxy's variables from `env`; other variables are ignored.
 * `labels` renames a variable in messages (the CLI passes `{ PORT: '--port' }` when a flag set it).
 * Throws ConfigError listing every bad value.
 */
export function readEnv(env: NodeJS.ProcessEnv, labels: Partial<Record<EnvVarName, string>> = {}): EnvSettings {
  const picked: Partial<Record<EnvVarName, string>> = {};
  for (const name of ENV_VAR_NAMES) {
    const value = env[name];
    if (value !== undefined && value.trim() !== '') picked[name] = value;
  }
  const result = EnvSchema.safeParse(picked, { error: friendlyIssueMessage });
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? '');
      return `${labels[name as EnvVarName] ?? name}: ${issue.message}`;
    }),
  );
}
