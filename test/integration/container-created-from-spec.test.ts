/**
 * Issue 14: containers created from services.yml. A service with an `image` and no container
 * gets one on its first wake, with the memory and CPU limits and the reservation asked for
 * (docker inspect shows them); after its spec changes it is recreated at its next sleep and wake,
 * not while a request is in flight; a missing image is a clear error, never a pull.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBackendImage, testDocker, testLabels, uniqueName } from '../support/docker-fixture.ts';
import { eventually } from '../support/eventually.ts';
import { containerReaches, startProxy, type ProxyHarness } from '../support/proxy-harness.ts';

const MIB = 1024 ** 2;
const name = uniqueName('wp-created');
const missing = uniqueName('wp-no-image');
let image: string;
let dir: string;
let proxy: ProxyHarness;

function services(mode: string): string {
  const labels = Object.entries(testLabels())
    .map(([k, v]) => `        ${k}: "${v}"\n`)
    .join('');
  return (
    `services:\n  shop:\n    container: ${name}\n    image: ${image}\n    port: 8080\n` +
    `    environment:\n      MODE: ${mode}\n    labels:\n${labels}` +
    '    resources:\n      memory: 64M\n      cpu: "0.5"\n      memory_reservation: 32M\n' +
    '    health_check:\n      path: /health\n    sleep_policy:\n      idle_timeout: 1s\n      min_sleep_time: 0s\n' +
    `  ghost:\n    container: ${missing}\n    image: wake-proxy-test-missing:nope\n    port: 8080\n`
  );
}

async function inspect(): Promise<{ id: string; env: string[]; memory: number; nanoCpus: number; reservation: number }> {
  const info = await testDocker().getContainer(name).inspect();
  return {
    id: info.Id,
    env: info.Config.Env ?? [],
    memory: info.HostConfig.Memory ?? 0,
    nanoCpus: info.HostConfig.NanoCpus ?? 0,
    reservation: info.HostConfig.MemoryReservation ?? 0,
  };
}

beforeAll(async () => {
  image = await ensureBackendImage();
  dir = await mkdtemp(join(tmpdir(), 'wake-proxy-create-'));
  proxy = await startProxy({
    configDir: dir,
    routes: 'routes:\n  - path: /ghost\n    service: ghost\n  - path: /\n    service: shop\n',
    services: services('a'),
    logLevel: 'info',
  });
});

afterAll(async () => {
  await proxy?.close();
  await testDocker().getContainer(name).remove({ force: true }).catch(() => undefined);
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('a service with an image and no container', () => {
  it('gets its container on the first wake, with the limits and reservation asked for', async () => {
    const res = await fetch(`${proxy.url}/hello`);
    expect(res.status).toBe(200);
    await res.arrayBuffer();
    const created = await inspect();
    expect(created.memory).toBe(64 * MIB);
    expect(created.nanoCpus).toBe(500_000_000);
    expect(created.reservation).toBe(32 * MIB);
    expect(created.env).toContain('MODE=a');
    expect(proxy.logsWith('container created')).toHaveLength(1);
  });

  it('is recreated after its spec changes, at its next sleep and wake, not while a request is in flight', async () => {
    const first = await inspect();
    const slow = fetch(`${proxy.url}/slow?ms=2500`);
    await writeFile(join(dir, 'services.yml'), services('b'));
    await eventually(() => expect(proxy.logsWith('configuration reloaded').length).toBeGreaterThan(0), { timeoutMs: 10_000, intervalMs: 100 });
    const res = await slow;
    expect(await res.text()).toBe('slow done');
    expect((await inspect()).id).toBe(first.id);
    await containerReaches(name, 'exited', 20_000);
    const again = await fetch(`${proxy.url}/hello`);
    expect(again.status).toBe(200);
    await again.arrayBuffer();
    const recreated = await inspect();
    expect(recreated.id).not.toBe(first.id);
    expect(recreated.env).toContain('MODE=b');
  });

  it('answers 503 WP_IMAGE_NOT_FOUND when the image is missing, and pulls nothing', async () => {
    const res = await fetch(`${proxy.url}/ghost`);
    expect(res.status).toBe(503);
    expect(((await res.json()) as { code: string }).code).toBe('WP_IMAGE_NOT_FOUND');
    const failed = proxy.logsWith('wake failed', 'ghost')[0];
    expect(String(failed?.['reason'])).toContain('wake-proxy-test-missing:nope');
  });
});
