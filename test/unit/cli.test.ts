import { describe, expect, it } from 'vitest';
import { CLI_OPTIONS, HELP_TEXT, parseCli, type CliCommand } from '../../src/cli.ts';
import { ENV_VAR_NAMES } from '../../src/config/env-schema.ts';

const SERVE_DEFAULTS = {
  kind: 'serve',
  routesPath: 'routes.yml',
  servicesPath: 'services.yml',
  port: 8080,
  adminPort: 8081,
  forwardAuthPort: 0,
  host: '0.0.0.0',
  adminHost: '0.0.0.0',
  adminToken: null,
  adminTokenFile: null,
  composeProject: null,
  stateUrl: null,
  logLevel: 'info',
  dockerHost: null,
  accessLog: false,
  drainTimeoutMs: 10_000,
  envDefaults: {},
  warnings: [],
} as const;

const VALIDATE_EXTRAS = { envDefaults: {}, warnings: [] } as const;

describe('parseCli', () => {
  it.each<[string, string[], NodeJS.ProcessEnv, CliCommand]>([
    ['serves with every default', [], {}, SERVE_DEFAULTS],
    ['accepts the explicit serve command', ['serve'], {}, SERVE_DEFAULTS],
    [
      'reads every serve flag',
      ['--routes', 'r.yml', '--services=s.yml', '--port', '9000', '--admin-port', '0', '--forward-auth-port', '9090', '--host', '127.0.0.1', '--log-level', 'debug', '--access-log'],
      {},
      { ...SERVE_DEFAULTS, routesPath: 'r.yml', servicesPath: 's.yml', port: 9000, adminPort: 0, forwardAuthPort: 9090, host: '127.0.0.1', adminHost: '127.0.0.1', logLevel: 'debug', accessLog: true },
    ],
    [
      'takes settings from the environment',
      [],
      { WAKE_PROXY_ROUTES: 'e-r.yml', WAKE_PROXY_SERVICES: 'e-s.yml', PORT: '7000', ADMIN_PORT: '7001', LOG_LEVEL: 'warn', DOCKER_HOST: 'tcp://127.0.0.1:2375' },
      { ...SERVE_DEFAULTS, routesPath: 'e-r.yml', servicesPath: 'e-s.yml', port: 7000, adminPort: 7001, logLevel: 'warn', dockerHost: 'tcp://127.0.0.1:2375' },
    ],
    [
      'reads where replicas share state from --state and WAKE_PROXY_STATE',
      ['--state', 'redis://127.0.0.1:6390/2'],
      { WAKE_PROXY_STATE: 'redis://other:6379' },
      { ...SERVE_DEFAULTS, stateUrl: 'redis://127.0.0.1:6390/2' },
    ],
    [
      'lets flags override the environment',
      ['--port', '9000', '--routes', 'flag.yml'],
      { PORT: '7000', WAKE_PROXY_ROUTES: 'env.yml' },
      { ...SERVE_DEFAULTS, port: 9000, routesPath: 'flag.yml' },
    ],
    [
      'lets a valid flag stand in for an invalid variable',
      ['--port', '9000'],
      { PORT: 'not-a-port' },
      { ...SERVE_DEFAULTS, port: 9000 },
    ],
    [
      'validates the given files',
      ['validate', '--routes', 'a.yml', '--services', 'b.yml'],
      {},
      { kind: 'validate', routesPath: 'a.yml', servicesPath: 'b.yml', logLevel: 'info', ...VALIDATE_EXTRAS },
    ],
    ['ignores port variables when validating', ['validate'], { PORT: 'x' }, { kind: 'validate', routesPath: 'routes.yml', servicesPath: 'services.yml', logLevel: 'info', ...VALIDATE_EXTRAS }],
    [
      'reads the admin and compose flags',
      ['--admin-host', '172.17.0.1', '--admin-token-file', '/run/secrets/t', '--compose-project', 'shop'],
      {},
      { ...SERVE_DEFAULTS, adminHost: '172.17.0.1', adminTokenFile: '/run/secrets/t', composeProject: 'shop' },
    ],
    [
      'takes the admin settings from the environment',
      [],
      { ADMIN_HOST: '127.0.0.1', WAKE_PROXY_ADMIN_TOKEN: 'a-long-enough-token-1', WAKE_PROXY_COMPOSE_PROJECT: 'shop' },
      { ...SERVE_DEFAULTS, adminHost: '127.0.0.1', adminToken: 'a-long-enough-token-1', composeProject: 'shop' },
    ],
    ['gives the admin API the proxy host by default', ['--host', '::'], {}, { ...SERVE_DEFAULTS, host: '::', adminHost: '::' }],
    [
      'ignores serve-only variables when validating',
      ['validate'],
      { WAKE_PROXY_ADMIN_TOKEN: 'short', ADMIN_PORT: 'x' },
      { kind: 'validate', routesPath: 'routes.yml', servicesPath: 'services.yml', logLevel: 'info', ...VALIDATE_EXTRAS },
    ],
    ['prints help for --help', ['--help'], {}, { kind: 'help', text: HELP_TEXT }],
    ['prints help for -h, whatever else is given', ['validate', '--port', '1', '-h'], {}, { kind: 'help', text: HELP_TEXT }],
    ['prints the version', ['--version'], {}, { kind: 'version' }],
    ['reads --drain-timeout', ['--drain-timeout', '25s'], {}, { ...SERVE_DEFAULTS, drainTimeoutMs: 25_000 }],
    ['reads DRAIN_TIMEOUT', [], { DRAIN_TIMEOUT: '500ms' }, { ...SERVE_DEFAULTS, drainTimeoutMs: 500 }],
    ['ignores DRAIN_TIMEOUT when validating', ['validate'], { DRAIN_TIMEOUT: 'x' }, { kind: 'validate', routesPath: 'routes.yml', servicesPath: 'services.yml', logLevel: 'info', ...VALIDATE_EXTRAS }],
  ])('%s', (_name, argv, env, expected) => {
    expect(parseCli(argv, env)).toEqual(expected);
  });

  it.each<[string, string[], NodeJS.ProcessEnv, string]>([
    ['an unknown flag', ['--bogus'], {}, 'unknown option --bogus'],
    ['an unknown short flag', ['-x'], {}, 'unknown option -x'],
    ['a flag missing its value', ['--port'], {}, "Option '--port <value>' argument missing"],
    ['an unknown command', ['start'], {}, 'unknown command "start"'],
    ['an extra argument', ['validate', 'extra'], {}, 'unexpected argument "extra"'],
    ['a serve-only flag on validate', ['validate', '--port', '9000'], {}, '--port is not used by validate'],
    ['an empty flag value', ['--host='], {}, '--host: must not be empty'],
    ['a bad port flag, named as the flag', ['--port', '99999'], {}, 'invalid settings:\n  --port: expected a port number 1-65535, got "99999"'],
    [
      'an admin token given twice',
      ['--admin-token-file', '/run/secrets/t'],
      { WAKE_PROXY_ADMIN_TOKEN: 'a-long-enough-token-1' },
      'WAKE_PROXY_ADMIN_TOKEN or --admin-token-file, not both',
    ],
    ['an admin flag on validate', ['validate', '--admin-host', '0.0.0.0'], {}, '--admin-host is not used by validate'],
    ['a bad variable, named as the variable', [], { LOG_LEVEL: 'loud' }, 'invalid settings:\n  LOG_LEVEL: expected one of'],
    ['a bad drain timeout', ['--drain-timeout', 'soon'], {}, 'invalid settings:\n  --drain-timeout: expected a duration'],
  ])('refuses %s with a usage error', (_name, argv, env, message) => {
    const command = parseCli(argv, env);
    expect(command.kind).toBe('usage-error');
    expect(command.kind === 'usage-error' ? command.message : '').toContain(message);
    expect(command.kind === 'usage-error' ? command.message : '').toContain('wake-proxy --help');
  });
});

