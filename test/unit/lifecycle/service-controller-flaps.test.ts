import { describe, expect, it } from 'vitest';
import { IdleScheduler } from '../../../src/idle/idle-scheduler.ts';
import type { ServiceController } from '../../../src/lifecycle/service-controller.ts';
import { createWorld, linesWith, type World } from './lifecycle-fixtures.ts';

const S = 1000;

/** api (idle_timeout 30 s, min_sleep_time 60 s) driven by the real IdleScheduler, woken once by a request. */
async function flappingWorld(sleepPolicy: Record<string, unknown> = {}): Promise<{ world: World; api: ServiceController }> {
  const world = createWorld(
    { api: { sleep_policy: { idle_timeout: '30s', min_sleep_time: '60s', ...sleepPolicy } } },
    { scheduler: (clock, logger) => new IdleScheduler({ clock, logger }) },
  );
  await world.reconcile();
  const api = world.service('api');
  await api.ensureAwake('request');
  return { world, api };
}

/** Lets `ms` pass, then reports whether api fell asleep exactly at the end and not one ms before. */
async function sleepsAfter(world: World, api: ServiceController, ms: number): Promise<boolean> {
  await world.clock.advanceAsync(ms - 1);
  if (api.state() !== 'RUNNING') return false;
  await world.clock.advanceAsync(1);
  return api.state() !== 'RUNNING';
}

/** Sleeps api at its current idle timeout, then wakes it by a request `asleepMs` later. */
async function flap(world: World, api: ServiceController, idleMs: number, asleepMs = 10 * S): Promise<void> {
  expect(await sleepsAfter(world, api, idleMs)).toBe(true);
  await world.clock.advanceAsync(asleepMs);
  await api.ensureAwake('request');
}

describe('ServiceController flap damping with the idle scheduler', () => {
  it('doubles the next idle timeout when a request wakes the service 10 s after an idle sleep', async () => {
    const { world, api } = await flappingWorld();
    expect(api.snapshot().flaps).toBe(0);

    await flap(world, api, 30 * S);

    expect(api.snapshot()).toMatchObject({ state: 'RUNNING', ready: true, flaps: 1 });
    expect(await sleepsAfter(world, api, 60 * S)).toBe(true);
    expect(linesWith(world.lines(), 'premature sleep damped')).toEqual([
      expect.objectContaining({ service: 'api', flaps: 1, idleTimeoutMs: 60 * S }),
    ]);
  });

  it('wakes at once on the request: damping never delays a wake', async () => {
    const { world, api } = await flappingWorld();
    await flap(world, api, 30 * S, 1);
    expect(api.readyUpstream()).not.toBeNull();
    expect(world.transitions.map((t) => `${t.to}:${t.cause}`)).toEqual(['RUNNING:request', 'SLEEPING:idle', 'RUNNING:request']);
  });

  it('resets the idle timeout after a sleep that lasted 2 min', async () => {
    const { world, api } = await flappingWorld();
    await flap(world, api, 30 * S);
    await flap(world, api, 60 * S);
    expect(api.snapshot().flaps).toBe(2);

    await flap(world, api, 120 * S, 120 * S);

    expect(api.snapshot().flaps).toBe(0);
    expect(await sleepsAfter(world, api, 30 * S)).toBe(true);
  });

  it('does not count a manual sleep followed by a quick request wake', async () => {
    const { world, api } = await flappingWorld();
    await api.sleepNow('manual');
    await world.clock.advanceAsync(10 * S);
    await api.ensureAwake('request');

    expect(api.snapshot().flaps).toBe(0);
    expect(await sleepsAfter(world, api, 30 * S)).toBe(true);
  });

  it('does not count an admin wake soon after an idle sleep', async () => {
    const { world, api } = await flappingWorld();
    expect(await sleepsAfter(world, api, 30 * S)).toBe(true);
    await world.clock.advanceAsync(10 * S);
    await api.wake('manual');

    expect(api.snapshot().flaps).toBe(0);
    expect(await sleepsAfter(world, api, 30 * S)).toBe(true);
  });

  it('caps the idle timeout at 8x however often the service flaps', async () => {
    const { world, api } = await flappingWorld();
    for (const idleMs of [30 * S, 60 * S, 120 * S, 240 * S]) await flap(world, api, idleMs);

    expect(api.snapshot().flaps).toBe(4);
    expect(await sleepsAfter(world, api, 240 * S)).toBe(true);
    // Logged once per lengthening: the fourth flap leaves it at 8x and says nothing.
    expect(linesWith(world.lines(), 'premature sleep damped').map((l) => l['idleTimeoutMs'])).toEqual([60 * S, 120 * S, 240 * S]);
  });

  it('counts a request wake soon after an idle stop in mode stop', async () => {
    const { world, api } = await flappingWorld({ mode: 'stop' });
    await flap(world, api, 30 * S);

    expect(world.provider.calls('stop', 'api')).toBe(1);
    expect(api.snapshot().flaps).toBe(1);
    expect(await sleepsAfter(world, api, 60 * S)).toBe(true);
  });
});

describe('ServiceController snapshot: effective idle timeout and next sleep (issue 14 item 8)', () => {
  it('shows the damped idle timeout and when the idle timer will put the service to sleep', async () => {
    const { world, api } = await flappingWorld();
    const start = world.clock.now();
    expect(api.snapshot()).toMatchObject({ idleTimeoutMs: 30 * S, nextSleepAt: start + 30 * S });

    await flap(world, api, 30 * S);
    const wokeAt = world.clock.now();
    expect(api.snapshot()).toMatchObject({ flaps: 1, idleTimeoutMs: 60 * S, nextSleepAt: wokeAt + 60 * S });
    expect(linesWith(world.lines(), 'premature sleep damped')).toEqual([
      expect.objectContaining({ level: 30, flaps: 1, idleTimeoutMs: 60 * S, configuredIdleTimeoutMs: 30 * S, minSleepTimeMs: 60 * S }),
    ]);
  });

  it('shows no next sleep while work is in flight, while asleep, or when the service never sleeps', async () => {
    const { world, api } = await flappingWorld();
    const release = api.trackActivity();
    expect(api.snapshot().nextSleepAt).toBeNull();
    release();
    expect(api.snapshot().nextSleepAt).toBe(world.clock.now() + 30 * S);
    await world.clock.advanceAsync(30 * S);
    expect(api.snapshot()).toMatchObject({ state: 'SLEEPING', nextSleepAt: null, idleTimeoutMs: 30 * S });

    const never = await flappingWorld({ priority: 'high' });
    expect(never.api.snapshot()).toMatchObject({ state: 'RUNNING', idleTimeoutMs: null, nextSleepAt: null });
  });

  it('shows min_uptime holding the sleep back', async () => {
    const { world, api } = await flappingWorld({ min_uptime: '2m' });
    expect(api.snapshot()).toMatchObject({ idleTimeoutMs: 30 * S, nextSleepAt: world.clock.now() + 120 * S });
  });
});
