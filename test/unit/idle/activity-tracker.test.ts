import { describe, expect, it } from 'vitest';
import { ActivityTracker } from '../../../src/idle/activity-tracker.ts';
import { ManualClock } from '../../support/manual-clock.ts';

function setup() {
  const clock = new ManualClock();
  let idleCalls = 0;
  const tracker = new ActivityTracker(clock, () => {
    idleCalls += 1;
  });
  return { clock, tracker, idleCalls: () => idleCalls };
}

describe('ActivityTracker', () => {
  it('starts with nothing in flight and the creation time as last activity', () => {
    const { clock, tracker } = setup();

    expect(tracker.snapshot()).toEqual({ inFlight: 0, lastActivityAt: clock.now() });
  });

  it('counts tracked work and stamps the time work starts and ends', () => {
    const { clock, tracker } = setup();
    const start = clock.now();

    clock.advance(10);
    const releaseA = tracker.track();
    clock.advance(5);
    tracker.track();
    expect(tracker.snapshot()).toEqual({ inFlight: 2, lastActivityAt: start + 15 });

    clock.advance(7);
    releaseA();
    expect(tracker.snapshot()).toEqual({ inFlight: 1, lastActivityAt: start + 22 });
  });

  it('ignores a second call of the same release', () => {
    const { tracker, idleCalls } = setup();
    const releaseA = tracker.track();
    tracker.track();

    releaseA();
    releaseA();

    expect(tracker.snapshot().inFlight).toBe(1);
    expect(idleCalls()).toBe(0);
  });

  it('calls onIdle once each time the count drops to zero', () => {
    const { tracker, idleCalls } = setup();
    const releases = [tracker.track(), tracker.track(), tracker.track()];

    for (const release of releases) release();
    releases[0]?.();
    expect(idleCalls()).toBe(1);

    tracker.track()();
    expect(idleCalls()).toBe(2);
  });

  it('touch moves the last activity time without counting work', () => {
    const { clock, tracker, idleCalls } = setup();

    clock.advance(1234);
    tracker.touch();

    expect(tracker.snapshot()).toEqual({ inFlight: 0, lastActivityAt: clock.now() });
    expect(idleCalls()).toBe(0);
  });
});
