import { describe, expect, it } from 'vitest';
import { escapeLabelValue, formatValue, sample } from '../../../src/metrics/exposition.ts';
import { CounterFamily, Histogram, WAKE_BUCKETS_SECONDS } from '../../../src/metrics/histogram.ts';

describe('exposition helpers', () => {
  it.each([
    ['plain', 'plain'],
    ['a"b', 'a\\"b'],
    ['a\\b', 'a\\\\b'],
    ['a\nb', 'a\\nb'],
    ['ünïcode', 'ünïcode'],
  ])('escapes the label value %j as %j', (raw, escaped) => {
    expect(escapeLabelValue(raw)).toBe(escaped);
  });

  it('spells special numbers the Prometheus way', () => {
    expect([formatValue(Infinity), formatValue(-Infinity), formatValue(NaN), formatValue(0.25)]).toEqual(['+Inf', '-Inf', 'NaN', '0.25']);
  });

  it('writes a sample without braces when it has no labels', () => {
    expect(sample('x_total', {}, 3)).toBe('x_total 3');
    expect(sample('x_total', { a: '1', b: '2' }, 3)).toBe('x_total{a="1",b="2"} 3');
  });
});

describe('Histogram', () => {
  it('renders cumulative buckets, +Inf, sum and count', () => {
    const h = new Histogram('t_seconds', 'help', [0.01, 0.1, 1]);
    for (const v of [0.005, 0.01, 0.05, 0.5, 5]) h.observe({ service: 'api' }, v);
    const text = h.render();
    expect(text).toContain('# TYPE t_seconds histogram');
    expect(text).toContain('t_seconds_bucket{service="api",le="0.01"} 2');
    expect(text).toContain('t_seconds_bucket{service="api",le="0.1"} 3');
    expect(text).toContain('t_seconds_bucket{service="api",le="1"} 4');
    expect(text).toContain('t_seconds_bucket{service="api",le="+Inf"} 5');
    expect(Number(/t_seconds_sum\{service="api"\} (\S+)/.exec(text)?.[1])).toBeCloseTo(5.565, 9);
    expect(text).toContain('t_seconds_count{service="api"} 5');
  });

  it('keeps one series per label set', () => {
    const h = new Histogram('t_seconds', 'help', WAKE_BUCKETS_SECONDS);
    h.observe({ service: 'a', from: 'SLEEPING' }, 0.02);
    h.observe({ service: 'a', from: 'STOPPED' }, 0.3);
    h.observe({ service: 'a', from: 'SLEEPING' }, 0.02);
    const text = h.render();
    expect(text).toContain('t_seconds_count{service="a",from="SLEEPING"} 2');
    expect(text).toContain('t_seconds_count{service="a",from="STOPPED"} 1');
  });

  it('has wake buckets from 5 ms to 60 s', () => {
    expect(WAKE_BUCKETS_SECONDS[0]).toBe(0.005);
    expect(WAKE_BUCKETS_SECONDS.at(-1)).toBe(60);
  });

  it('refuses buckets that do not ascend', () => {
    expect(() => new Histogram('x', 'h', [1, 0.5])).toThrow(/ascend/);
  });
});

describe('CounterFamily', () => {
  it('adds per label set and renders each series', () => {
    const c = new CounterFamily('r_total', 'help');
    c.inc({ code: '2xx' });
    c.inc({ code: '2xx' }, 2);
    c.inc({ code: '5xx' });
    expect(c.get({ code: '2xx' })).toBe(3);
    expect(c.render()).toContain('r_total{code="5xx"} 1');
  });
});
