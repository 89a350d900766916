import { describe, expect, it } from 'vitest';
import { ENV_VAR_NAMES, HEALTH_CHECK_INTERVAL_FIELD, readEnv } from '../../../src/config/env-schema.ts';
import { envServiceDefaults } from '../../../src/config/service-defaults.ts';
import { ConfigError } from '../../../src/errors.ts';

function issuesOf(run: () => unknown): readonly string[] {
  try {
    run();
  } catch (err) {
    if (err instanceof ConfigError) return err.issues;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('readEnv', () => {
  it('applies every default when nothing is set', () => {
    expect(readEnv({})).toEqual({
      routesPath: 'routes.yml',
      servicesPath: 'services.yml',
      port: 8080,
      adminPort: 8081,
      forwardAuthPort: 0,
      logLevel: 'info',
      drainTimeoutMs: 10_000,
      dockerHost: null,
      adminHost: null,
      adminToken: null,
      adminTokenFile: null,
      composeProject: null,
      stateUrl: null,
      containerDefaults: {},
    });
  });

  it('reads every variable', () => {
    const env = {
      WAKE_PROXY_ROUTES: '/etc/wp/routes.yml',
      WAKE_PROXY_SERVICES: '/etc/wp/services.yml',
      PORT: '80',
      ADMIN_PORT: '0',
      FORWARD_AUTH_PORT: '9090',
      LOG_LEVEL: 'DEBUG',
      DOCKER_HOST: 'tcp://127.0.0.1:2375',
      ADMIN_HOST: '172.17.0.1',
      WAKE_PROXY_ADMIN_TOKEN: 's3cret-token-0123456789',
      WAKE_PROXY_ADMIN_TOKEN_FILE: '/run/secrets/admin',
      WAKE_PROXY_COMPOSE_PROJECT: 'shop',
      WAKE_PROXY_STATE: 'redis://:secret@redis.internal:6379/3',
      DRAIN_TIMEOUT: '1m',
    };
    expect(readEnv(env)).toEqual({
      routesPath: '/etc/wp/routes.yml',
      servicesPath: '/etc/wp/services.yml',
      port: 80,
      adminPort: 0,
      forwardAuthPort: 9090,
      logLevel: 'debug',
      drainTimeoutMs: 60_000,
      dockerHost: 'tcp://127.0.0.1:2375',
      adminHost: '172.17.0.1',
      adminToken: 's3cret-token-0123456789',
      adminTokenFile: '/run/secrets/admin',
      composeProject: 'shop',
      stateUrl: 'redis://:secret@redis.internal:6379/3',
      containerDefaults: {},
    });
  });

  it('refuses a short admin token without showing it', () => {
    const issues = issuesOf(() => readEnv({ WAKE_PROXY_ADMIN_TOKEN: 'hunter2' }));
    expect(issues).toEqual([expect.stringContaining('WAKE_PROXY_ADMIN_TOKEN: expected at least 16 printable characters')]);
    expect(issues.join('\n')).not.toContain('hunter2');
  });

  it('refuses a compose project name compose would not make', () => {
    expect(issuesOf(() => readEnv({ WAKE_PROXY_COMPOSE_PROJECT: 'My Shop' }))).toEqual([
      'WAKE_PROXY_COMPOSE_PROJECT: expected a compose project name (a-z, 0-9, "_", "-"), got "My Shop"',
    ]);
  });

  it.each(['http://redis:6379', 'redis://', 'redis://host:6379/not-a-db', 'host:6379'])('refuses %s as the shared state', (url) => {
    const [issue] = issuesOf(() => readEnv({ WAKE_PROXY_STATE: url }));
    expect(issue).toMatch(/^WAKE_PROXY_STATE: expected redis:\/\/host:port\/db/);
  });

  it('never shows the password of a refused state URL', () => {
    expect(issuesOf(() => readEnv({ WAKE_PROXY_STATE: 'redis://:secret@host:6379/x' })).join()).not.toContain('secret');
  });

  it('treats empty variables as unset and ignores unrelated ones', () => {
    expect(readEnv({ PORT: '', LOG_LEVEL: '  ', HOME: '/root' })).toMatchObject({ port: 8080, logLevel: 'info' });
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT: expected a port number 1-65535, got "abc"'],
    [{ PORT: '0' }, 'PORT: expected a port number 1-65535, got "0"'],
    [{ PORT: '65536' }, 'PORT: expected a port number 1-65535, got "65536"'],
    [{ ADMIN_PORT: '-1' }, 'ADMIN_PORT: expected a port number 0-65535, got "-1"'],
    [{ LOG_LEVEL: 'verbose' }, 'LOG_LEVEL: expected one of "fatal", "error", "warn", "info", "debug", "trace", "silent", got "verbose"'],
  ])('rejects %j', (env, line) => {
    expect(issuesOf(() => readEnv(env))).toEqual([line]);
  });

  it('reports every bad variable at once, renamed by the labels given', () => {
    expect(issuesOf(() => readEnv({ PORT: 'x', ADMIN_PORT: 'y' }, { PORT: '--port' }))).toEqual([
      '--port: expected a port number 1-65535, got "x"',
      'ADMIN_PORT: expected a port number 0-65535, got "y"',
    ]);
  });

  it('lists the variable names it reads', () => {
    expect([...ENV_VAR_NAMES].sort()).toEqual([
      'ADMIN_HOST',
      'ADMIN_PORT',
      'CONTAINER_AUTO_START',
      'CONTAINER_AUTO_STOP',
      'CONTAINER_HEALTH_CHECK_INTERVAL',
      'CONTAINER_HIGH_IDLE_TIMEOUT',
      'CONTAINER_IDLE_TIMEOUT',
      'CONTAINER_LOW_IDLE_TIMEOUT',
      'CONTAINER_STARTUP_TIMEOUT',
      'DOCKER_HOST',
      'DRAIN_TIMEOUT',
      'FORWARD_AUTH_PORT',
      'LOG_LEVEL',
      'PORT',
      'WAKE_PROXY_ADMIN_TOKEN',
      'WAKE_PROXY_ADMIN_TOKEN_FILE',
      'WAKE_PROXY_COMPOSE_PROJECT',
      'WAKE_PROXY_ROUTES',
      'WAKE_PROXY_SERVICES',
      'WAKE_PROXY_STATE',
    ]);
  });
});

/** readEnv, then the mapping onto service defaults, as the CLI does it. */
function fromEnv(env: NodeJS.ProcessEnv) {
  return envServiceDefaults(readEnv(env).containerDefaults);
}

describe("readEnv: the seed's CONTAINER_* variables, in the seed's units (issue 14 item 7)", () => {
  it.each([
    [{ CONTAINER_AUTO_START: 'true' }, { auto_start: true }],
    [{ CONTAINER_AUTO_START: 'No' }, { auto_start: false }],
    [{ CONTAINER_AUTO_STOP: 'false' }, { sleep_policy: { enabled: false } }],
    [{ CONTAINER_AUTO_STOP: '1' }, { sleep_policy: { enabled: true } }],
    [{ CONTAINER_IDLE_TIMEOUT: '30' }, { idle_timeout_by_priority: { normal: '1800000ms' } }],
    [{ CONTAINER_LOW_IDLE_TIMEOUT: '0.5' }, { idle_timeout_by_priority: { low: '30000ms' } }],
    [{ CONTAINER_IDLE_TIMEOUT: '30', CONTAINER_LOW_IDLE_TIMEOUT: '10' }, { idle_timeout_by_priority: { normal: '1800000ms', low: '600000ms' } }],
    [{ CONTAINER_STARTUP_TIMEOUT: '60' }, { health_check: { timeout: '60000ms' } }],
    [{ CONTAINER_STARTUP_TIMEOUT: '' }, {}],
  ])('maps %j onto %j', (env, defaults) => {
    expect(fromEnv(env).defaults).toEqual(defaults);
  });

  it('reads CONTAINER_HIGH_IDLE_TIMEOUT and says it has no effect (priority high never sleeps)', () => {
    const settings = fromEnv({ CONTAINER_HIGH_IDLE_TIMEOUT: '120' });
    expect(settings.defaults).toEqual({});
    expect(settings.warnings).toEqual([expect.stringContaining('CONTAINER_HIGH_IDLE_TIMEOUT has no effect: priority high never sleeps')]);
  });

  it('maps CONTAINER_HEALTH_CHECK_INTERVAL onto health_check.interval when that field exists, else warns', () => {
    const settings = fromEnv({ CONTAINER_HEALTH_CHECK_INTERVAL: '30' });
    const mapped = settings.defaults.health_check?.[HEALTH_CHECK_INTERVAL_FIELD];
    if (mapped === undefined) {
      expect(settings.warnings).toEqual([`CONTAINER_HEALTH_CHECK_INTERVAL has no effect: this version has no health_check.${HEALTH_CHECK_INTERVAL_FIELD}`]);
    } else {
      expect({ mapped, warnings: settings.warnings }).toEqual({ mapped: '30000ms', warnings: [] });
    }
  });

  it.each([
    [{ CONTAINER_AUTO_START: 'maybe' }, 'CONTAINER_AUTO_START: expected true or false, got "maybe"'],
    [{ CONTAINER_IDLE_TIMEOUT: '30m' }, 'CONTAINER_IDLE_TIMEOUT: expected a number of minutes, got "30m"'],
    [{ CONTAINER_IDLE_TIMEOUT: '0' }, 'CONTAINER_IDLE_TIMEOUT: expected a number of minutes greater than 0, got "0"'],
    [
      { CONTAINER_LOW_IDLE_TIMEOUT: '36000' },
      'CONTAINER_LOW_IDLE_TIMEOUT: expected a number of minutes of at most 596h31m23s (2^31−1 ms, about 24.8 days, the longest timer Node.js holds), got "36000"',
    ],
    [{ CONTAINER_STARTUP_TIMEOUT: '-1' }, 'CONTAINER_STARTUP_TIMEOUT: expected a number of seconds, got "-1"'],
  ])('rejects %j', (env, line) => {
    expect(issuesOf(() => readEnv(env))).toEqual([line]);
  });
});

