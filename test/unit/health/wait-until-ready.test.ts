import { describe, expect, it } from 'vitest';
import type { ProbeResult, ReadinessProbe } from '../../../src/health/readiness-probe.ts';
import { FAST_ATTEMPTS, readinessBackoff, ReadinessDeadlineError, REFUSED_FAST_MS, waitUntilReady } from '../../../src/health/wait-until-ready.ts';
import { ManualClock } from '../../support/manual-clock.ts';

const UPSTREAM = { host: '127.0.0.1', port: 8080 };
const NOT_READY: ProbeResult = { ready: false, detail: 'HTTP 503' };
const READY: ProbeResult = { ready: true, detail: 'HTTP 200' };
const REFUSED: ProbeResult = { ready: false, detail: 'ECONNREFUSED', refused: true };

/** A probe that answers from a script and records when (in clock time) and with which signal it ran. */
function scriptedProbe(clock: ManualClock, answer: (attempt: number) => Promise<ProbeResult>) {
  const calls: { at: number; signal: AbortSignal }[] = [];
  const probe: ReadinessProbe = {
    check(_upstream, signal) {
      calls.push({ at: clock.now(), signal });
      return answer(calls.length);
    },
  };
  return { probe, calls };
}

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Lets the promise run, moving the manual clock in small steps until it settles. */
async function drive<T>(clock: ManualClock, promise: Promise<T>, stepMs = 0.125): Promise<T> {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  for (let step = 0; step < 100_000 && !settled; step += 1) {
    await flush();
    if (!settled) clock.advance(stepMs);
  }
  return promise;
}

