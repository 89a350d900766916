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
      healthCheck: { path: '/health', timeoutMs: 30_000 },
      sleepPolicy: { idleTimeoutMs: 300_000, maxSleepTimeMs: 3_600_000 },
    });
    expect(byName['db']).toMatchObject({ container: 'db', port: 5432, healthCheck: { path: null }, sleepPolicy: { idleTimeoutMs: 600_000 } });
    expect(byName['grafana']).toMatchObject({ container: 'grafana', port: 3000, sleepPolicy: { mode: 'stop' } });
    expect(byName['web']).toMatchObject({ container: 'web', port: 80, sleepPolicy: { enabled: false, priority: 'high' } });
  });
});
