import { describe, expect, it } from 'vitest';
import { WakeTimeline } from '../../../src/lifecycle/wake-timeline.ts';
import { ManualClock } from '../../support/manual-clock.ts';

describe('WakeTimeline', () => {
  it('turns phase marks into per-step durations and a total', () => {
    const clock = new ManualClock();
    const timeline = new WakeTimeline(clock, { service: 'api', from: 'SLEEPING', cause: 'request' });
    clock.advance(5);
    timeline.complete('dependency');
    clock.advance(12);
    timeline.complete('provider');
    clock.advance(1);
    timeline.complete('running');
    clock.advance(20);
    timeline.complete('ready');
    expect(timeline.toLogFields({ held: 3, probes: 4 })).toEqual({
      from: 'SLEEPING',
      cause: 'request',
      held: 3,
      dependencyMs: 5,
      providerMs: 12,
      runningMs: 1,
      readyMs: 20,
      totalMs: 38,
      probes: 4,
    });
  });

  it('reports the step in progress and leaves unreached steps null', () => {
    const clock = new ManualClock();
    const timeline = new WakeTimeline(clock, { service: 'api', from: 'STOPPED', cause: 'startup' });
    expect(timeline.currentStep()).toBe('dependency');
    timeline.complete('dependency');
    clock.advance(30);
    expect(timeline.currentStep()).toBe('provider');
    expect(timeline.toLogFields({ held: 1, probes: 0 })).toMatchObject({
      dependencyMs: 0,
      providerMs: null,
      runningMs: null,
      readyMs: null,
      totalMs: 30,
    });
  });
});
