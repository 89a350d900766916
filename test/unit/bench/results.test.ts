import { describe, expect, it } from 'vitest';
import { toResults, type Measurements } from '../../../bench/results.ts';
import { summarize } from '../../../bench/stats.ts';

const load = (rps: number, cpuUsPerRequest: number | null = null) => ({ rps, requests: rps * 8, errors: 0, p50Ms: 1, p99Ms: 2, cpuUsPerRequest });
const memory = (rssMb: number, anonMb: number) => ({ rssMb, anonMb });

const MEASUREMENTS: Measurements = {
  date: '2026-01-01T00:00:00.000Z',
  machine: { cpus: 2, cpuModel: 'cpu', memoryGb: 4, kernel: 'Linux 6', docker: '20.10 (API 1.41)', node: 'v24.21.0' },
  quick: false,
  proxyRuntime: 'compiled JavaScript (tsc)',
  loadGenerator: 'wrk 4.1.0',
  nginxVersion: 'nginx/1.22.1',
  nginxWorkers: 1,
  steadyConnections: 50,
  steadyDurationS: 8,
  steadyRounds: 3,
  rssIdleMb: 90.123,
  anonIdleMb: 40,
  paused: { floor: summarize([10, 12, 14]), proxy: summarize([13, 15, 30]), pairedAdded: summarize([3, 3, 16]) },
  cold: { floor: summarize([200, 250]), proxy: summarize([210, 270]), pairedAdded: summarize([10, 20]) },
  burst: {
    requests: 1000,
    providerCalls: 1,
    providerCallsByVerb: { inspect: 2, start: 0, unpause: 1, pause: 0, stop: 0 },
    wakes: 1,
    failures: 0,
    lastResponseMs: 300,
    rssBeforeMb: 100,
    rssPeakMb: 120,
    rssAfterMb: 105,
    anonAfterMb: 55,
  },
  throughput: {
    direct: load(20_000),
    proxy: load(8_000, 30),
    nginx: load(12_000, 15),
    bareDispatch: load(10_000, 27),
    bareStream: load(9_000, 35),
    proxyAfterReclaim: load(7_000, 40),
    proxyMemory: { idle: memory(80, 32), peakRssMb: 130, after: memory(95, 47) },
  },
  light: { direct: summarize([0.2, 0.2, 1]), proxy: summarize([0.4, 0.5, 1.5]) },
  lightBare: { direct: summarize([0.2, 0.2, 1]), proxy: summarize([0.3, 0.4, 1.2]) },
  instructions: { requests: 3000, warmup: 3000, proxy: 301_257.4, bareDispatch: 295_580.1, nginx: 22_789.5 },
  scale: { services: 500, startupMs: 900, rssMb: 150, anonMb: 90, rssListeningMb: 160, heapAfterGcMb: 25, allStopped: true, lookupNs: 220 },
};

const ISSUE_KEYS = [
  'wake_paused_p50_ms', 'wake_paused_floor_p50_ms', 'wake_paused_ratio',
  'cold_start_p50_ms', 'cold_start_floor_p50_ms', 'cold_start_ratio',
  'burst_requests', 'burst_provider_calls', 'burst_failures',
  'proxy_rps', 'direct_rps', 'rps_ratio', 'nginx_rps', 'added_p50_ms', 'added_p99_ms',
  'rss_idle_mb', 'rss_500_services_mb',
];

describe('toResults', () => {
  it('has every key issue 5 lists, each with a value', () => {
    const results = toResults(MEASUREMENTS);
    for (const key of ISSUE_KEYS) expect(results[key], key).not.toBeUndefined();
    for (const key of ISSUE_KEYS) expect(results[key], key).not.toBeNull();
  });

  it('computes ratios and differences from the medians', () => {
    const results = toResults(MEASUREMENTS);
    expect(results['wake_paused_ratio']).toBe(1.25);
    expect(results['cold_start_added_p50_ms']).toBe(10);
    expect(results['rps_ratio']).toBe(0.4);
    expect(results['proxy_to_nginx_rps_ratio']).toBe(0.67);
    expect(results['added_p50_ms']).toBe(0.3);
    expect(results['added_p99_ms']).toBe(0.5);
    expect(results['bare_added_p50_ms']).toBe(0.2);
    expect(results['bare_added_p99_ms']).toBe(0.2);
    expect(results['proxy_to_nginx_cpu_ratio']).toBe(2);
    expect(results['proxy_to_bare_cpu_ratio']).toBe(1.11);
    // The re-warm: (40 − 30) µs over 56,000 requests.
    expect(results['proxy_after_reclaim_cpu_us_per_request']).toBe(40);
    expect(results['proxy_rewarm_cpu_ms']).toBe(560);
    expect(results['steady_rss_kept_mb']).toBe(4.9);
    expect(results['burst_rss_kept_mb']).toBe(14.9);
  });

  it('reports nginx as null when it was not available', () => {
    const results = toResults({ ...MEASUREMENTS, nginxVersion: null, throughput: { ...MEASUREMENTS.throughput, nginx: null } });
    expect(results['nginx_rps']).toBeNull();
    expect(results['proxy_to_nginx_rps_ratio']).toBeNull();
  });

  it('reports the bare forwarder\'s added latency as null when it was not measured', () => {
    const results = toResults({ ...MEASUREMENTS, lightBare: null });
    expect(results['bare_added_p50_ms']).toBeNull();
    expect(results['bare_added_p99_ms']).toBeNull();
  });

  it('reports instructions per request rounded, and their ratios', () => {
    const results = toResults(MEASUREMENTS);
    expect(results['callgrind_requests']).toBe(3000);
    expect(results['proxy_instructions_per_request']).toBe(301_257);
    expect(results['bare_dispatch_instructions_per_request']).toBe(295_580);
    expect(results['nginx_instructions_per_request']).toBe(22_790);
    expect(results['proxy_to_bare_instructions_ratio']).toBe(1.019);
    expect(results['proxy_to_nginx_instructions_ratio']).toBe(13.2);
  });

  it('reports the instruction figures as null without valgrind, and the nginx ratio as null without nginx', () => {
    const none = toResults({ ...MEASUREMENTS, instructions: null });
    for (const key of ['callgrind_requests', 'proxy_instructions_per_request', 'proxy_to_bare_instructions_ratio', 'proxy_to_nginx_instructions_ratio']) expect(none[key], key).toBeNull();
    const noNginx = toResults({ ...MEASUREMENTS, instructions: { ...MEASUREMENTS.instructions!, nginx: null } });
    expect(noNginx['nginx_instructions_per_request']).toBeNull();
    expect(noNginx['proxy_to_nginx_instructions_ratio']).toBeNull();
    expect(noNginx['proxy_to_bare_instructions_ratio']).toBe(1.019);
  });

  it('keeps every value flat: numbers, strings, booleans or null', () => {
    const values = Object.values(toResults(MEASUREMENTS));
    expect(values.every((v) => v === null || ['number', 'string', 'boolean'].includes(typeof v))).toBe(true);
  });
});
