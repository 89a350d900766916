import { describe, expect, it } from 'vitest';
import type { ContainerStatus } from '../../../src/providers/container-provider.ts';
import { FOLLOW_POLL_MS, takeWakeTurn } from '../../../src/lifecycle/wake-turn.ts';
import { MemoryStore } from '../../../src/state/memory-store.ts';
import { SharedStateHub } from '../../../src/state/shared-state-hub.ts';
import { ManualClock } from '../../support/manual-clock.ts';
import { captureLogs } from './lifecycle-fixtures.ts';

function setup() {
  const clock = new ManualClock();
  const store = new MemoryStore(clock);
  const { logger } = captureLogs();
  const hub = (id: string) => new SharedStateHub({ store, clock, logger, replicaId: id, where: 'memory' });
  let state: ContainerStatus['state'] = 'paused';
  let inspects = 0;
  const provider = {
    inspect: async (): Promise<ContainerStatus> => {
      inspects += 1;
      return { state } as ContainerStatus;
    },
  };
  const deps = (id: string) => ({ share: hub(id).service('api'), provider, clock, container: 'api', port: 8080, timeoutMs: 1000 });
  return { clock, deps, setState: (s: ContainerStatus['state']) => (state = s), inspects: () => inspects };
}

describe('takeWakeTurn', () => {
  it('lets the first replica lead and makes the second follow until the container runs', async () => {
    const { clock, deps, setState, inspects } = setup();
    const signal = new AbortController().signal;
    const lead = await takeWakeTurn(deps('a'), signal);
    expect(lead.role).toBe('lead');
    let followed: string | null = null;
    const following = takeWakeTurn(deps('b'), signal).then((t) => (followed = t.role));
    await clock.advanceAsync(FOLLOW_POLL_MS * 3);
    expect(followed).toBeNull();
    setState('running');
    await clock.advanceAsync(FOLLOW_POLL_MS);
    await following;
    expect(followed).toBe('follow');
    expect(inspects()).toBeGreaterThanOrEqual(2);
  });

  it('takes the lead when the leader releases the lock without the container running (a failed wake)', async () => {
    const { clock, deps } = setup();
    const signal = new AbortController().signal;
    const lead = await takeWakeTurn(deps('a'), signal);
    const second = takeWakeTurn(deps('b'), signal);
    await clock.advanceAsync(FOLLOW_POLL_MS);
    if (lead.role === 'lead') lead.lock?.release();
    await clock.advanceAsync(FOLLOW_POLL_MS * 2);
    const turn = await second;
    expect(turn.role).toBe('lead');
    expect(turn.role === 'lead' && turn.lock !== null).toBe(true);
  });

  it('wakes alone, without the lock, once the wake timeout passed while following', async () => {
    const { clock, deps } = setup();
    const signal = new AbortController().signal;
    await takeWakeTurn(deps('a'), signal);
    const second = takeWakeTurn(deps('b'), signal);
    await clock.advanceAsync(1000 + FOLLOW_POLL_MS);
    expect(await second).toEqual({ role: 'lead', lock: null });
  });

  it('ends the wait when aborted (shutdown)', async () => {
    const { clock, deps } = setup();
    await takeWakeTurn(deps('a'), new AbortController().signal);
    const stop = new AbortController();
    const second = takeWakeTurn(deps('b'), stop.signal);
    await clock.advanceAsync(FOLLOW_POLL_MS);
    stop.abort(new Error('closing'));
    await expect(second).rejects.toThrow('closing');
  });
});
