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
import { PositiveDurationSchema } from './duration.ts';
import { friendlyIssueMessage } from './issue-messages.ts';

/**
 * The health_check field CONTAINER_HEALTH_CHECK_INTERVAL sets (the seed's "health check interval in
 * seconds"). service-defaults.ts maps it only when the health_check schema has this field;
 * otherwise the variable is read, validated and reported as having no effect (a warning).
 */
export const HEALTH_CHECK_INTERVAL_FIELD = 'interval';

/** Defaults shared with the CLI's help text. */
export const ENV_DEFAULTS = {
  routesPath: 'routes.yml',
  servicesPath: 'services.yml',
  port: 8080,
  adminPort: 8081,
  logLevel: 'info',
  /**
   * 10 s: `docker stop`'s default grace. The drain ends as soon as the last response does; only
   * requests longer than this are cut. Give the stopper a few seconds more (the compose example
   * sets stop_grace_period: 15s) so the exit beats its SIGKILL.
   */
  drainTimeoutMs: 10_000,
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

/**
 * Where replicas share state: `redis://[user:password@]host[:port][/db]` (or `rediss://` for TLS).
 * Redis or Valkey; unset means in memory, one process.
 */
export const StateUrlSchema = z.string().transform((text, ctx) => {
  const trimmed = text.trim();
  let url: URL | null = null;
  try {
    url = new URL(trimmed);
  } catch {
    url = null;
  }
  const dbOk = url !== null && /^\/?(\d{1,2})?$/.test(url.pathname);
  if (url === null || (url.protocol !== 'redis:' && url.protocol !== 'rediss:') || url.hostname === '' || !dbOk) {
    ctx.addIssue({ code: 'custom', message: `expected redis://host:port/db (Redis or Valkey), got ${JSON.stringify(url ? trimmed.replace(/\/\/[^@/]*@/, '//***@') : trimmed)}` });
    return z.NEVER;
  }
  return trimmed;
});

/** Compose's rule for project names (it lower-cases them itself). */
const COMPOSE_PROJECT = /^[a-z0-9][a-z0-9_-]*$/;

/** A compose project name. */
export const ComposeProjectSchema = z
  .string()
  .regex(COMPOSE_PROJECT, { error: (i) => `expected a compose project name (a-z, 0-9, "_", "-"), got ${JSON.stringify(i.input)}` });

const BOOLEAN_WORDS: Readonly<Record<string, boolean>> = { true: true, yes: true, on: true, '1': true, false: false, no: false, off: false, '0': false };

const booleanSchema = z.string().transform((text, ctx) => {
  const value = BOOLEAN_WORDS[text.trim().toLowerCase()];
  if (value === undefined) {
    ctx.addIssue({ code: 'custom', message: `expected true or false, got ${JSON.stringify(text)}` });
    return z.NEVER;
  }
  return value;
});

/** A number in the seed's unit (minutes or seconds) → a raw duration string in ms, bounded like any duration. */
function durationIn(unit: 'minutes' | 'seconds') {
  const unitMs = unit === 'minutes' ? 60_000 : 1000;
  return z.string().transform((text, ctx) => {
    const trimmed = text.trim();
    if (!/^\d+(\.\d+)?$/.test(trimmed)) {
      ctx.addIssue({ code: 'custom', message: `expected a number of ${unit}, got ${JSON.stringify(text)}` });
      return z.NEVER;
    }
    const raw = `${Math.round(Number(trimmed) * unitMs)}ms`;
    const checked = PositiveDurationSchema.safeParse(raw);
    if (!checked.success) {
      const reason = (checked.error.issues[0]?.message ?? '').replace(/, got .*$/, '');
      ctx.addIssue({ code: 'custom', message: `${reason.replace(/^expected a duration/, `expected a number of ${unit}`)}, got ${JSON.stringify(text)}` });
      return z.NEVER;
    }
    return raw;
  });
}

/** The seed's CONTAINER_* variables (container-auto-start-stop.md), in its units. */
const ContainerDefaultsShape = {
  CONTAINER_AUTO_START: booleanSchema.optional().describe('auto_start of every service (wake it when the proxy starts).'),
  CONTAINER_AUTO_STOP: booleanSchema.optional().describe('sleep_policy.enabled of every service.'),
  CONTAINER_IDLE_TIMEOUT: durationIn('minutes').optional().describe('sleep_policy.idle_timeout of priority normal, in minutes.'),
  CONTAINER_LOW_IDLE_TIMEOUT: durationIn('minutes').optional().describe('sleep_policy.idle_timeout of priority low, in minutes.'),
  CONTAINER_HIGH_IDLE_TIMEOUT: durationIn('minutes')
    .optional()
    .describe('The seed\'s high-priority idle timeout, in minutes: no effect, priority high never sleeps (a warning says so).'),
  CONTAINER_STARTUP_TIMEOUT: durationIn('seconds').optional().describe('health_check.timeout of every service, in seconds.'),
  CONTAINER_HEALTH_CHECK_INTERVAL: durationIn('seconds').optional().describe(`health_check.${HEALTH_CHECK_INTERVAL_FIELD} of every service, in seconds.`),
} as const;

/** The CONTAINER_* values, parsed (durations as raw strings in ms); service-defaults.ts maps them. */
export type ContainerDefaults = { readonly [K in keyof typeof ContainerDefaultsShape]?: z.output<(typeof ContainerDefaultsShape)[K]> };

function pickContainerDefaults(e: ContainerDefaults): ContainerDefaults {
  const picked: Partial<Record<keyof ContainerDefaults, unknown>> = {};
  for (const name of Object.keys(ContainerDefaultsShape) as (keyof ContainerDefaults)[]) {
    if (e[name] !== undefined) picked[name] = e[name];
  }
  return picked as ContainerDefaults;
}

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
    WAKE_PROXY_STATE: StateUrlSchema.optional().describe(
      'Where replicas share state: redis://host:port/db (Redis or Valkey); default in memory (one process).',
    ),
    ...ContainerDefaultsShape,
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
    stateUrl: e.WAKE_PROXY_STATE ?? null,
    containerDefaults: pickContainerDefaults(e),
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
