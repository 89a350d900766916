import { describe, expect, it } from 'vitest';
import { isP99TheMax, percentileOfSorted, ratio, round, summarize } from '../../../bench/stats.ts';

describe('percentileOfSorted', () => {
  const tenSamples = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  it.each([
    { p: 50, expected: 5 },
    { p: 51, expected: 6 },
    { p: 90, expected: 9 },
    { p: 99, expected: 10 },
    { p: 100, expected: 10 },
    { p: 1, expected: 1 },
  ])('returns the nearest-rank p$p of 1..10 as $expected', ({ p, expected }) => {
    expect(percentileOfSorted(tenSamples, p)).toBe(expected);
  });

  it('returns the 99th of 100 samples as p99, not the maximum', () => {
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentileOfSorted(hundred, 99)).toBe(99);
  });

  it('rejects an empty series and a percentile outside (0, 100]', () => {
    expect(() => percentileOfSorted([], 50)).toThrow(RangeError);
    expect(() => percentileOfSorted([1], 0)).toThrow(RangeError);
    expect(() => percentileOfSorted([1], 101)).toThrow(RangeError);
  });
});

describe('summarize', () => {
  it('sorts unsorted samples and reports min, p50, p99 and max', () => {
    expect(summarize([30, 10, 20])).toEqual({ n: 3, min: 10, p50: 20, p99: 30, max: 30 });
  });

  it('summarizes a single sample as that sample everywhere', () => {
    expect(summarize([7.5])).toEqual({ n: 1, min: 7.5, p50: 7.5, p99: 7.5, max: 7.5 });
  });

  it('leaves the caller\'s array in its original order', () => {
    const samples = [3, 1, 2];
    summarize(samples);
    expect(samples).toEqual([3, 1, 2]);
  });
});

describe('isP99TheMax', () => {
  it.each([
    { n: 1, expected: true },
    { n: 30, expected: true },
    { n: 99, expected: true },
    { n: 100, expected: false },
    { n: 2000, expected: false },
  ])('says $expected for $n samples', ({ n, expected }) => {
    expect(isP99TheMax(n)).toBe(expected);
  });
});

describe('ratio', () => {
  it.each([
    { a: 15, b: 10, expected: 1.5 },
    { a: 1, b: 3, expected: 0.33 },
    { a: null, b: 3, expected: null },
    { a: 3, b: null, expected: null },
    { a: 3, b: 0, expected: null },
  ])('divides $a by $b as $expected', ({ a, b, expected }) => {
    expect(ratio(a, b)).toBe(expected);
  });
});

describe('round', () => {
  it('rounds to two decimals by default and to the digits asked for', () => {
    expect(round(1.23456)).toBe(1.23);
    expect(round(1.23456, 3)).toBe(1.235);
    expect(round(0.5, 0)).toBe(1);
  });
});
