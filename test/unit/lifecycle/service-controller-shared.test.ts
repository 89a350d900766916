import { describe, expect, it } from 'vitest';
import type { Clock } from '../../../src/clock.ts';
import type { Logger } from '../../../src/logging/logger.ts';
import { MemoryStore } from '../../../src/state/memory-store.ts';
import { SharedStateHub, SYNC } from '../../../src/state/shared-state-hub.ts';
import type { ActivitySource } from '../../../src/state/shared-state.ts';
import { createWorld } from './lifecycle-fixtures.ts';

/** This replica's hub and another replica's, over one store, both on the world's clock. */
function twoReplicas() {
  const made: { self?: SharedStateHub; other?: SharedStateHub; store?: MemoryStore } = {};
  const shared = (clock: Clock, logger: Logger): SharedStateHub => {
    const store = new MemoryStore(clock);
    made.store = store;
    made.other = new SharedStateHub({ store, clock, logger, replicaId: 'other', where: 'memory' });
    made.self = new SharedStateHub({ store, clock, logger, replicaId: 'self', where: 'memory' });
    return made.self;
  };
  return { shared, made };
}

async function round(hub: SharedStateHub | undefined, sources: readonly ActivitySource[]): Promise<void> {
  if (hub === undefined) throw new Error('no hub');
  const stop = new AbortController();
  const loop = hub.run(() => sources, stop.signal);
  stop.abort();
  await loop;
}

/** A background sleep, which waits one sync interval before its fresh read of the others. */
async function sleepAfterWait(world: { clock: { advanceAsync(ms: number): Promise<void> } }, api: { sleep(cause: 'idle'): Promise<void> }): Promise<void> {
  const sleeping = api.sleep('idle');
  await world.clock.advanceAsync(SYNC.intervalMs);
  await sleeping;
}

describe('ServiceController with shared state', () => {
  it('does not sleep while another replica holds a lease, and sleeps once that lease expired', async () => {
    const { shared, made } = twoReplicas();
    const world = createWorld({ api: {} }, { states: { api: 'running' }, shared });
    await world.reconcile();
    const api = world.service('api');
    const busyElsewhere = { name: 'api', localActivity: () => ({ inFlight: 1, lastActivityAt: world.clock.now() - 10 * 60_000 }), requestIdleCheck: () => undefined };
    await round(made.other, [busyElsewhere]);
    await round(made.self, [api]);
    expect(api.activity().inFlight).toBe(1);
    expect(api.snapshot().inFlight).toBe(1);
    await api.sleep('idle');
    expect(world.provider.calls('pause')).toBe(0);
    world.clock.advance(SYNC.leaseTtlMs + 1);
    world.clock.advance(10 * 60_000);
    await round(made.self, [api]);
    await sleepAfterWait(world, api);
    expect(world.provider.calls('pause')).toBe(1);
    expect(api.state()).toBe('SLEEPING');
  });

  it('re-reads the others before sleeping: a lease written since the last sync keeps the service up', async () => {
    const { shared, made } = twoReplicas();
    const world = createWorld({ api: {} }, { states: { api: 'running' }, shared });
    await world.reconcile();
    const api = world.service('api');
    world.clock.advance(10 * 60_000);
    await round(made.self, [api]);
    expect(api.activity().inFlight).toBe(0);
    const sleeping = api.sleep('idle');
    // A request begins on the other replica while this one decides; its next sync publishes it.
    const busyElsewhere = { name: 'api', localActivity: () => ({ inFlight: 1, lastActivityAt: world.clock.now() }), requestIdleCheck: () => undefined };
    await world.clock.advanceAsync(SYNC.intervalMs / 2);
    await round(made.other, [busyElsewhere]);
    await world.clock.advanceAsync(SYNC.intervalMs);
    await sleeping;
    expect(world.provider.calls('pause')).toBe(0);
    expect(api.state()).toBe('RUNNING');
  });

  it('leaves the sleep to the replica that holds the settle lock', async () => {
    const { shared, made } = twoReplicas();
    const world = createWorld({ api: {} }, { states: { api: 'running' }, shared });
    await world.reconcile();
    const lock = await made.other?.service('api').tryLock('settle', 60_000);
    expect(lock).not.toBeNull();
    await world.service('api').sleep('idle');
    expect(world.provider.calls('pause')).toBe(0);
  });

  it('counts a wake it led in the shared figures, which every replica then shows', async () => {
    const { shared, made } = twoReplicas();
    const world = createWorld({ api: {} }, { states: { api: 'paused' }, shared });
    await world.reconcile();
    const api = world.service('api');
    await api.ensureAwake('request');
    await Promise.resolve();
    await round(made.self, [api]);
    expect(world.provider.calls('unpause')).toBe(1);
    expect(api.snapshot().wakeCount).toBe(1);
    await round(made.other, [{ name: 'api', localActivity: () => ({ inFlight: 0, lastActivityAt: 0 }), requestIdleCheck: () => undefined }]);
    const figures = made.other?.service('api').figures();
    expect(figures?.wakeCount).toBe(1);
    expect(figures?.lastWake?.from).toBe('SLEEPING');
  });

  it('follows a wake another replica leads: no unpause of its own, readiness probed itself', async () => {
    const { shared, made } = twoReplicas();
    const world = createWorld({ api: {} }, { states: { api: 'paused' }, shared });
    await world.reconcile();
    const leader = await made.other?.service('api').tryLock('wake', 60_000);
    expect(leader).not.toBeNull();
    const api = world.service('api');
    const woken = api.ensureAwake('request');
    await world.clock.advanceAsync(200);
    expect(api.state()).toBe('SLEEPING');
    // The other replica unpauses the container.
    await world.provider.unpause('api');
    await world.clock.advanceAsync(100);
    await woken;
    expect(api.state()).toBe('RUNNING');
    expect(world.provider.calls('unpause')).toBe(1);
    expect(world.probe('api').checked.length).toBeGreaterThan(0);
  });
});