describe('HELP_TEXT', () => {
  const longFlags = new Set([...HELP_TEXT.matchAll(/(?<![\w-])--([a-z][a-z-]*)/g)].map((m) => m[1]));
  const shortFlags = new Set([...HELP_TEXT.matchAll(/(?<![\w-])-([a-zA-Z])\b/g)].map((m) => m[1]));
  /** All-caps words in the help that are not environment variables. */
  const PLAIN_WORDS = new Set(['API', 'JSON', 'POST', 'SIGTERM', 'SIGINT', 'SIGHUP']);
  const envNames = new Set([...HELP_TEXT.matchAll(/\b[A-Z][A-Z0-9_]{2,}\b/g)].map((m) => m[0]).filter((w) => !PLAIN_WORDS.has(w)));

  it('lists every flag the parser accepts, and no other', () => {
    expect([...longFlags].sort()).toEqual(Object.keys(CLI_OPTIONS).sort());
  });

  it('lists every short flag the parser accepts, and no other', () => {
    const shorts = Object.values(CLI_OPTIONS).flatMap((o) => ('short' in o ? [o.short] : []));
    expect([...shortFlags].sort()).toEqual(shorts.sort());
  });

  it('lists every environment variable wake-proxy reads, and no other', () => {
    expect([...envNames].sort()).toEqual([...ENV_VAR_NAMES].sort());
  });

  it('names every command and the defaults', () => {
    for (const text of ['wake-proxy [serve]', 'wake-proxy validate', 'wake-proxy schema routes', 'wake-proxy schema services', 'default routes.yml', 'default services.yml', 'default 8080', 'default 8081', 'default 0.0.0.0', 'default info']) {
      expect(HELP_TEXT).toContain(text);
    }
  });
});

describe('parseCli: schema', () => {
  it.each<[string[], CliCommand]>([
    [['schema', 'routes'], { kind: 'schema', file: 'routes' }],
    [['schema', 'services'], { kind: 'schema', file: 'services' }],
  ])('%j', (argv, expected) => {
    expect(parseCli(argv, { PORT: 'not-a-port' })).toEqual(expected);
  });

  it.each([
    [['schema'], 'schema needs a file: routes or services'],
    [['schema', 'route'], 'unknown schema "route": expected routes or services'],
    [['schema', 'routes', 'services'], 'unexpected argument "services"'],
    [['schema', 'routes', '--port', '1'], '--port is not used by schema'],
  ])('refuses %j', (argv, message) => {
    const command = parseCli(argv, {});
    expect(command.kind === 'usage-error' ? command.message : command.kind).toContain(message);
  });
});
