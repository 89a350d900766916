import { describe, expect, it } from 'vitest';
import { ENV_VAR_NAMES, readEnv } from '../../../src/config/env-schema.ts';
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
      drainTimeoutMs: 9_000,
      dockerHost: null,
      adminHost: null,
      adminToken: null,
      adminTokenFile: null,
      composeProject: null,
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
    expect([...ENV_VAR_NAMES].sort()).toEqual(['ADMIN_HOST', 'ADMIN_PORT', 'DOCKER_HOST', 'DRAIN_TIMEOUT', 'FORWARD_AUTH_PORT', 'LOG_LEVEL', 'PORT', 'WAKE_PROXY_ADMIN_TOKEN', 'WAKE_PROXY_ADMIN_TOKEN_FILE', 'WAKE_PROXY_COMPOSE_PROJECT', 'WAKE_PROXY_ROUTES', 'WAKE_PROXY_SERVICES']);
  });
});
