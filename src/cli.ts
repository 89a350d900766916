/**
 * Command-line parsing: argv + environment → one CliCommand. Parsing only: it never prints,
 * exits or loads config; main.ts acts on the result and picks exit codes.
 * Policy: a flag overrides its environment variable, which overrides the default; anything
 * unknown or misplaced is a usage error, never ignored.
 */
import { parseArgs } from 'node:util';
import { ENV_DEFAULTS, readEnv, type EnvVarName } from './config/env-schema.ts';
import { SCHEMA_FILES, type SchemaFile } from './config/json-schema.ts';
import { envServiceDefaults, type EnvServiceDefaults } from './config/service-defaults.ts';
import { ConfigError } from './errors.ts';
import type { LogLevel } from './logging/logger.ts';

/** Default listen address of the proxy. */
export const DEFAULT_HOST = '0.0.0.0';

/** Every flag wake-proxy accepts (HELP_TEXT lists exactly these; a test checks it). */
export const CLI_OPTIONS = {
  routes: { type: 'string' },
  services: { type: 'string' },
  port: { type: 'string' },
  'admin-port': { type: 'string' },
  'forward-auth-port': { type: 'string' },
  host: { type: 'string' },
  'admin-host': { type: 'string' },
  'admin-token-file': { type: 'string' },
  'compose-project': { type: 'string' },
  'log-level': { type: 'string' },
  'drain-timeout': { type: 'string' },
  state: { type: 'string' },
  'access-log': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const;

/** The usage text printed by --help. */
export const HELP_TEXT = `Usage:
  wake-proxy [serve] [options]    run the proxy
  wake-proxy validate [options]   check both config files, print every problem, exit 0 or 1
  wake-proxy schema routes        print the JSON Schema of routes.yml (for editors: yaml-language-server)
  wake-proxy schema services      print the JSON Schema of services.yml
  wake-proxy --help, -h           print this help
  wake-proxy --version            print the version

Options (a flag overrides its environment variable, which overrides the default):
  --routes <file>        routes file (env WAKE_PROXY_ROUTES, default ${ENV_DEFAULTS.routesPath})
  --services <file>      services file (env WAKE_PROXY_SERVICES, default ${ENV_DEFAULTS.servicesPath})
  --port <port>          proxy port (env PORT, default ${ENV_DEFAULTS.port}); serve only
  --admin-port <port>    admin API port, 0 disables it (env ADMIN_PORT, default ${ENV_DEFAULTS.adminPort}); serve only
  --host <address>       listen address of the proxy (default ${DEFAULT_HOST}); serve only
  --forward-auth-port <port>
                         forward-auth wake check for Traefik, Caddy or nginx in front, 0 disables it
                         (env FORWARD_AUTH_PORT, default 0: off); serve only
  --admin-host <address> listen address of the admin API (env ADMIN_HOST, default the --host value); serve only
  --admin-token-file <file>
                         file holding the admin bearer token, e.g. a Docker secret
                         (env WAKE_PROXY_ADMIN_TOKEN_FILE); serve only
  --compose-project <name>
                         compose project whose services container references mean
                         (env WAKE_PROXY_COMPOSE_PROJECT, default the proxy's own project); serve only
  --drain-timeout <time> on shutdown, how long held and in-flight requests may take before they are cut,
                         e.g. 25s or 500ms (env DRAIN_TIMEOUT, default ${ENV_DEFAULTS.drainTimeoutMs / 1000}s; keep it below the stop
                         grace period of Docker or Kubernetes); serve only
  --state <url>          share state between replicas behind one load balancer: redis://host:port/db
                         (Redis or Valkey; env WAKE_PROXY_STATE, default in memory: one process); serve only
  --log-level <level>    fatal, error, warn, info, debug, trace or silent (env LOG_LEVEL, default ${ENV_DEFAULTS.logLevel})
  --access-log           one info line per request: service, status, durationMs, wakeMs; serve only

Environment:
  DOCKER_HOST            Docker engine address (default: the local socket /var/run/docker.sock)
  WAKE_PROXY_ADMIN_TOKEN bearer token admin clients not on loopback must send (at least 16
                         characters); without a token the admin API answers loopback clients only

Service defaults from the environment (the seed's variables and units; below services.yml's
defaults: block, which is below each service's own values):
  CONTAINER_AUTO_START             auto_start of every service: true or false
  CONTAINER_AUTO_STOP              sleep_policy.enabled of every service: true or false
  CONTAINER_IDLE_TIMEOUT           idle_timeout of priority normal, in minutes
  CONTAINER_LOW_IDLE_TIMEOUT       idle_timeout of priority low, in minutes
  CONTAINER_HIGH_IDLE_TIMEOUT      no effect (priority high never sleeps); a warning says so
  CONTAINER_STARTUP_TIMEOUT        health_check.timeout of every service, in seconds
  CONTAINER_HEALTH_CHECK_INTERVAL  health_check.interval of every service, in seconds

Signals (serve):
  SIGTERM, SIGINT        drain and stop
  SIGHUP                 reload both files (also on a change to either file, and POST /config/reload)
`;

/** `serve`: run the proxy with these settings. */
export interface ServeCommand {
  readonly kind: 'serve';
  readonly routesPath: string;
  readonly servicesPath: string;
  readonly port: number;
  readonly adminPort: number;
  /** 0 when the forward-auth listener is off. */
  readonly forwardAuthPort: number;
  readonly host: string;
  readonly adminHost: string;
  /** The admin token given in the environment; null when none (or when it comes from a file). */
  readonly adminToken: string | null;
  /** File to read the admin token from; null when none. */
  readonly adminTokenFile: string | null;
  readonly composeProject: string | null;
  /** Where replicas share state (`redis://…`); null: in memory, one process. */
  readonly stateUrl: string | null;
  /** How long close() lets held and in-flight requests finish on SIGTERM/SIGINT. */
  readonly drainTimeoutMs: number;
  readonly logLevel: LogLevel;
  readonly dockerHost: string | null;
  /** One info log line per request. */
  readonly accessLog: boolean;
  /** Service defaults from the CONTAINER_* variables. */
  readonly envDefaults: EnvServiceDefaults;
  /** Settings read but without effect, for the user to see. */
  readonly warnings: readonly string[];
}

/** `validate`: load both files, report, exit. */
export interface ValidateCommand {
  readonly kind: 'validate';
  readonly routesPath: string;
  readonly servicesPath: string;
  readonly logLevel: LogLevel;
  readonly envDefaults: EnvServiceDefaults;
  readonly warnings: readonly string[];
}

/** `schema`: print the JSON Schema of one config file. */
export interface SchemaCommand {
  readonly kind: 'schema';
  readonly file: SchemaFile;
}

/** What the command line asks for. `usage-error` carries a message for stderr. */
export type CliCommand =
  | ServeCommand
  | ValidateCommand
  | SchemaCommand
  | { readonly kind: 'help'; readonly text: string }
  | { readonly kind: 'version' }
  | { readonly kind: 'usage-error'; readonly message: string };

type FlagValues = Partial<Record<keyof typeof CLI_OPTIONS, string | boolean>>;

const FLAG_FOR_ENV = {
  WAKE_PROXY_ROUTES: 'routes',
  WAKE_PROXY_SERVICES: 'services',
  PORT: 'port',
  ADMIN_PORT: 'admin-port',
  FORWARD_AUTH_PORT: 'forward-auth-port',
  LOG_LEVEL: 'log-level',
  DRAIN_TIMEOUT: 'drain-timeout',
  ADMIN_HOST: 'admin-host',
  WAKE_PROXY_ADMIN_TOKEN_FILE: 'admin-token-file',
  WAKE_PROXY_COMPOSE_PROJECT: 'compose-project',
  WAKE_PROXY_STATE: 'state',
} as const satisfies Partial<Record<EnvVarName, keyof typeof CLI_OPTIONS>>;

const SERVE_ONLY = ['port', 'admin-port', 'forward-auth-port', 'host', 'admin-host', 'admin-token-file', 'compose-project', 'access-log', 'drain-timeout', 'state'] as const;
/** Variables only `serve` uses: `validate` ignores them, so a bad one cannot fail a validation. */
const SERVE_ONLY_ENV = [
  'PORT',
  'ADMIN_PORT',
  'FORWARD_AUTH_PORT',
  'ADMIN_HOST',
  'WAKE_PROXY_ADMIN_TOKEN',
  'WAKE_PROXY_ADMIN_TOKEN_FILE',
  'WAKE_PROXY_COMPOSE_PROJECT',
  'DRAIN_TIMEOUT',
  'WAKE_PROXY_STATE',
] as const satisfies readonly EnvVarName[];

function usageError(message: string): CliCommand {
  return { kind: 'usage-error', message: `${message}\nRun "wake-proxy --help" for usage.` };
}

function parseFlags(argv: readonly string[]): { values: FlagValues; positionals: string[] } | string {
  try {
    return parseArgs({ args: [...argv], options: CLI_OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const unknown = /^Unknown option '([^']+)'/.exec(message);
    return unknown ? `unknown option ${unknown[1]}` : (message.split('. ')[0] ?? message);
  }
}

/** Applies flags over the environment; returns the merged settings or a usage error message. */
function mergeSettings(values: FlagValues, env: NodeJS.ProcessEnv, command: 'serve' | 'validate') {
  const merged: NodeJS.ProcessEnv = { ...env };
  const labels: Partial<Record<EnvVarName, string>> = {};
  for (const [name, flag] of Object.entries(FLAG_FOR_ENV) as [EnvVarName, keyof typeof CLI_OPTIONS][]) {
    const value = values[flag];
    if (typeof value === 'string') {
      merged[name] = value;
      labels[name] = `--${flag}`;
    }
  }
  if (command === 'validate') for (const name of SERVE_ONLY_ENV) delete merged[name];
  try {
    return readEnv(merged, labels);
  } catch (err) {
    if (err instanceof ConfigError) return `invalid settings:\n  ${err.issues.join('\n  ')}`;
    throw err;
  }
}

function isSchemaFile(name: string | undefined): name is SchemaFile {
  return (SCHEMA_FILES as readonly (string | undefined)[]).includes(name);
}

/** `schema <file>`: exactly one file name and no flag (the schema does not depend on any setting). */
function parseSchemaCommand(values: FlagValues, args: readonly string[]): CliCommand {
  const choices = SCHEMA_FILES.join(' or ');
  const flag = Object.keys(values)[0];
  if (flag !== undefined) return usageError(`--${flag} is not used by schema`);
  if (args.length > 1) return usageError(`unexpected argument "${args[1]}"`);
  const file = args[0];
  if (file === undefined) return usageError(`schema needs a file: ${choices}`);
  if (!isSchemaFile(file)) return usageError(`unknown schema "${file}": expected ${choices}`);
  return { kind: 'schema', file };
}

/** Parses argv (without node and script) with `env` for defaults. Never throws for user input. */
export function parseCli(argv: readonly string[], env: NodeJS.ProcessEnv): CliCommand {
  const parsed = parseFlags(argv);
  if (typeof parsed === 'string') return usageError(parsed);
  const { values, positionals } = parsed;
  if (values.help === true) return { kind: 'help', text: HELP_TEXT };
  if (values.version === true) return { kind: 'version' };
  if (positionals[0] === 'schema') return parseSchemaCommand(values, positionals.slice(1));
  if (positionals.length > 1) return usageError(`unexpected argument "${positionals[1]}"`);
  const command = positionals[0] ?? 'serve';
  if (command !== 'serve' && command !== 'validate') return usageError(`unknown command "${command}"`);
  if (command === 'validate') {
    const misplaced = SERVE_ONLY.find((flag) => values[flag] !== undefined);
    if (misplaced !== undefined) return usageError(`--${misplaced} is not used by validate`);
  }
  const empty = Object.entries(values).find(([, value]) => typeof value === 'string' && value.trim() === '');
  if (empty !== undefined) return usageError(`--${empty[0]}: must not be empty`);
  const host = typeof values.host === 'string' ? values.host.trim() : DEFAULT_HOST;
  const settings = mergeSettings(values, env, command);
  if (typeof settings === 'string') return usageError(settings);
  const { routesPath, servicesPath, logLevel } = settings;
  const { defaults: envDefaults, warnings } = envServiceDefaults(settings.containerDefaults);
  if (command === 'validate') return { kind: 'validate', routesPath, servicesPath, logLevel, envDefaults, warnings };
  const { port, adminPort, forwardAuthPort, dockerHost, adminToken, adminTokenFile, composeProject, drainTimeoutMs, stateUrl } = settings;
  const accessLog = values['access-log'] === true;
  if (adminToken !== null && adminTokenFile !== null) {
    return usageError('set the admin token once: WAKE_PROXY_ADMIN_TOKEN or --admin-token-file, not both');
  }
  const adminHost = settings.adminHost || host;
  return {
    kind: 'serve',
    routesPath,
    servicesPath,
    port,
    adminPort,
    forwardAuthPort,
    host,
    adminHost,
    adminToken,
    adminTokenFile,
    composeProject,
    stateUrl,
    logLevel,
    dockerHost,
    accessLog,
    drainTimeoutMs,
    envDefaults,
    warnings,
  };
}
