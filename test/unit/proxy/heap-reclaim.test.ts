import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/logging/logger.ts';
import {
  BURST_CONNECTIONS,
  createHeapReclaimer,
  lastResortCollect,
  MIN_INTERVAL_MS,
  QUIET_CONNECTIONS,
  QUIET_MS,
} from '../../../src/proxy/heap-reclaim.ts';
import { ManualClock } from '../../support/manual-clock.ts';

function setup() {
  const clock = new ManualClock();
  let collected = 0;
  const reclaimer = createHeapReclaimer({ clock, log: createLogger({ level: 'silent' }), collect: () => (collected += 1) });
  return { clock, reclaimer, collected: () => collected };
}

describe('createHeapReclaimer', () => {
  it('collects once after a burst, when the proxy has stayed quiet for QUIET_MS', () => {
    const { clock, reclaimer, collected } = setup();
    reclaimer.connectionsChanged(BURST_CONNECTIONS);
    reclaimer.connectionsChanged(QUIET_CONNECTIONS);
    clock.advance(QUIET_MS - 1);
    expect(collected()).toBe(0);
    clock.advance(1);
    expect(collected()).toBe(1);
    clock.advance(MIN_INTERVAL_MS * 2);
    expect(collected()).toBe(1);
  });

  it('never collects without a burst', () => {
    const { clock, reclaimer, collected } = setup();
    reclaimer.connectionsChanged(BURST_CONNECTIONS - 1);
    reclaimer.connectionsChanged(0);
    clock.advance(MIN_INTERVAL_MS);
    expect(collected()).toBe(0);
  });

  it('waits while traffic comes back above the quiet mark', () => {
    const { clock, reclaimer, collected } = setup();
    reclaimer.connectionsChanged(BURST_CONNECTIONS);
    reclaimer.connectionsChanged(1);
    clock.advance(QUIET_MS - 1);
    reclaimer.connectionsChanged(QUIET_CONNECTIONS + 1);
    clock.advance(QUIET_MS);
    expect(collected()).toBe(0);
    reclaimer.connectionsChanged(0);
    clock.advance(QUIET_MS);
    expect(collected()).toBe(1);
  });

  it('keeps MIN_INTERVAL_MS between two collections', () => {
    const { clock, reclaimer, collected } = setup();
    reclaimer.connectionsChanged(BURST_CONNECTIONS);
    reclaimer.connectionsChanged(0);
    clock.advance(QUIET_MS);
    reclaimer.connectionsChanged(BURST_CONNECTIONS);
    reclaimer.connectionsChanged(0);
    clock.advance(QUIET_MS);
    expect(collected()).toBe(1);
    clock.advance(MIN_INTERVAL_MS - QUIET_MS - 1);
    expect(collected()).toBe(1);
    clock.advance(1);
    expect(collected()).toBe(2);
  });

  it('does nothing once closed', () => {
    const { clock, reclaimer, collected } = setup();
    reclaimer.connectionsChanged(BURST_CONNECTIONS);
    reclaimer.connectionsChanged(0);
    reclaimer.close();
    reclaimer.connectionsChanged(BURST_CONNECTIONS);
    reclaimer.connectionsChanged(0);
    clock.advance(MIN_INTERVAL_MS);
    expect(collected()).toBe(0);
  });

  it('obtains a last-resort GC without exposing gc globally', () => {
    const collect = lastResortCollect();
    expect(() => collect()).not.toThrow();
    expect((globalThis as { gc?: unknown }).gc).toBeUndefined();
  });
});
