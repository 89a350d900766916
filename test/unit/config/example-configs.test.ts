import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load-config.ts';

const ROOT = join(import.meta.dirname, '../../..');

describe('the example routes.yml and services.yml', () => {
  it('load without a problem and say what their comments say', async () => {
    const config = await loadConfig({ routesPath: join(ROOT, 'routes.yml'), servicesPath: join(ROOT, 'services.yml') });
    expect(config.routes.map((r) => [r.host, r.pathPrefix, r.service, r.stripPrefix])).toEqual([
      [null, '/api', 'api', true],
      [null, '/grafana', 'grafana', false],
      ['grafana.example.com', '/', 'grafana', false],
      [null, '/', 'web', false],
    ]);
    expect(config.routes[0]?.requestRules[0]).toMatchObject({ match: { userAgent: 'uptimerobot' }, wake: false });
    const byName = Object.fromEntries(config.services.map((s) => [s.name, s]));
    expect(byName['api']).toMatchObject({
      container: 'api',
      port: 8080,
      dependsOn: ['db'],
      healthCheck: { probe: 'http', path: '/health', timeoutMs: 30_000, intervalMs: 100 },
      sleepPolicy: { idleTimeoutMs: 300_000, maxSleepTimeMs: 3_600_000 },
    });
    expect(byName['db']).toMatchObject({ container: 'db', port: 5432, healthCheck: { probe: 'postgres', path: null }, sleepPolicy: { idleTimeoutMs: 600_000 } });
    expect(byName['grafana']).toMatchObject({ container: 'grafana', port: 3000, sleepPolicy: { mode: 'stop' } });
    expect(byName['web']).toMatchObject({ container: 'web', port: 80, sleepPolicy: { enabled: false, priority: 'high' } });
  });
});

describe('docker-compose.example.yml and the Dockerfile', () => {
  it('name as compose services exactly the containers services.yml refers to, and publish no backend port', async () => {
    const { parse } = await import('yaml');
    const { readFile } = await import('node:fs/promises');
    const compose = parse(await readFile(join(ROOT, 'docker-compose.example.yml'), 'utf8')) as {
      services: Record<string, { ports?: string[]; volumes?: string[]; container_name?: string }>;
    };
    const config = await loadConfig({ routesPath: join(ROOT, 'routes.yml'), servicesPath: join(ROOT, 'services.yml') });
    const backends = Object.keys(compose.services).filter((s) => s !== 'wake-proxy');
    expect(config.services.map((s) => s.container).sort()).toEqual(backends.sort());
    for (const name of backends) {
      expect(compose.services[name]?.ports, name).toBeUndefined();
      expect(compose.services[name]?.container_name, name).toBeUndefined();
    }
    expect(compose.services['wake-proxy']?.volumes).toEqual(
      expect.arrayContaining(['./routes.yml:/config/routes.yml:ro', './services.yml:/config/services.yml:ro']),
    );
  });

  it('default the config paths to /config and label the image with the package version', async () => {
    const { readFile } = await import('node:fs/promises');
    const dockerfile = await readFile(join(ROOT, 'Dockerfile'), 'utf8');
    const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(dockerfile).toContain('WAKE_PROXY_ROUTES=/config/routes.yml');
    expect(dockerfile).toContain('WAKE_PROXY_SERVICES=/config/services.yml');
    expect(dockerfile).toContain(`org.opencontainers.image.version="${pkg.version}"`);
    expect(dockerfile).toMatch(/^USER node$/m);
  });
});
