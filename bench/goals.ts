/**
 * The speed and memory promises (issue 5, tightened by issue 12), checked against one run's
 * results, as the rows of the table a person reads: figure, value, floor or reference, ratio,
 * goal, met? Pure.
 *
 * Goals: wake from paused p50 <= 1.1x floor and p99 < 30 ms; cold start p50 <= floor + 10 ms;
 * burst 1 provider call and 0 failures, RSS back within 20 MB of idle 10 s after it; steady
 * state >= 0.6x nginx's requests/s, CPU per request <= 2.0x nginx's and <= 1.1x the bare undici
 * forwarder's (the latter also in user-space instructions, counted by callgrind: figure 6c), RSS
 * back within 20 MB of idle 10 s after the load; added latency < 0.15 ms p50
 * and < 1 ms p99; RSS < 85 MB with 1 service and < 100 MB with 500.
 */
import type { BenchResults } from './results.ts';

/** One row of the results table; `met` is null for a figure without a goal or a missing value. */
export interface GoalRow {
  readonly figure: string;
  readonly value: string;
  readonly reference: string;
  readonly ratio: string;
  readonly goal: string;
  readonly met: boolean | null;
}

function num(results: BenchResults, key: string): number | null {
  const value = results[key];
  return typeof value === 'number' ? value : null;
}

function fmt(value: number | null, unit = ''): string {
  return value === null ? 'n/a' : `${value}${unit}`;
}

/** A difference with its sign: `+2.5 ms`, `-16.8 ms`. */
function signed(value: number | null, unit = ''): string {
  return value === null ? 'n/a' : `${value < 0 ? '-' : '+'}${Math.abs(value)}${unit}`;
}

function spread(results: BenchResults, prefix: string): string {
  return `${fmt(num(results, `${prefix}_min_ms`))} / ${fmt(num(results, `${prefix}_p50_ms`))} / ${fmt(num(results, `${prefix}_p99_ms`))} ms`;
}

function both(a: boolean | null, b: boolean | null): boolean | null {
  return a === null || b === null ? null : a && b;
}

function check(value: number | null, test: (v: number) => boolean): boolean | null {
  return value === null ? null : test(value);
}

function wakeRows(r: BenchResults): GoalRow[] {
  const pausedFloor = num(r, 'wake_paused_floor_p50_ms');
  const coldFloor = num(r, 'cold_start_floor_p50_ms');
  const pausedRatio = num(r, 'wake_paused_ratio');
  const coldAdded = num(r, 'cold_start_added_p50_ms');
  return [
    { figure: '1. Floor: unpause → first 200 (min / p50 / p99)', value: spread(r, 'wake_paused_floor'), reference: 'bare Engine API', ratio: '', goal: '', met: null },
    { figure: '2. Wake from paused via proxy (min / p50 / p99)', value: spread(r, 'wake_paused'), reference: `floor p50 ${fmt(pausedFloor, ' ms')}; paired added p50 ${fmt(num(r, 'wake_paused_paired_added_p50_ms'), ' ms')}`, ratio: `${fmt(pausedRatio, 'x')} (p50)`, goal: 'p50 ≤ 1.1x floor', met: check(pausedRatio, (v) => v <= 1.1) },
    { figure: '2. Wake from paused via proxy, p99', value: fmt(num(r, 'wake_paused_p99_ms'), ' ms'), reference: `floor p99 ${fmt(num(r, 'wake_paused_floor_p99_ms'), ' ms')}`, ratio: '', goal: 'p99 < 30 ms', met: check(num(r, 'wake_paused_p99_ms'), (v) => v < 30) },
    { figure: '3. Floor: start → first 200 (min / p50 / p99)', value: spread(r, 'cold_start_floor'), reference: 'bare Engine API', ratio: '', goal: '', met: null },
    { figure: '4. Cold start via proxy (min / p50 / p99)', value: spread(r, 'cold_start'), reference: `floor p50 ${fmt(coldFloor, ' ms')}; paired added p50 ${fmt(num(r, 'cold_start_paired_added_p50_ms'), ' ms')}`, ratio: `${fmt(num(r, 'cold_start_ratio'), 'x')}, ${signed(coldAdded, ' ms')} (p50)`, goal: 'p50 ≤ floor + 10 ms', met: check(coldAdded, (v) => v <= 10) },
  ];
}

