/**
 * Issue 14: configured the Docker way. A container labelled `wake-proxy.enable=true` is a service
 * with no services.yml entry: served through its `wake-proxy.route`, put to sleep by its `sleep.*`
 * labels; one created while the proxy runs is served within about a second, one removed is
 * dropped; a service the files also define is the file's, with a warning.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerState, createBackend, uniqueName, type Backend } from '../support/docker-fixture.ts';
import { eventually } from '../support/eventually.ts';
import { backendListening, containerReaches, pauseByHand, startProxy, type ProxyHarness } from '../support/proxy-harness.ts';

const prefix = uniqueName('/lab');
let before: Backend;
let fileOwned: Backend;
let proxy: ProxyHarness;
const created: Backend[] = [];

function labels(route: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    'wake-proxy.enable': 'true',
    'wake-proxy.port': '8080',
    'wake-proxy.route': route,
    'wake-proxy.health_check.path': '/health',
    'sleep.idle_timeout': '1',
    'sleep.min_sleep_time': '0',
    ...extra,
  };
}

async function status(path: string): Promise<number> {
  const res = await fetch(`${proxy.url}${path}`);
  await res.arrayBuffer();
  return res.status;
}

beforeAll(async () => {
  before = await createBackend({ name: 'wp-lab-before', labels: labels(`${prefix}-a`) });
  fileOwned = await createBackend({ name: 'wp-lab-file', labels: labels(`${prefix}-f`, { 'wake-proxy.service': 'filesvc' }) });
  await Promise.all([backendListening(before.name), backendListening(fileOwned.name)]);
  await pauseByHand(before.name);
  proxy = await startProxy({
    routes: 'routes:\n  - path: /file\n    service: filesvc\n',
    services: `services:\n  filesvc:\n    container: ${fileOwned.name}\n    port: 8080\n    health_check:\n      path: /health\n`,
    logLevel: 'info',
  });
});

afterAll(async () => {
  await proxy?.close();
  await Promise.all([before, fileOwned, ...created].map((b) => b?.remove()));
});

describe('a labelled container with no services.yml entry', () => {
  it('is a service: a request to its route wakes it from paused', async () => {
    expect(await status(`${prefix}-a/hello`)).toBe(200);
    expect(await containerState(before.name)).toBe('running');
    expect((await proxy.snapshot(before.name)).state).toBe('RUNNING');
  });

  it('is put to sleep by its sleep.* labels', async () => {
    await containerReaches(before.name, 'paused', 15_000);
  });

  it('loses to services.yml when both define the service, with a warning', () => {
    const warning = proxy.logsWith('label configuration overridden').map((l) => String(l['warning']));
    expect(warning.join('\n')).toMatch(new RegExp(`service "filesvc" is defined in services\\.yml and by labels of container "${fileOwned.name}": the file wins`));
  });
});

describe('containers labelled while the proxy runs', () => {
  it('serves one created after the start, and drops it once removed', async () => {
    const late = await createBackend({ name: 'wp-lab-late', labels: labels(`${prefix}-b`) });
    created.push(late);
    await eventually(async () => expect(await status(`${prefix}-b/hello`)).toBe(200), { timeoutMs: 10_000, intervalMs: 100 });
    expect(proxy.logsWith('configuration reloaded').some((l) => l['cause'] === 'labels' && (l['routesAdded'] as string[]).includes(`${prefix}-b`))).toBe(true);
    await late.remove();
    await eventually(async () => expect(await status(`${prefix}-b/hello`)).toBe(404), { timeoutMs: 10_000, intervalMs: 100 });
  });

  it('refuses bad labels naming the container and the label, and serves the others', async () => {
    const bad = await createBackend({ name: 'wp-lab-bad', labels: labels(`${prefix}-c`, { 'sleep.idle_timeout': 'soon' }) });
    created.push(bad);
    await eventually(
      () => {
        const refused = proxy.logsWith('container labels refused').flatMap((l) => l['issues'] as string[]);
        expect(refused.join('\n')).toMatch(new RegExp(`container "${bad.name}" label "sleep.idle_timeout": expected a duration`));
      },
      { timeoutMs: 10_000, intervalMs: 100 },
    );
    expect(await status(`${prefix}-c/hello`)).toBe(404);
    expect(await status(`${prefix}-a/hello`)).toBe(200);
  });
});
