import { describe, expect, it } from 'vitest';
import type { ActivitySnapshot } from '../../../src/idle/sleep-target.ts';
import { MemoryStore } from '../../../src/state/memory-store.ts';
import { SharedStateHub, SYNC } from '../../../src/state/shared-state-hub.ts';
import type { ActivitySource } from '../../../src/state/shared-state.ts';
import { ManualClock } from '../../support/manual-clock.ts';
import { captureLogs, linesWith } from '../lifecycle/lifecycle-fixtures.ts';

/** A service on one replica whose local activity the test sets. */
class Source implements ActivitySource {
  readonly name = 'api';
  local: ActivitySnapshot;
  checks = 0;
  constructor(now: number) {
    this.local = { inFlight: 0, lastActivityAt: now };
  }
  localActivity(): ActivitySnapshot {
    return this.local;
  }
  requestIdleCheck(): void {
    this.checks += 1;
  }
}

function replicas(count: number) {
  const clock = new ManualClock();
  const store = new MemoryStore(clock);
  const logs = captureLogs();
  const hubs = Array.from({ length: count }, (_, i) =>
    new SharedStateHub({ store, clock, logger: logs.logger, replicaId: `r${i}`, where: 'memory' }),
  );
  const sources = hubs.map(() => new Source(clock.now()));
  const syncAll = async (): Promise<void> => {
    for (const [i, hub] of hubs.entries()) {
      const source = sources[i];
      if (source === undefined) throw new Error('no source');
      await hubRound(hub, source);
    }
  };
  return { clock, store, hubs, sources, syncAll, lines: logs.lines };
}

/** One round of the sync loop (run() does one, then waits an interval: the abort ends that wait). */
async function hubRound(hub: SharedStateHub, source: Source): Promise<void> {
  const stop = new AbortController();
  const loop = hub.run(() => [source], stop.signal);
  stop.abort();
  await loop;
}

describe('SharedStateHub', () => {
  it('shows one replica the in-flight work of another after one sync round', async () => {
    const { hubs, sources, syncAll, clock } = replicas(2);
    sources[1]!.local = { inFlight: 2, lastActivityAt: clock.now() };
    await syncAll();
    await syncAll();
    expect(hubs[0]!.service('api').othersActivity()).toEqual({ inFlight: 2, lastActivityAt: clock.now() });
    expect(hubs[1]!.service('api').othersActivity()).toEqual({ inFlight: 0, lastActivityAt: clock.now() });
  });

  it('asks the service to decide again when the others view changes, and only then', async () => {
    const { sources, syncAll, clock } = replicas(2);
    await syncAll();
    await syncAll();
    const before = sources[0]!.checks;
    await syncAll();
    expect(sources[0]!.checks).toBe(before);
    sources[1]!.local = { inFlight: 1, lastActivityAt: clock.now() + 1 };
    await syncAll();
    await syncAll();
    expect(sources[0]!.checks).toBe(before + 1);
  });

  it('lets a dead replica keep a service busy only until its lease expires', async () => {
    const { hubs, sources, syncAll, clock } = replicas(2);
    sources[1]!.local = { inFlight: 1, lastActivityAt: clock.now() };
    await syncAll();
    const diedAt = clock.now();
    // Replica 1 dies: its lease is no longer refreshed. Replica 0 alone keeps syncing.
    clock.advance(SYNC.leaseTtlMs - 1);
    await hubRound(hubs[0]!, sources[0]!);
    expect(hubs[0]!.service('api').othersActivity()?.inFlight).toBe(1);
    clock.advance(2);
    await hubRound(hubs[0]!, sources[0]!);
    expect(hubs[0]!.service('api').othersActivity()).toEqual({ inFlight: 0, lastActivityAt: diedAt });
  });

  it('writes nothing for an idle replica whose activity did not change', async () => {
    const { store, hubs, sources } = replicas(1);
    await hubRound(hubs[0]!, sources[0]!);
    const leases = await store.readLeases('api');
    await hubRound(hubs[0]!, sources[0]!);
    expect(await store.readLeases('api')).toEqual(leases);
    expect(Object.keys(leases)).toEqual(['r0']);
  });

  it('grants a lock to one replica until it is released or its deadline passes', async () => {
    const { hubs, clock } = replicas(2);
    const [a, b] = [hubs[0]!.service('api'), hubs[1]!.service('api')];
    const lock = await a.tryLock('wake', 1000);
    expect(lock).not.toBeNull();
    expect(await b.tryLock('wake', 1000)).toBeNull();
    expect(await b.tryLock('settle', 1000)).not.toBeNull();
    lock?.release();
    await Promise.resolve();
    await Promise.resolve();
    const second = await b.tryLock('wake', 1000);
    expect(second).not.toBeNull();
    expect(await a.tryLock('wake', 1000)).toBeNull();
    clock.advance(1000);
    expect(await a.tryLock('wake', 1000)).not.toBeNull();
  });

  it('never releases a lock another replica took after the deadline', async () => {
    const { hubs, clock } = replicas(2);
    const stale = await hubs[0]!.service('api').tryLock('wake', 100);
    clock.advance(100);
    const fresh = await hubs[1]!.service('api').tryLock('wake', 1000);
    expect(fresh).not.toBeNull();
    stale?.release();
    await Promise.resolve();
    expect(await hubs[0]!.service('api').tryLock('wake', 1000)).toBeNull();
  });

  it('shares the figures the acting replica records', async () => {
    const { hubs, sources, syncAll, clock } = replicas(2);
    const wake = { from: 'SLEEPING', cause: 'request', totalMs: 12, phases: { dependencyMs: 0, providerMs: 10, runningMs: 1, readyMs: 1 }, at: clock.now() } as const;
    hubs[0]!.service('api').recordWake(wake);
    hubs[1]!.service('api').recordSettle('SLEEPING');
    await Promise.resolve();
    await syncAll();
    expect(sources.length).toBe(2);
    for (const hub of hubs) expect(hub.service('api').figures()).toEqual({ wakeCount: 1, sleepCount: 1, stopCount: 0, lastWake: wake });
  });

  it('degrades to per-replica behaviour on an outage, says so once, and recovers by itself', async () => {
    const { store, hubs, sources, syncAll, clock, lines } = replicas(2);
    sources[1]!.local = { inFlight: 1, lastActivityAt: clock.now() };
    await syncAll();
    store.failing = true;
    await syncAll();
    await syncAll();
    const share = hubs[0]!.service('api');
    expect(hubs[0]!.health()).toEqual({ up: false, errors: 2 });
    expect(share.othersActivity()).toBeNull();
    expect(share.figures()).toBeNull();
    // Each replica decides alone: both get the lock at once.
    expect(await share.tryLock('wake', 1000)).not.toBeNull();
    expect(await hubs[1]!.service('api').tryLock('wake', 1000)).not.toBeNull();
    expect(linesWith(lines(), 'shared state unavailable: each replica decides alone')).toHaveLength(2);
    store.failing = false;
    await syncAll();
    await syncAll();
    expect(hubs[0]!.health().up).toBe(true);
    expect(share.othersActivity()?.inFlight).toBe(1);
    expect(linesWith(lines(), 'shared state available again')).toHaveLength(2);
  });
});