function burstRows(r: BenchResults): GoalRow[] {
  const calls = num(r, 'burst_provider_calls');
  const failures = num(r, 'burst_failures');
  return [
    { figure: `5. Burst of ${fmt(num(r, 'burst_requests'))} requests to a paused service: provider calls / failures`, value: `${fmt(calls)} / ${fmt(failures)}`, reference: `unpause/start calls; wakes counted by the proxy: ${fmt(num(r, 'burst_wakes'))}; inspects: ${fmt(num(r, 'burst_inspect_calls'))}`, ratio: '', goal: '1 call, 0 failures', met: calls === null || failures === null ? null : calls === 1 && failures === 0 },
    { figure: '5. Burst: time to last response; proxy RSS before → peak → 10 s after', value: `${fmt(num(r, 'burst_last_response_ms'), ' ms')}; ${fmt(num(r, 'burst_rss_before_mb'))} → ${fmt(num(r, 'burst_rss_peak_mb'))} → ${fmt(num(r, 'burst_rss_after_mb'), ' MB')}`, reference: `idle ${fmt(num(r, 'rss_idle_mb'), ' MB')}; anonymous 10 s after ${fmt(num(r, 'burst_anon_after_mb'), ' MB')}`, ratio: `${signed(num(r, 'burst_rss_kept_mb'), ' MB')} over idle`, goal: '≤ idle + 20 MB after 10 s', met: check(num(r, 'burst_rss_kept_mb'), (v) => v <= 20) },
  ];
}

function steadyRows(r: BenchResults): GoalRow[] {
  const toNginx = num(r, 'proxy_to_nginx_rps_ratio');
  const nginx = num(r, 'nginx_rps');
  return [
    { figure: `6a. Throughput, ${fmt(num(r, 'steady_connections'))} connections (req/s)`, value: `proxy ${fmt(num(r, 'proxy_rps'))}`, reference: `direct ${fmt(num(r, 'direct_rps'))}; nginx ${nginx === null ? 'not available' : nginx}`, ratio: `${fmt(num(r, 'rps_ratio'), 'x')} direct; ${fmt(toNginx, 'x')} nginx`, goal: '≥ 0.6x nginx', met: check(toNginx, (v) => v >= 0.6) },
    { figure: '6a. CPU time per request (µs)', value: `proxy ${fmt(num(r, 'proxy_cpu_us_per_request'))}`, reference: `nginx ${fmt(num(r, 'nginx_cpu_us_per_request'))}; bare undici dispatch ${fmt(num(r, 'bare_dispatch_cpu_us_per_request'))} (${fmt(num(r, 'bare_dispatch_rps'))} req/s); bare pool.stream ${fmt(num(r, 'bare_stream_cpu_us_per_request'))} (${fmt(num(r, 'bare_stream_rps'))} req/s)`, ratio: `${fmt(num(r, 'proxy_to_nginx_cpu_ratio'), 'x')} nginx; ${fmt(num(r, 'proxy_to_bare_cpu_ratio'), 'x')} bare dispatch`, goal: '≤ 2.0x nginx, ≤ 1.1x bare', met: both(check(num(r, 'proxy_to_nginx_cpu_ratio'), (v) => v <= 2), check(num(r, 'proxy_to_bare_cpu_ratio'), (v) => v <= 1.1)) },
    { figure: '6a. CPU per request of the first load after a memory reclaim (µs)', value: `proxy ${fmt(num(r, 'proxy_after_reclaim_cpu_us_per_request'))}`, reference: `${fmt(num(r, 'proxy_after_reclaim_requests'))} requests; steady ${fmt(num(r, 'proxy_cpu_us_per_request'))}`, ratio: `${signed(num(r, 'proxy_rewarm_cpu_ms'), ' ms')} CPU for the re-warm`, goal: '', met: null },
    { figure: '6a. Proxy memory: after the warm-ups → peak under load → 10 s after (RSS; anonymous)', value: `${fmt(num(r, 'steady_rss_idle_mb'))} → ${fmt(num(r, 'steady_rss_peak_mb'))} → ${fmt(num(r, 'steady_rss_after_mb'), ' MB')}`, reference: `idle at start ${fmt(num(r, 'rss_idle_mb'), ' MB')}; anonymous ${fmt(num(r, 'steady_anon_idle_mb'))} → ${fmt(num(r, 'steady_anon_after_mb'), ' MB')}`, ratio: `${signed(num(r, 'steady_rss_kept_mb'), ' MB')} over idle at start`, goal: '≤ +20 MB after 10 s', met: check(num(r, 'steady_rss_kept_mb'), (v) => v <= 20) },
    { figure: '6b. Added latency, 1 connection, p50', value: fmt(num(r, 'added_p50_ms'), ' ms'), reference: `direct ${fmt(num(r, 'light_direct_p50_ms'), ' ms')}, proxy ${fmt(num(r, 'light_proxy_p50_ms'), ' ms')}; the bare undici forwarder adds ${fmt(num(r, 'bare_added_p50_ms'), ' ms')}`, ratio: '', goal: '< 0.15 ms', met: check(num(r, 'added_p50_ms'), (v) => v < 0.15) },
    { figure: '6b. Added latency, 1 connection, p99', value: fmt(num(r, 'added_p99_ms'), ' ms'), reference: `direct ${fmt(num(r, 'light_direct_p99_ms'), ' ms')}, proxy ${fmt(num(r, 'light_proxy_p99_ms'), ' ms')}; the bare undici forwarder adds ${fmt(num(r, 'bare_added_p99_ms'), ' ms')}`, ratio: '', goal: '< 1 ms', met: check(num(r, 'added_p99_ms'), (v) => v < 1) },
    { figure: `6c. User-space instructions per request, callgrind (${fmt(num(r, 'callgrind_requests'))} requests, counted)`, value: `proxy ${fmt(num(r, 'proxy_instructions_per_request'))}`, reference: `bare undici dispatch ${fmt(num(r, 'bare_dispatch_instructions_per_request'))}; nginx ${fmt(num(r, 'nginx_instructions_per_request'))}`, ratio: `${fmt(num(r, 'proxy_to_bare_instructions_ratio'), 'x')} bare dispatch; ${fmt(num(r, 'proxy_to_nginx_instructions_ratio'), 'x')} nginx`, goal: '≤ 1.1x bare', met: check(num(r, 'proxy_to_bare_instructions_ratio'), (v) => v <= 1.1) },
  ];
}

