import { describe, expect, it } from 'vitest';
import { parseBenchOptions } from '../../../bench/options.ts';

describe('parseBenchOptions', () => {
  it('uses the full-run counts by default and rewrites the README', () => {
    const options = parseBenchOptions([], {});
    expect(options).toMatchObject({
      quick: false,
      pausedIterations: 30,
      coldIterations: 25,
      burstRequests: 1000,
      steadyConnections: 50,
      callgrindRequests: 5000,
      scaleServices: 500,
      lookups: 1_000_000,
      writeReadme: true,
      preferAutocannon: false,
      cpuProfile: false,
      proxyFromSource: false,
    });
  });

  it.each([
    { argv: ['--quick'], env: {} },
    { argv: [], env: { BENCH_QUICK: '1' } },
  ])('makes a small run that leaves the README alone for $argv $env', ({ argv, env }) => {
    const options = parseBenchOptions(argv, env);
    expect(options.quick).toBe(true);
    expect(options.pausedIterations).toBeLessThan(30);
    expect(options.writeReadme).toBe(false);
  });

  it('lets each count be set from the environment', () => {
    const options = parseBenchOptions([], { BENCH_PAUSED_ITERATIONS: '7', BENCH_BURST: '50', BENCH_SERVICES: '20', BENCH_CALLGRIND_REQUESTS: '400' });
    expect(options.pausedIterations).toBe(7);
    expect(options.callgrindRequests).toBe(400);
    expect(options.burstRequests).toBe(50);
    expect(options.scaleServices).toBe(20);
  });

  it.each([
    { argv: ['--autocannon'], env: {}, key: 'preferAutocannon' },
    { argv: [], env: { BENCH_LOAD: 'autocannon' }, key: 'preferAutocannon' },
    { argv: ['--cpu-prof'], env: {}, key: 'cpuProfile' },
    { argv: [], env: { BENCH_CPU_PROF: 'true' }, key: 'cpuProfile' },
    { argv: [], env: { BENCH_PROXY_TS: '1' }, key: 'proxyFromSource' },
  ] as const)('turns $key on from $argv $env', ({ argv, env, key }) => {
    expect(parseBenchOptions(argv, env)[key]).toBe(true);
  });

  it('treats BENCH_QUICK=0 as off', () => {
    expect(parseBenchOptions([], { BENCH_QUICK: '0' }).quick).toBe(false);
  });

  it('rejects a count that is not a positive integer, naming the variable', () => {
    expect(() => parseBenchOptions([], { BENCH_BURST: '-3' })).toThrow(/BENCH_BURST/);
    expect(() => parseBenchOptions([], { BENCH_COLD_ITERATIONS: 'many' })).toThrow(/BENCH_COLD_ITERATIONS/);
  });

  it('rejects an unknown flag', () => {
    expect(() => parseBenchOptions(['--fast'], {})).toThrow(/unknown flag --fast/);
  });
});
