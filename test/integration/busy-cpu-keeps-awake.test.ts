/**
 * Issue 15: busy on CPU is not idle. A service with idle_cpu_threshold and nothing in flight is
 * not put to sleep while its container burns CPU (a loop started with docker exec, as a batch job
 * would), says so once in the log, and sleeps once the work ends.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerState, createBackend, testDocker, type Backend } from '../support/docker-fixture.ts';
import { eventually } from '../support/eventually.ts';
import { backendListening, containerReaches, startProxy, type ProxyHarness } from '../support/proxy-harness.ts';

let backend: Backend;
let proxy: ProxyHarness;

async function exec(name: string, script: string): Promise<void> {
  const execution = await testDocker().getContainer(name).exec({ Cmd: ['/bin/sh', '-c', script], AttachStdout: false, AttachStderr: false });
  await execution.start({ Detach: true });
}

beforeAll(async () => {
  backend = await createBackend({ name: 'wp-busy' });
  await backendListening(backend.name);
  await exec(backend.name, 'echo $$ > /tmp/burn.pid; while :; do :; done');
  proxy = await startProxy({
    routes: 'routes:\n  - path: /\n    service: batch\n',
    services:
      `services:\n  batch:\n    container: ${backend.name}\n    port: 8080\n    health_check:\n      path: /health\n` +
      '    sleep_policy:\n      idle_timeout: 4s\n      min_sleep_time: 0s\n      idle_cpu_threshold: 0.2\n',
    logLevel: 'info',
    resourceSampleIntervalMs: 300,
  });
});

afterAll(async () => {
  await proxy?.close();
  await backend?.remove();
});

describe('a service busy on CPU with nothing in flight', () => {
  it('is not put to sleep past its idle timeout, and the log says why', async () => {
    // Docker's stats answer after its collector's next tick (up to 1 s), so the first CPU rate
    // is known after about two reads: the idle timeout leaves room for that.
    const held = await eventually(
      () => {
        const line = proxy.logsWith('sleep held back: busy on CPU', 'batch')[0];
        if (line === undefined) throw new Error('no "sleep held back" line yet');
        return line;
      },
      { timeoutMs: 15_000, intervalMs: 100 },
    );
    expect(held['cpuCores']).toBeGreaterThan(0.2);
    expect(await containerState(backend.name)).toBe('running');
    const snapshot = (await (await fetch(`${proxy.adminUrl}/services/batch`)).json()) as {
      resources: { cpuCores: number };
      sleepHeldBackByCpu: boolean;
    };
    expect(snapshot.resources.cpuCores).toBeGreaterThan(0.2);
    expect(snapshot.sleepHeldBackByCpu).toBe(true);
  });

  it('sleeps once the work ends', async () => {
    await exec(backend.name, 'kill $(cat /tmp/burn.pid)');
    await containerReaches(backend.name, 'paused', 20_000);
    expect(proxy.logsWith('no longer busy on CPU', 'batch')).toHaveLength(1);
    expect(proxy.logsWith('sleep held back: busy on CPU', 'batch')).toHaveLength(1);
  });
});
