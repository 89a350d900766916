import { describe, expect, it } from 'vitest';
import { MAX_TIMER_MS, toTimerDelayMs } from '../../../src/clock.ts';
import {
  DurationSchema,
  formatDurationMs,
  MAX_DURATION_MS,
  parseDurationMs,
  PositiveDurationSchema,
} from '../../../src/config/duration.ts';

describe('parseDurationMs', () => {
  it.each([
    ['300', 300_000],
    ['1.5', 1500],
    ['500ms', 500],
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['1h30m', 5_400_000],
    ['1m30s250ms', 90_250],
    ['2.5s', 2500],
    ['  10s  ', 10_000],
    ['0s', 0],
  ])('reads %j as %d ms', (text, ms) => {
    expect(parseDurationMs(text)).toBe(ms);
  });

  it.each(['', '5 minutes', '5min', 'm', '10x', '-5s', '1h 30m', '1d', 's10'])('refuses %j', (text) => {
    expect(parseDurationMs(text)).toBeNull();
  });
});

describe('DurationSchema', () => {
  it.each([
    [300, 300_000],
    [0.5, 500],
    ['1h30m', 5_400_000],
  ])('turns %j into %d ms', (input, ms) => {
    expect(DurationSchema.parse(input)).toBe(ms);
  });

  it.each([-1, '5 minutes', true, null])('rejects %j with a message showing the value', (input) => {
    const result = DurationSchema.safeParse(input);
    expect(result.success).toBe(false);
    if (typeof input !== 'boolean' && input !== null) expect(result.error?.issues[0]?.message).toContain(JSON.stringify(input));
  });
});

describe('formatDurationMs', () => {
  it.each([
    [0, '0s'],
    [500, '500ms'],
    [1000, '1s'],
    [60_000, '1m'],
    [90_000, '1m30s'],
    [5_400_000, '1h30m'],
    [3_601_001, '1h1s1ms'],
  ])('writes %d ms as %j', (ms, text) => {
    expect(formatDurationMs(ms)).toBe(text);
    expect(parseDurationMs(text)).toBe(ms);
  });
});

describe('duration limits (issue 10 item 4: timers hold at most 2^31-1 ms)', () => {
  it.each([
    ['600h', 'at most 596h31m23s (2^31−1 ms'],
    [2_147_484, 'at most 596h31m23s'],
    ['597h', 'at most 596h31m23s'],
    [1e300, 'at most'],
  ])('refuses %j with a message naming the limit', (input, text) => {
    const result = DurationSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toContain(text);
  });

  it.each([Number.POSITIVE_INFINITY, Number.NaN])('refuses %d', (input) => {
    expect(DurationSchema.safeParse(input).success).toBe(false);
  });

  it.each([
    ['596h31m23s', 2_147_483_000],
    [2_147_483.647, MAX_DURATION_MS],
    ['2147483647ms', MAX_DURATION_MS],
  ])('accepts %j, at the limit', (input, ms) => {
    expect(DurationSchema.parse(input)).toBe(ms);
  });

  it('bounds durations to what the clock can hold', () => {
    expect(MAX_DURATION_MS).toBe(MAX_TIMER_MS);
    expect(MAX_TIMER_MS).toBe(2_147_483_647);
  });

  it.each([
    [0, 0],
    [-5, 0],
    [Number.NaN, 0],
    [1000, 1000],
    [MAX_TIMER_MS + 1, MAX_TIMER_MS],
    [8 * MAX_TIMER_MS, MAX_TIMER_MS],
  ])('clamps a timer delay of %d ms to %d ms', (delay, clamped) => {
    expect(toTimerDelayMs(delay)).toBe(clamped);
  });
});

describe('PositiveDurationSchema', () => {
  it.each([0, '0s', '0ms', '0'])('refuses %j: 0 is not a timeout', (input) => {
    expect(PositiveDurationSchema.safeParse(input).error?.issues[0]?.message).toBe(
      `expected a duration greater than 0, got ${JSON.stringify(input)}`,
    );
  });

  it.each([
    ['1ms', 1],
    [0.001, 1],
    ['30s', 30_000],
  ])('accepts %j', (input, ms) => {
    expect(PositiveDurationSchema.parse(input)).toBe(ms);
  });
});
