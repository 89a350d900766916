import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, parseConfigTexts } from '../../../src/config/load-config.ts';
import { ConfigError } from '../../../src/errors.ts';
import { FIXTURES, readFixtureCases } from './config-fixtures.ts';

function issuesOf(run: () => unknown): readonly string[] {
  try {
    run();
  } catch (err) {
    if (err instanceof ConfigError) return err.issues;
    throw err;
  }
  throw new Error('expected a ConfigError, but the config loaded');
}

const invalid = readFixtureCases('invalid');

describe('parseConfigTexts on invalid fixtures', () => {
  it('has at least 14 cases, each with an expectation', () => {
    expect(invalid.length).toBeGreaterThanOrEqual(14);
    expect(invalid.filter((c) => c.expected.length === 0).map((c) => c.name)).toEqual([]);
  });

  it.each(invalid.map((c) => [c.name, c] as const))('rejects %s with exactly the expected located lines', (_name, c) => {
    expect(issuesOf(() => parseConfigTexts(c.texts))).toEqual(c.expected);
  });

  it('throws one ConfigError, code WP_CONFIG_INVALID, whose message lists every line of both files', () => {
    const both = invalid.find((c) => c.name === 'both-files-broken');
    if (both === undefined) throw new Error('fixture both-files-broken is missing');
    expect(() => parseConfigTexts(both.texts)).toThrow(
      expect.objectContaining({ code: 'WP_CONFIG_INVALID', message: `invalid configuration:\n  ${both.expected.join('\n  ')}` }),
    );
  });
});

describe('parseConfigTexts on valid fixtures', () => {
  const valid = new Map(readFixtureCases('valid').map((c) => [c.name, c.texts]));
  const load = (name: string) => parseConfigTexts(valid.get(name)!);
  const service = (name: string, svc: string) => load(name).services.find((s) => s.name === svc)!;

  it('applies the sleep defaults: 300s idle, low priority 60s, high priority never sleeps', () => {
    expect(service('defaults', 'api').sleepPolicy).toMatchObject({ enabled: true, mode: 'pause', idleTimeoutMs: 300_000, maxSleepTimeMs: null });
    expect(service('defaults', 'db').sleepPolicy).toMatchObject({ enabled: true, idleTimeoutMs: 60_000, priority: 'low' });
    expect(service('defaults', 'web').sleepPolicy).toMatchObject({ enabled: false, priority: 'high' });
  });

  it('applies the health check and service defaults', () => {
    const api = service('defaults', 'api');
    expect(api.healthCheck).toEqual({
      probe: 'tcp',
      path: null,
      status: { min: 200, max: 399 },
      command: null,
      timeoutMs: 30_000,
      probeTimeoutMs: 1000,
      intervalMs: 100,
      dockerHealth: false,
    });
    expect(api).toMatchObject({ upstream: null, autoStart: false, dependsOn: [], maxHeldRequests: 1000, requestRules: [] });
  });

  it('infers the probe from the path or the well-known port, and lets a service without a port be ready when running', () => {
    const probes = load('probes').services.map((s) => [s.name, s.port, s.healthCheck.probe]);
    expect(probes).toEqual([
      ['api', 8080, 'http'],
      ['web', 80, 'tcp'],
      ['pg', 5432, 'postgres'],
      ['cache', 6379, 'redis'],
      ['maria', 3306, 'mysql'],
      ['checked', 5432, 'exec'],
      ['worker', null, 'running'],
      ['healthy-worker', null, 'docker'],
    ]);
    expect(service('probes', 'checked').healthCheck.command).toEqual(['pg_isready', '-q']);
    expect(service('probes', 'api').healthCheck.intervalMs).toBe(250);
  });

  it('reads durations written as numbers, digit strings and unit strings', () => {
    const api = service('durations', 'api');
    expect(api.healthCheck).toMatchObject({ timeoutMs: 300_000, probeTimeoutMs: 500 });
    expect(api.sleepPolicy).toMatchObject({ idleTimeoutMs: 5_400_000, maxSleepTimeMs: 90_000, minUptimeMs: 1500 });
  });

  it('normalises route prefixes, hosts and request rules', () => {
    const routes = load('routes-normalized').routes;
    expect(routes.map((r) => [r.host, r.pathPrefix, r.stripPrefix])).toEqual([
      [null, '/api', true],
      ['grafana.example.com', '/', false],
      [null, '/', false],
    ]);
    expect(routes[2]?.requestRules).toEqual([
      { match: { pathPrefix: null, method: 'HEAD', userAgent: 'uptimerobot' }, wake: false, countActivity: true },
    ]);
  });

  it('returns a deeply frozen config', () => {
    const config = load('defaults');
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.services)).toBe(true);
    expect(Object.isFrozen(config.services[0]?.sleepPolicy)).toBe(true);
    expect(Object.isFrozen(config.routes[0]?.requestRules)).toBe(true);
  });
});

describe('loadConfig', () => {
  const base = (file: string) => relative(process.cwd(), join(FIXTURES, 'base', file));
  const broken = (file: string) => relative(process.cwd(), join(FIXTURES, 'invalid', 'both-files-broken', file));

  it('loads both files and records their names as given', async () => {
    const config = await loadConfig({ routesPath: base('routes.yml'), servicesPath: base('services.yml') });
    expect(config.routesFile).toBe(base('routes.yml'));
    expect(config.services.map((s) => s.name)).toEqual(['api', 'db', 'web']);
  });

  it('names each file in its messages exactly as the path was given', async () => {
    const issues = await loadConfig({ routesPath: broken('routes.yml'), servicesPath: broken('services.yml') }).then(
      () => [],
      (err: ConfigError) => err.issues,
    );
    expect(issues).toHaveLength(2);
    expect(issues[0]).toMatch(new RegExp(`^${broken('routes.yml')}:5:5 routes\\[0\\]: unknown key "strip_prefx"$`));
    expect(issues[1]?.startsWith(`${broken('services.yml')}:6:24 `)).toBe(true);
  });

  it('reports an unreadable file with its path and errno, together with the other file\'s problems', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wake-proxy-config-'));
    const services = join(dir, 'services.yml');
    writeFileSync(services, 'services: {}\n');
    const issues = await loadConfig({ routesPath: join(dir, 'missing.yml'), servicesPath: services }).then(
      () => [],
      (err: ConfigError) => err.issues,
    );
    expect(issues).toEqual([
      `${join(dir, 'missing.yml')}: cannot read file (ENOENT: no such file or directory)`,
      `${services}:1:11 services: at least one service is required`,
    ]);
  });

  it('reports a directory given as a file', async () => {
    await expect(loadConfig({ routesPath: FIXTURES, servicesPath: base('services.yml') })).rejects.toThrow(
      `${FIXTURES}: cannot read file (EISDIR: illegal operation on a directory)`,
    );
  });
});
