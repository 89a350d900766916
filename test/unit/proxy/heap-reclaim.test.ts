import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/logging/logger.ts';
import {
  CHECK_EVERY_MS,
  createHeapReclaimer,
  GROWTH_MB,
  lastResortCollect,
  MIN_INTERVAL_MS,
  QUIET_CONNECTIONS,
  QUIET_UTILIZATION,
} from '../../../src/proxy/heap-reclaim.ts';
import { ManualClock } from '../../support/manual-clock.ts';

const MB = 1_048_576;

/** A reclaimer over a fake process: RSS, loop utilisation and the GC are under the test's control. */
function setup() {
  const clock = new ManualClock();
  const proc = { rss: 80 * MB, busy: 0, collected: 0, rssAfterGc: 80 * MB };
  const reclaimer = createHeapReclaimer({
    clock,
    log: createLogger({ level: 'silent' }),
    rssBytes: () => proc.rss,
    utilization: () => proc.busy,
    collect: () => {
      proc.collected += 1;
      proc.rss = proc.rssAfterGc;
    },
  });
  return { clock, reclaimer, proc };
}

describe('createHeapReclaimer', () => {
  it('reclaims start-up once, at the first quiet check, then not again without growth', () => {
    const { clock, proc } = setup();
    proc.busy = 0.5;
    clock.advance(CHECK_EVERY_MS);
    expect(proc.collected).toBe(0);
    proc.busy = 0;
    clock.advance(CHECK_EVERY_MS);
    expect(proc.collected).toBe(1);
    clock.advance(MIN_INTERVAL_MS * 3);
    expect(proc.collected).toBe(1);
  });

  it('reclaims after load once RSS grew GROWTH_MB over the last result and the proxy is quiet again', () => {
    const { clock, reclaimer, proc } = setup();
    clock.advance(CHECK_EVERY_MS);
    expect(proc.collected).toBe(1);
    // Load: many connections, a busy loop, RSS up.
    reclaimer.connectionsChanged(50);
    proc.busy = 0.9;
    proc.rss = 80 * MB + GROWTH_MB * MB;
    clock.advance(MIN_INTERVAL_MS * 2);
    expect(proc.collected).toBe(1);
    // The load ends.
    reclaimer.connectionsChanged(0);
    clock.advance(CHECK_EVERY_MS);
    expect(proc.collected).toBe(1);
    proc.busy = 0;
    clock.advance(CHECK_EVERY_MS);
    expect(proc.collected).toBe(2);
  });

  it('does not count a few busy connections as quiet', () => {
    const { clock, reclaimer, proc } = setup();
    clock.advance(CHECK_EVERY_MS);
    reclaimer.connectionsChanged(QUIET_CONNECTIONS);
    proc.busy = QUIET_UTILIZATION;
    proc.rss += GROWTH_MB * 2 * MB;
    clock.advance(MIN_INTERVAL_MS * 2);
    expect(proc.collected).toBe(1);
    reclaimer.connectionsChanged(QUIET_CONNECTIONS + 1);
    proc.busy = 0;
    clock.advance(MIN_INTERVAL_MS);
    expect(proc.collected).toBe(1);
    reclaimer.connectionsChanged(QUIET_CONNECTIONS);
    clock.advance(CHECK_EVERY_MS);
    expect(proc.collected).toBe(2);
  });

  it('leaves growth under GROWTH_MB alone', () => {
    const { clock, proc } = setup();
    clock.advance(CHECK_EVERY_MS);
    proc.rss += (GROWTH_MB - 1) * MB;
    clock.advance(MIN_INTERVAL_MS * 3);
    expect(proc.collected).toBe(1);
  });

  it('keeps MIN_INTERVAL_MS between two reclaims', () => {
    const { clock, proc } = setup();
    clock.advance(CHECK_EVERY_MS);
    expect(proc.collected).toBe(1);
    proc.rss += GROWTH_MB * MB;
    clock.advance(MIN_INTERVAL_MS - 1);
    expect(proc.collected).toBe(1);
    // The next check at or after MIN_INTERVAL_MS since the first reclaim runs the second.
    clock.advance(CHECK_EVERY_MS);
    expect(proc.collected).toBe(2);
  });

  it('does nothing once closed', () => {
    const { clock, reclaimer, proc } = setup();
    reclaimer.close();
    clock.advance(MIN_INTERVAL_MS * 3);
    expect(proc.collected).toBe(0);
  });

  it('obtains a last-resort GC without exposing gc globally', () => {
    const collect = lastResortCollect();
    expect(() => collect()).not.toThrow();
    expect((globalThis as { gc?: unknown }).gc).toBeUndefined();
  });
});
