import { describe, expect, it } from 'vitest';
import { pickLeastInFlight, type Candidate } from '../../../src/balance/least-in-flight.ts';

const ready = (inFlight: number): Candidate => ({ inFlight, eligible: true });
const out = (inFlight: number): Candidate => ({ inFlight, eligible: false });

describe('pickLeastInFlight', () => {
  it.each([
    ['the fewest in flight wins', [ready(2), ready(0), ready(1)], -1, 1],
    ['a tie goes to the first after the last pick', [ready(0), ready(0), ready(0)], 0, 1],
    ['the scan wraps around', [ready(0), ready(0), ready(0)], 2, 0],
    ['ineligible instances are skipped even when idle', [out(0), ready(5), out(0)], -1, 1],
    ['none eligible gives -1', [out(0), out(1)], -1, -1],
    ['no instances gives -1', [], -1, -1],
    ['a slow request piles on one: the next goes elsewhere', [ready(1), ready(0), ready(0)], 0, 1],
  ] as const)('%s', (_name, candidates, after, expected) => {
    expect(pickLeastInFlight(candidates, after)).toBe(expected);
  });

  it('spreads sequential requests round robin when nothing stays in flight', () => {
    const candidates = [ready(0), ready(0), ready(0)];
    const picks: number[] = [];
    let last = -1;
    for (let i = 0; i < 6; i += 1) {
      last = pickLeastInFlight(candidates, last);
      picks.push(last);
    }
    expect(picks).toEqual([0, 1, 2, 0, 1, 2]);
  });
});