function scaleRows(r: BenchResults): GoalRow[] {
  const services = fmt(num(r, 'scale_services'));
  return [
    { figure: '7. Proxy RSS with 1 service, idle', value: fmt(num(r, 'rss_idle_mb'), ' MB'), reference: `anonymous ${fmt(num(r, 'anon_idle_mb'), ' MB')}`, ratio: '', goal: '< 85 MB', met: check(num(r, 'rss_idle_mb'), (v) => v < 85) },
    { figure: `7. Proxy RSS with ${services} services and routes, idle`, value: fmt(num(r, 'rss_500_services_mb'), ' MB'), reference: `anonymous ${fmt(num(r, 'anon_500_services_mb'), ' MB')}; at listening ${fmt(num(r, 'rss_500_services_listening_mb'), ' MB')}; V8 heap after GC ${fmt(num(r, 'heap_after_gc_500_services_mb'), ' MB')}`, ratio: '', goal: '< 100 MB', met: check(num(r, 'rss_500_services_mb'), (v) => v < 100) },
    { figure: `7. Start-up (spawn → listening) with ${services} services`, value: fmt(num(r, 'startup_500_services_ms'), ' ms'), reference: r['scale_all_stopped'] === true ? 'all reported STOPPED' : 'not all STOPPED', ratio: '', goal: '', met: null },
    { figure: `7. Route lookup over ${services} routes`, value: fmt(num(r, 'route_lookup_ns'), ' ns'), reference: '', ratio: '', goal: '', met: null },
  ];
}

/** Every row of the table, in the issue's order. */
export function evaluateGoals(results: BenchResults): GoalRow[] {
  return [...wakeRows(results), ...burstRows(results), ...steadyRows(results), ...scaleRows(results)];
}
