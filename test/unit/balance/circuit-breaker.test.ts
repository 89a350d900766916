import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../../../src/balance/circuit-breaker.ts';
import { ManualClock } from '../../support/manual-clock.ts';

function breaker(): { b: CircuitBreaker; clock: ManualClock } {
  return { b: new CircuitBreaker({ failures: 3, openForMs: 5_000 }), clock: new ManualClock() };
}

describe('CircuitBreaker', () => {
  it('opens after the configured consecutive failures, not before', () => {
    const { b, clock } = breaker();
    expect(b.recordFailure(clock.now())).toBe(false);
    expect(b.recordFailure(clock.now())).toBe(false);
    expect(b.state).toBe('closed');
    expect(b.recordFailure(clock.now())).toBe(true);
    expect(b.state).toBe('open');
    expect(b.isClosed()).toBe(false);
  });

  it('a success resets the count of consecutive failures', () => {
    const { b, clock } = breaker();
    b.recordFailure(clock.now());
    b.recordFailure(clock.now());
    b.recordSuccess();
    expect(b.recordFailure(clock.now())).toBe(false);
    expect(b.failures).toBe(1);
    expect(b.state).toBe('closed');
  });

  it('is due for one trial only after open_for, then half-open', () => {
    const { b, clock } = breaker();
    for (let i = 0; i < 3; i += 1) b.recordFailure(clock.now());
    expect(b.trialDueAt()).toBe(clock.now() + 5_000);
    clock.advance(4_999);
    expect(b.beginTrial(clock.now())).toBe(false);
    expect(b.state).toBe('open');
    clock.advance(1);
    expect(b.beginTrial(clock.now())).toBe(true);
    expect(b.state).toBe('half_open');
    expect(b.beginTrial(clock.now())).toBe(false);
    expect(b.isClosed()).toBe(false);
  });

  it('half-open: a successful trial closes it', () => {
    const { b, clock } = breaker();
    for (let i = 0; i < 3; i += 1) b.recordFailure(clock.now());
    clock.advance(5_000);
    b.beginTrial(clock.now());
    b.recordSuccess();
    expect(b.state).toBe('closed');
    expect(b.failures).toBe(0);
  });

  it('half-open: a failed trial opens it again for another open_for', () => {
    const { b, clock } = breaker();
    for (let i = 0; i < 3; i += 1) b.recordFailure(clock.now());
    clock.advance(5_000);
    b.beginTrial(clock.now());
    expect(b.recordFailure(clock.now())).toBe(true);
    expect(b.state).toBe('open');
    expect(b.trialDueAt()).toBe(clock.now() + 5_000);
  });

  it('failures while open change nothing', () => {
    const { b, clock } = breaker();
    for (let i = 0; i < 3; i += 1) b.recordFailure(clock.now());
    const due = b.trialDueAt();
    clock.advance(1_000);
    expect(b.recordFailure(clock.now())).toBe(false);
    expect(b.trialDueAt()).toBe(due);
  });
});