describe('waitUntilReady', () => {
  it('probes at once and returns the attempt count when the 5th probe is ready', async () => {
    const clock = new ManualClock();
    const start = clock.now();
    const { probe, calls } = scriptedProbe(clock, async (n) => (n === 5 ? READY : NOT_READY));

    const result = await drive(
      clock,
      waitUntilReady({ probe, upstream: UPSTREAM, clock, deadlineAt: start + 1000, signal: new AbortController().signal }),
    );

    expect(result).toEqual({ attempts: 5, last: READY });
    expect(calls.map((c) => c.at - start)).toEqual([0, 1, 2.5, 4.75, 8.125]);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('rejects with ReadinessDeadlineError carrying the last result when the deadline passes', async () => {
    const clock = new ManualClock();
    const { probe, calls } = scriptedProbe(clock, async () => NOT_READY);

    const error = await drive(
      clock,
      waitUntilReady({ probe, upstream: UPSTREAM, clock, deadlineAt: clock.now() + 50, signal: new AbortController().signal }),
    ).catch((err: unknown) => err);

    expect(error).toBeInstanceOf(ReadinessDeadlineError);
    expect(error).toMatchObject({ last: NOT_READY, attempts: calls.length });
    expect(calls.length).toBeGreaterThan(5);
    expect((error as Error).message).toContain('last probe: HTTP 503');
  });

  it('abandons a hung probe at the deadline and aborts its signal', async () => {
    const clock = new ManualClock();
    const { probe, calls } = scriptedProbe(clock, () => new Promise<ProbeResult>(() => undefined));

    const error = await drive(
      clock,
      waitUntilReady({ probe, upstream: UPSTREAM, clock, deadlineAt: clock.now() + 20, signal: new AbortController().signal }),
      1,
    ).catch((err: unknown) => err);

    expect(error).toBeInstanceOf(ReadinessDeadlineError);
    expect(error).toMatchObject({ last: null, attempts: 1 });
    expect(calls[0]?.signal.aborted).toBe(true);
  });

  it('rejects without probing when the deadline has already passed', async () => {
    const clock = new ManualClock();
    const { probe, calls } = scriptedProbe(clock, async () => READY);

    const pending = waitUntilReady({ probe, upstream: UPSTREAM, clock, deadlineAt: clock.now(), signal: new AbortController().signal });

    await expect(pending).rejects.toMatchObject({ name: 'ReadinessDeadlineError', attempts: 0, last: null });
    expect(calls).toEqual([]);
  });

  it('rejects with the signal reason when aborted between probes', async () => {
    const clock = new ManualClock();
    const controller = new AbortController();
    const reason = new Error('client closed');
    const { probe } = scriptedProbe(clock, async (n) => {
      if (n === 3) controller.abort(reason);
      return NOT_READY;
    });

    const pending = waitUntilReady({ probe, upstream: UPSTREAM, clock, deadlineAt: clock.now() + 1000, signal: controller.signal });

    await expect(drive(clock, pending)).rejects.toBe(reason);
  });

  it('rejects with the signal reason when aborted during a hung probe', async () => {
    const clock = new ManualClock();
    const controller = new AbortController();
    const reason = new Error('shutting down');
    const { probe, calls } = scriptedProbe(clock, () => new Promise<ProbeResult>(() => undefined));

    const pending = waitUntilReady({ probe, upstream: UPSTREAM, clock, deadlineAt: clock.now() + 1000, signal: controller.signal });
    await flush();
    controller.abort(reason);

    await expect(pending).rejects.toBe(reason);
    expect(calls[0]?.signal.aborted).toBe(true);
  });

  it('counts a probe that throws as a failed attempt and keeps polling', async () => {
    const clock = new ManualClock();
    const { probe } = scriptedProbe(clock, async (n) => {
      if (n === 1) throw new Error('probe bug');
      return READY;
    });

    const result = await drive(
      clock,
      waitUntilReady({ probe, upstream: UPSTREAM, clock, deadlineAt: clock.now() + 1000, signal: new AbortController().signal }),
    );

    expect(result).toEqual({ attempts: 2, last: READY });
  });

  it('waits as long as a custom backoff says, capped by the deadline', async () => {
    const clock = new ManualClock();
    const start = clock.now();
    const { probe, calls } = scriptedProbe(clock, async () => NOT_READY);

    await drive(
      clock,
      waitUntilReady({ probe, upstream: UPSTREAM, clock, deadlineAt: start + 25, signal: new AbortController().signal, backoff: () => 10 }),
      1,
    ).catch(() => undefined);

    expect(calls.map((c) => c.at - start)).toEqual([0, 10, 20]);
  });
});

describe('waitUntilReady with refused connections', () => {
  /** The gaps between the probes of a wait whose probe answers `answer` until the deadline. */
  async function gapsOf(answer: ProbeResult, waitMs: number): Promise<number[]> {
    const clock = new ManualClock();
    const start = clock.now();
    const { probe, calls } = scriptedProbe(clock, async () => answer);
    await drive(clock, waitUntilReady({ probe, upstream: UPSTREAM, clock, deadlineAt: start + waitMs, signal: new AbortController().signal }), 0.125).catch(
      () => undefined,
    );
    return calls.slice(1).map((c, i) => c.at - (calls[i]?.at ?? 0));
  }

  it('keeps probing every 5 ms while refused in the first second, past the fast stage', async () => {
    const gaps = await gapsOf(REFUSED, 400);
    expect(gaps.length).toBeGreaterThan(FAST_ATTEMPTS + 20);
    expect(gaps.slice(FAST_ATTEMPTS)).toEqual(gaps.slice(FAST_ATTEMPTS).map(() => 5));
  });

  it('slows down as before when the app answers not ready', async () => {
    const gaps = await gapsOf(NOT_READY, 400);
    expect(gaps.slice(FAST_ATTEMPTS, FAST_ATTEMPTS + 3)).toEqual([7.5, 11.25, 16.875]);
    expect(gaps.length).toBeLessThan(FAST_ATTEMPTS + 12);
  });

  it('counts refusals like any failure once the first second has passed', async () => {
    const gaps = await gapsOf(REFUSED, REFUSED_FAST_MS + 1_000);
    const fast = gaps.filter((g) => g === 5).length;
    expect(fast).toBeGreaterThan(150);
    expect(fast).toBeLessThanOrEqual(REFUSED_FAST_MS / 5);
    expect(gaps.at(-2)).toBe(100);
  });
});

describe('readinessBackoff', () => {
  it('starts at 1 ms and grows by half each attempt, then stays at 5 ms for the first probes', () => {
    expect([1, 2, 3, 4, 5, 6, 14].map((n) => readinessBackoff(n))).toEqual([1, 1.5, 2.25, 3.375, 5, 5, 5]);
    expect(FAST_ATTEMPTS).toBe(14);
  });

  it('then grows by half each attempt up to the interval, which also caps the fast stage', () => {
    expect([15, 16, 17, 100].map((n) => readinessBackoff(n))).toEqual([7.5, 11.25, 16.875, 100]);
    expect([3, 5, 20].map((n) => readinessBackoff(n, 2))).toEqual([2, 2, 2]);
    expect(readinessBackoff(50, 0)).toBe(1);
  });

  it('caps at 100 ms by default, so a 10 s boot gets at most ~150 probes', () => {
    let elapsedMs = 0;
    let probes = 0;
    while (elapsedMs < 10_000) {
      probes += 1;
      elapsedMs += readinessBackoff(probes);
    }
    expect(readinessBackoff(1_000)).toBe(100);
    expect(probes).toBeLessThanOrEqual(150);
    expect(probes).toBeGreaterThan(90);
  });

  it('probes every 5 ms or less for the first ~60 ms, and reaches the 100 ms cap within ~0.5 s', () => {
    const delays = Array.from({ length: 30 }, (_, i) => readinessBackoff(i + 1));
    const fast = delays.slice(0, FAST_ATTEMPTS);
    expect(fast.every((d) => d <= 5)).toBe(true);
    expect(fast.reduce((a, b) => a + b, 0)).toBeLessThan(65);
    const capAt = delays.indexOf(100);
    expect(capAt).toBeGreaterThan(FAST_ATTEMPTS);
    expect(delays.slice(0, capAt).reduce((a, b) => a + b, 0)).toBeLessThan(500);
  });
});
