import { describe, expect, it } from 'vitest';
import { othersBusy } from '../../../src/lifecycle/settle-lock.ts';

const view = (running: boolean) => ({ running: () => running, idleTimeoutMs: () => 60_000, now: () => 100_000 });

describe('othersBusy', () => {
  it.each([
    { others: null, running: true, busy: false },
    { others: { inFlight: 1, lastActivityAt: 0 }, running: false, busy: true },
    { others: { inFlight: 0, lastActivityAt: 50_000 }, running: true, busy: true },
    { others: { inFlight: 0, lastActivityAt: 40_000 }, running: true, busy: false },
    { others: { inFlight: 0, lastActivityAt: 50_000 }, running: false, busy: false },
  ])('is $busy for $others while running: $running', ({ others, running, busy }) => {
    expect(othersBusy(others, view(running))).toBe(busy);
  });
});
