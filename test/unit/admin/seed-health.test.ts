import { describe, expect, it } from 'vitest';
import { redactSecrets } from '../../../src/admin/admin-server.ts';
import { seedAutomation, seedContainers, seedServices, type SeedServiceView } from '../../../src/admin/seed-health.ts';
import { parseSleepPolicy } from '../../../src/config/parse-policy.ts';
import { ConfigError } from '../../../src/errors.ts';
import type { ServiceSnapshot } from '../../../src/metrics/service-snapshot.ts';

function view(name: string, state: ServiceSnapshot['state'], extra: Partial<SeedServiceView> = {}): SeedServiceView {
  const snapshot = { name, state, lastActivityAt: 0, wakeCount: 2, wakeFailures: 1, sleepCount: 3, stopCount: 0, inFlight: 0 } as ServiceSnapshot;
  return { snapshot, priority: 'normal', sleepEnabled: true, idleTimeoutMs: 1_800_000, autoStart: false, dependsOn: [], ...extra };
}

const services = [
  view('api', 'RUNNING', { dependsOn: ['db'] }),
  view('db', 'SLEEPING', { priority: 'high', sleepEnabled: false, dependsOn: ['disk'] }),
  view('disk', 'STOPPED', { autoStart: true }),
];

describe("the seed's health views", () => {
  it('GET /health/containers counts states and shows each container the seed way', () => {
    const body = seedContainers(services);
    expect(body).toMatchObject({
      status: 'healthy',
      container_management: { auto_start_enabled: true, auto_stop_enabled: true, idle_timeout_minutes: 30 },
      container_summary: { total_containers: 3, state_counts: { running: 1, sleeping: 1, stopped: 1 } },
    });
    expect((body['containers'] as Record<string, unknown>)['db']).toEqual({
      state: 'sleeping',
      priority: 'high',
      last_access: '1970-01-01T00:00:00.000Z',
      idle_timeout_minutes: 0,
    });
  });

  it('GET /health/services maps each route to its service and everything it depends on', () => {
    const body = seedServices(services, [
      { path: '/api', host: null, service: 'api' },
      { path: '/', host: 'db.example', service: 'db' },
    ]);
    expect(body).toEqual({
      status: 'healthy',
      service_mappings: {
        endpoint_dependencies: { '/api': ['api', 'db', 'disk'], 'db.example/': ['db', 'disk'] },
        container_priorities: { api: 'normal', db: 'high', disk: 'normal' },
      },
    });
  });

  it('GET /health/automation sums the statistics', () => {
    expect(seedAutomation(services)).toMatchObject({
      auto_stop_enabled: true,
      statistics: { wakes: 6, wake_failures: 3, sleeps: 9, stops: 0 },
      auto_start_services: ['disk'],
    });
  });
});

describe('redactSecrets', () => {
  it('hides secret-looking values and NAME=value entries, keeps the rest', () => {
    const out = redactSecrets({ environment: ['DB_PASSWORD=hunter2', 'MODE=fast'], labels: { api_key: 'k', team: 'a' }, port: 80 });
    expect(out).toEqual({ environment: ['DB_PASSWORD=<redacted>', 'MODE=fast'], labels: { api_key: '<redacted>', team: 'a' }, port: 80 });
  });
});

describe('parseSleepPolicy', () => {
  it('parses a sleep_policy mapping with the file schema and its defaults', () => {
    expect(parseSleepPolicy({ idle_timeout: '10m', mode: 'stop' })).toMatchObject({ idleTimeoutMs: 600_000, mode: 'stop', enabled: true });
  });

  it('names every bad field', () => {
    try {
      parseSleepPolicy({ idle_timeout: 'soon', nope: 1 });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const issues = (err as ConfigError).issues.join('\n');
      expect(issues).toMatch(/sleep_policy\.idle_timeout: /);
      expect(issues).toMatch(/nope/);
    }
  });
});
