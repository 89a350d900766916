import { describe, expect, it } from 'vitest';
import { labelsToConfig, type LabelledContainer } from '../../../src/config/label-config.ts';
import { parseConfigTexts } from '../../../src/config/load-config.ts';
import { mergeLabelConfig } from '../../../src/config/merge-label-config.ts';

function container(name: string, labels: Record<string, string>): LabelledContainer {
  return { id: `id-${name}`, name, labels: { 'wake-proxy.enable': 'true', ...labels } };
}

describe('labelsToConfig', () => {
  it('turns labels into a service and a route, validated by the file schemas', () => {
    const { services, routes, issues } = labelsToConfig([
      container('shop-web-1', {
        'com.docker.compose.service': 'web',
        'wake-proxy.port': '8080',
        'wake-proxy.route': '/shop',
        'wake-proxy.strip_prefix': 'true',
        'wake-proxy.depends_on': 'db, cache',
        'wake-proxy.health_check.path': '/health',
        'wake-proxy.health_check.status': '200',
        'sleep.idle_timeout': '90',
        'sleep.mode': 'stop',
        'sleep.priority': 'low',
      }),
    ]);
    expect(issues).toEqual([]);
    expect(services[0]).toMatchObject({
      name: 'web',
      container: 'shop-web-1',
      port: 8080,
      dependsOn: ['db', 'cache'],
      healthCheck: { path: '/health', status: { min: 200, max: 200 } },
      sleepPolicy: { idleTimeoutMs: 90_000, mode: 'stop', priority: 'low' },
    });
    expect(routes[0]).toMatchObject({ pathPrefix: '/shop', service: 'web', stripPrefix: true, host: null });
  });

  it('names the service by wake-proxy.service, else the container', () => {
    const { services } = labelsToConfig([
      container('c1', { 'wake-proxy.port': '80', 'wake-proxy.service': 'api' }),
      container('c2', { 'wake-proxy.port': '80' }),
    ]);
    expect(services.map((s) => s.name)).toEqual(['api', 'c2']);
  });

  it('applies the CONTAINER_* environment defaults below the labels', () => {
    const env = { sleep_policy: { idle_timeout: 600 } };
    const { services } = labelsToConfig([container('a', { 'wake-proxy.port': '80' }), container('b', { 'wake-proxy.port': '80', 'sleep.idle_timeout': '30' })], env);
    expect(services.map((s) => s.sleepPolicy.idleTimeoutMs)).toEqual([600_000, 30_000]);
  });

  it('declares one compose_scale service for all replicas of a compose service', () => {
    const replica = (n: number) =>
      container(`shop-api-${n}`, {
        'com.docker.compose.service': 'api',
        'wake-proxy.port': '8080',
        'wake-proxy.compose_scale': 'true',
        'wake-proxy.circuit_breaker.failures': '5',
      });
    const { services, issues } = labelsToConfig([replica(1), replica(2), replica(3)]);
    expect(issues).toEqual([]);
    expect(services).toHaveLength(1);
    expect(services[0]).toMatchObject({ name: 'api', container: 'api', composeScale: true, circuitBreaker: { failures: 5 } });
  });

  it('refuses compose_scale on a container that is not a compose service', () => {
    const { services, issues } = labelsToConfig([container('lone', { 'wake-proxy.port': '80', 'wake-proxy.compose_scale': 'true' })]);
    expect(issues).toEqual(['container "lone" label "wake-proxy.compose_scale": the container has no com.docker.compose.service label']);
    expect(services).toEqual([]);
  });

  it('ignores containers without wake-proxy.enable=true', () => {
    const off: LabelledContainer = { id: 'x', name: 'x', labels: { 'wake-proxy.enable': 'false', 'wake-proxy.port': '80' } };
    expect(labelsToConfig([off]).services).toEqual([]);
  });

  it.each([
    [{ 'wake-proxy.port': 'eighty' }, /container "bad" label "wake-proxy.port": /],
    [{ 'wake-proxy.port': '80', 'sleep.idle_timeout': 'soon' }, /container "bad" label "sleep.idle_timeout": expected a duration/],
    [{ 'wake-proxy.port': '80', 'wake-proxy.prot': '81' }, /container "bad" label "wake-proxy.prot": unknown wake-proxy label/],
    [{ 'wake-proxy.port': '80', 'wake-proxy.route': 'shop' }, /container "bad" label "wake-proxy.route": /],
    [{ 'wake-proxy.port': '80', 'wake-proxy.health_check.timeot': '5' }, /container "bad" label "wake-proxy.health_check.timeot"/],
  ])('refuses %j naming the container and the label', (labels, message) => {
    const { services, issues } = labelsToConfig([container('bad', labels), container('good', { 'wake-proxy.port': '80' })]);
    expect(issues.join('\n')).toMatch(message);
    expect(services.map((s) => s.name)).toEqual(['good']);
  });
});

describe('mergeLabelConfig', () => {
  const files = parseConfigTexts({
    routes: { name: 'routes.yml', text: 'routes:\n  - path: /\n    service: web\n' },
    services: { name: 'services.yml', text: 'services:\n  web:\n    container: web\n    port: 80\n' },
  });

  it('adds label services and routes after the files', () => {
    const labels = labelsToConfig([container('api-1', { 'wake-proxy.service': 'api', 'wake-proxy.port': '8080', 'wake-proxy.route': '/api' })]);
    const { config, warnings } = mergeLabelConfig(files, labels);
    expect(warnings).toEqual([]);
    expect(config.services.map((s) => s.name)).toEqual(['web', 'api']);
    expect(config.routes.map((r) => [r.pathPrefix, r.service, r.index])).toEqual([
      ['/', 'web', 0],
      ['/api', 'api', 1],
    ]);
  });

  it('lets the files win, with a warning naming the container', () => {
    const labels = labelsToConfig([container('web-2', { 'wake-proxy.service': 'web', 'wake-proxy.port': '81', 'wake-proxy.route': '/' })]);
    const { config, warnings } = mergeLabelConfig(files, labels);
    expect(config).toBe(files);
    expect(warnings[0]).toMatch(/service "web" is defined in services\.yml and by labels of container "web-2": the file wins/);
  });

  it('leaves out a label service that depends on an unknown service', () => {
    const labels = labelsToConfig([container('x', { 'wake-proxy.port': '81', 'wake-proxy.depends_on': 'ghost' })]);
    const { config, warnings } = mergeLabelConfig(files, labels);
    expect(config.services.map((s) => s.name)).toEqual(['web']);
    expect(warnings[0]).toMatch(/depends on unknown "ghost"/);
  });
});
