import { describe, expect, it } from 'vitest';
import { activityChanged, decodeLease, encodeLease, mergeOthers, needsPublish } from '../../../src/state/lease-table.ts';

const NOW = 1_700_000_000_000;

describe('lease table', () => {
  it('round-trips a lease through its stored text', () => {
    const lease = { inFlight: 3, lastActivityAt: NOW - 5, expiresAt: NOW + 3000 };
    expect(decodeLease(encodeLease(lease))).toEqual(lease);
  });

  it.each(['', '1:2', 'a:b:c', '-1:2:3', '1.5:2:3', '1:2:3:4'])('ignores %j, which is not a lease', (text) => {
    expect(decodeLease(text)).toBeNull();
  });

  it('sums the in-flight work of the other replicas and takes their latest activity', () => {
    const fields = {
      a: encodeLease({ inFlight: 2, lastActivityAt: NOW - 100, expiresAt: NOW + 1000 }),
      b: encodeLease({ inFlight: 1, lastActivityAt: NOW - 10, expiresAt: NOW + 2000 }),
      self: encodeLease({ inFlight: 9, lastActivityAt: NOW, expiresAt: NOW + 3000 }),
    };
    expect(mergeOthers(fields, 'self', NOW)).toEqual({ inFlight: 3, lastActivityAt: NOW - 10 });
  });

  it('stops counting the work of an expired lease but keeps its last activity', () => {
    const fields = { dead: encodeLease({ inFlight: 4, lastActivityAt: NOW - 5000, expiresAt: NOW - 1 }) };
    expect(mergeOthers(fields, 'self', NOW)).toEqual({ inFlight: 0, lastActivityAt: NOW - 5000 });
  });

  it('knows nothing when only this replica has a lease', () => {
    expect(mergeOthers({ self: encodeLease({ inFlight: 1, lastActivityAt: NOW, expiresAt: NOW + 1 }) }, 'self', NOW)).toBeNull();
  });

  it('publishes while work is in flight and once after a change, never while idle and unchanged', () => {
    expect(needsPublish({ inFlight: 1, lastActivityAt: NOW }, { inFlight: 1, lastActivityAt: NOW })).toBe(true);
    expect(needsPublish({ inFlight: 0, lastActivityAt: NOW }, { inFlight: 1, lastActivityAt: NOW - 1 })).toBe(true);
    expect(needsPublish({ inFlight: 0, lastActivityAt: NOW }, null)).toBe(true);
    expect(needsPublish({ inFlight: 0, lastActivityAt: NOW }, { inFlight: 0, lastActivityAt: NOW })).toBe(false);
  });

  it('tells a changed view from an equal one', () => {
    expect(activityChanged(null, null)).toBe(false);
    expect(activityChanged(null, { inFlight: 0, lastActivityAt: NOW })).toBe(true);
    expect(activityChanged({ inFlight: 1, lastActivityAt: NOW }, { inFlight: 1, lastActivityAt: NOW })).toBe(false);
    expect(activityChanged({ inFlight: 1, lastActivityAt: NOW }, { inFlight: 0, lastActivityAt: NOW })).toBe(true);
  });
});
