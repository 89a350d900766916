import { describe, expect, it } from 'vitest';
import { DurationSchema, parseDurationMs } from '../../../src/config/duration.ts';
import { formatDurationMs } from '../../../src/config/schema-fields.ts';

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
