import { describe, expect, it } from 'vitest';
import { ShuttingDownError } from '../../../src/errors.ts';
import { createWorld, linesWith } from './lifecycle-fixtures.ts';

describe('ServiceController wake', () => {
  it('starts one wake for 50 concurrent requests', async () => {
    const world = createWorld({ api: {} }, { states: { api: 'paused' } });
    await world.reconcile();
    const api = world.service('api');
    const gate = world.provider.gate('unpause', 'api');
    const callers = Array.from({ length: 50 }, () => api.ensureAwake('request'));
    await gate.entered;
    expect(api.transition()).toBe('waking');
    gate.open();
    const results = await Promise.all(callers);
    expect(world.provider.calls('unpause', 'api')).toBe(1);
    expect(world.provider.calls('start', 'api')).toBe(0);
    expect(new Set(results.map((r) => r.upstream?.host))).toEqual(new Set([world.provider.get('api').ip]));
    expect(linesWith(world.lines(), 'service woke')).toHaveLength(1);
    expect(linesWith(world.lines(), 'service woke')[0]).toMatchObject({ held: 50, from: 'SLEEPING' });
  });

  it('unpauses a SLEEPING service and starts a STOPPED one', async () => {
    const world = createWorld({ paused: {}, stopped: {} }, { states: { paused: 'paused', stopped: 'exited' } });
    await world.reconcile();
    await world.service('paused').ensureAwake('request');
    await world.service('stopped').ensureAwake('request');
    expect([world.provider.calls('unpause', 'paused'), world.provider.calls('start', 'paused')]).toEqual([1, 0]);
    expect([world.provider.calls('unpause', 'stopped'), world.provider.calls('start', 'stopped')]).toEqual([0, 1]);
    expect(world.service('paused').state()).toBe('RUNNING');
    expect(world.service('stopped').state()).toBe('RUNNING');
  });

  it('answers a ready service at once without touching the provider', async () => {
    const world = createWorld({ api: {} }, { states: { api: 'paused' } });
    await world.reconcile();
    const api = world.service('api');
    const woke = await api.ensureAwake('request');
    const inspections = world.provider.calls('inspect');
    expect(api.readyUpstream()).toEqual(woke.upstream);
    await expect(api.ensureAwake('request')).resolves.toEqual({ upstream: woke.upstream, waitedForWakeMs: null });
    expect(world.provider.calls('inspect')).toBe(inspections);
  });

  it('reports how long each caller waited for the wake', async () => {
    const world = createWorld({ api: {} });
    await world.reconcile();
    world.provider.delay('start', 'api', 250);
    const waiting = world.service('api').ensureAwake('request');
    await world.clock.advanceAsync(250);
    await expect(waiting).resolves.toMatchObject({ waitedForWakeMs: 250 });
  });

  it('lets a caller stop waiting without cancelling the wake for the others', async () => {
    const world = createWorld({ api: {} }, { states: { api: 'paused' } });
    await world.reconcile();
    const api = world.service('api');
    const gate = world.provider.gate('unpause', 'api');
    const leaving = new AbortController();
    const first = api.ensureAwake('request', leaving.signal);
    const second = api.ensureAwake('request');
    await gate.entered;
    leaving.abort(new Error('client closed'));
    await expect(first).rejects.toThrow('client closed');
    gate.open();
    await expect(second).resolves.toMatchObject({ upstream: { port: 8080 } });
    expect(api.state()).toBe('RUNNING');
    expect(world.provider.calls('unpause', 'api')).toBe(1);
  });

  it('reads the upstream again after every start, since a restarted container gets a new address', async () => {
    const world = createWorld({ api: {} });
    await world.reconcile();
    const api = world.service('api');
    const first = await api.ensureAwake('request');
    expect(first.upstream).toEqual({ host: world.provider.get('api').ip, port: 8080 });
    await api.stopNow('manual');
    const second = await api.ensureAwake('request');
    expect(second.upstream?.host).toBe(world.provider.get('api').ip);
    expect(second.upstream?.host).not.toBe(first.upstream?.host);
    expect(world.probe('api').checked.at(-1)).toEqual(second.upstream);
  });

  it('forwards to a fixed upstream from the config instead of the container address', async () => {
    const world = createWorld({ api: { upstream: 'http://127.0.0.1:9999' } });
    await world.reconcile();
    await expect(world.service('api').ensureAwake('request')).resolves.toMatchObject({ upstream: { host: '127.0.0.1', port: 9999 } });
  });

  it('waits for readiness, probing until the probe says ready', async () => {
    const world = createWorld({ api: {} }, { notReady: ['api'] });
    await world.reconcile();
    const api = world.service('api');
    let settled = false;
    const waiting = api.ensureAwake('request').finally(() => (settled = true));
    await world.clock.advanceAsync(50);
    expect(settled).toBe(false);
    expect(api.state()).toBe('RUNNING');
    expect(api.readyUpstream()).toBeNull();
    world.probe('api').ready = true;
    // Noticed within one interval (100 ms by default) of being ready.
    await world.clock.advanceAsync(100);
    await waiting;
    const [line] = linesWith(world.lines(), 'service woke');
    expect(line?.['probes']).toBe(world.probe('api').checked.length);
    expect(line?.['probes']).toBeGreaterThan(2);
  });

  it('logs one line per wake with its phases', async () => {
    const world = createWorld({ api: {} });
    await world.reconcile();
    world.provider.delay('start', 'api', 200);
    const waiting = world.service('api').ensureAwake('request');
    await world.clock.advanceAsync(200);
    await waiting;
    const lines = linesWith(world.lines(), 'service woke');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 30,
      service: 'api',
      from: 'STOPPED',
      cause: 'request',
      held: 1,
      dependencyMs: 0,
      providerMs: 200,
      readyMs: 0,
      totalMs: 200,
      probes: 1,
    });
  });

  it('refuses new wakes once closed', async () => {
    const world = createWorld({ api: {} });
    await world.reconcile();
    world.registry.close();
    await expect(world.service('api').ensureAwake('request')).rejects.toBeInstanceOf(ShuttingDownError);
    expect(world.provider.calls('start')).toBe(0);
  });
});
