/**
 * Issue 9: on a shared engine, compose-service references stay inside their compose project.
 * Two projects both have a service `web` (containers made with compose's labels); a plain
 * container is named `web`-like too. The proxy, scoped to its project, wakes and sleeps its own
 * container only; an unscoped reference that matches both projects is refused, naming both.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerState, createBackend, testDocker, type Backend } from '../support/docker-fixture.ts';
import { backendListening, containerReaches, pauseByHand, startProxy, type ProxyHarness } from '../support/proxy-harness.ts';

const run = Date.now().toString(36);
const ownProject = `wpown${run}`;
const otherProject = `wpother${run}`;
const service = `web${run}`;

let own: Backend;
let other: Backend;
let stray: Backend;
let scoped: ProxyHarness;
let unscoped: ProxyHarness;

const labels = (project: string) => ({ 'com.docker.compose.project': project, 'com.docker.compose.service': service });
const config = {
  routes: 'routes:\n  - path: /\n    service: web\n',
  services: `services:\n  web:\n    container: ${service}\n    port: 8080\n    health_check:\n      path: /health\n      timeout: 5s\n`,
};

beforeAll(async () => {
  own = await createBackend({ name: `${ownProject}-web`, labels: labels(ownProject) });
  other = await createBackend({ name: `${otherProject}-web`, labels: labels(otherProject) });
  // A plain container whose name is the reference itself: inside a compose scope it must not win.
  stray = await createBackend({ name: service });
  await Promise.all([own, other, stray].map((b) => backendListening(b.name)));
  await pauseByHand(own.name);
  await pauseByHand(other.name);
});

afterAll(async () => {
  await scoped?.close();
  await unscoped?.close();
  await Promise.all([own?.remove(), other?.remove(), stray?.remove()]);
});

describe('a proxy scoped to its compose project', () => {
  beforeAll(async () => {
    scoped = await startProxy({ ...config, composeProject: ownProject });
  });

  it('wakes its own project\'s container, not the other project\'s', async () => {
    const res = await fetch(`${scoped.url}/hello`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(`hello from ${own.id.slice(0, 12)}`);
    expect(await containerState(own.name)).toBe('running');
    expect(await containerState(other.name)).toBe('paused');
  });

  it('puts only its own container to sleep', async () => {
    await pauseByHand(stray.name);
    expect(await scoped.adminPost('web', 'sleep')).toBe(200);
    await containerReaches(own.name, 'paused');
    expect(await containerState(other.name)).toBe('paused');
    expect(await containerState(stray.name)).toBe('paused');
  });

  it('is not moved by events of the other project\'s container', async () => {
    await testDocker().getContainer(other.name).unpause();
    await containerReaches(other.name, 'running');
    expect((await scoped.snapshot('web')).state).toBe('SLEEPING');
  });
});

describe('a proxy outside compose', () => {
  it('takes an exact container name as explicit', async () => {
    const byName = await startProxy({ ...config, services: config.services.replace(`container: ${service}`, `container: ${other.name}`) });
    try {
      const res = await fetch(`${byName.url}/hello`);
      expect(await res.text()).toBe(`hello from ${other.id.slice(0, 12)}`);
    } finally {
      await byName.close();
    }
  });

  it('refuses a compose service that two projects have, naming both candidates', async () => {
    await stray.remove();
    unscoped = await startProxy(config);
    const res = await fetch(`${unscoped.url}/hello`);
    expect(res.status).toBe(503);
    await res.text();
    const refused = unscoped.logLines().filter((l) => JSON.stringify(l).includes('WP_CONTAINER_AMBIGUOUS'));
    expect(refused.length).toBeGreaterThan(0);
    const text = JSON.stringify(refused);
    expect(text).toContain(`${own.name} (project ${ownProject}, service ${service})`);
    expect(text).toContain(`${other.name} (project ${otherProject}, service ${service})`);
  });
});
