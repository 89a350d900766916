/**
 * The flat results.json record: one key per figure, named as issue 5 lists them (`wake_paused_p50_ms`,
 * `rps_ratio`, …), plus the extra figures and the context of the run. Built by a pure function
 * from what the phases measured.
 */
import type { BurstResult } from './burst.ts';
import type { InstructionsResult } from './instructions.ts';
import type { LightLoadResult } from './light-load.ts';
import type { MachineInfo } from './machine.ts';
import type { ScaleResult } from './scale.ts';
import { isP99TheMax, ratio, round } from './stats.ts';
import type { ThroughputResult } from './steady-state.ts';
import type { WakeComparison } from './wakes.ts';

/** Every figure of one run; ms, MB (2^20 bytes), requests/s, ns. */
export type BenchResults = Readonly<Record<string, number | string | boolean | null>>;

/** What the phases measured, and where. */
export interface Measurements {
  readonly date: string;
  readonly machine: MachineInfo;
  readonly quick: boolean;
  readonly proxyRuntime: string;
  readonly loadGenerator: string;
  readonly nginxVersion: string | null;
  readonly nginxWorkers: number;
  readonly steadyConnections: number;
  readonly steadyDurationS: number;
  readonly steadyRounds: number;
  readonly rssIdleMb: number;
  /** Anonymous memory (RssAnon) at the same moment: RSS without the binary's shared pages. */
  readonly anonIdleMb: number;
  readonly paused: WakeComparison;
  readonly cold: WakeComparison;
  readonly burst: BurstResult;
  readonly throughput: ThroughputResult;
  readonly light: LightLoadResult;
  /** The same light load through the bare undici dispatch forwarder (its `proxy` series), or null. */
  readonly lightBare: LightLoadResult | null;
  /** Figure 6c: user-space instructions per request under callgrind, or null without valgrind. */
  readonly instructions: InstructionsResult | null;
  readonly scale: ScaleResult;
}

function wakeKeys(prefix: string, wake: WakeComparison): Record<string, number> {
  return {
    [`${prefix}_min_ms`]: round(wake.proxy.min),
    [`${prefix}_p50_ms`]: round(wake.proxy.p50),
    [`${prefix}_p99_ms`]: round(wake.proxy.p99),
    [`${prefix}_floor_min_ms`]: round(wake.floor.min),
    [`${prefix}_floor_p50_ms`]: round(wake.floor.p50),
    [`${prefix}_floor_p99_ms`]: round(wake.floor.p99),
    [`${prefix}_paired_added_p50_ms`]: round(wake.pairedAdded.p50),
    [`${prefix}_iterations`]: wake.proxy.n,
  };
}

function roundOrNull(value: number | null, digits: number): number | null {
  return value === null ? null : round(value, digits);
}

/**
 * The CPU a reclaim costs the next load: what the first load after it used beyond the steady
 * state's CPU per request, over the same requests (ms); null when either was not measured.
 */
function rewarmCpuMs(t: ThroughputResult): number | null {
  const first = t.proxyAfterReclaim.cpuUsPerRequest;
  const steady = t.proxy.cpuUsPerRequest;
  if (first === null || steady === null) return null;
  return round(((first - steady) * t.proxyAfterReclaim.requests) / 1000, 0);
}

function instructionKeys(i: InstructionsResult | null): Record<string, number | null> {
  return {
    callgrind_requests: i?.requests ?? null,
    callgrind_warmup_requests: i?.warmup ?? null,
    proxy_instructions_per_request: i === null ? null : Math.round(i.proxy),
    bare_dispatch_instructions_per_request: i === null ? null : Math.round(i.bareDispatch),
    nginx_instructions_per_request: i?.nginx == null ? null : Math.round(i.nginx),
    proxy_to_bare_instructions_ratio: ratio(i?.proxy ?? null, i?.bareDispatch ?? null, 3),
    proxy_to_nginx_instructions_ratio: ratio(i?.proxy ?? null, i?.nginx ?? null, 1),
  };
}

/** The results.json record. */
export function toResults(m: Measurements): BenchResults {
  const { throughput, light, burst, scale } = m;
  return {
    date: m.date,
    machine: `${m.machine.cpus} CPUs (${m.machine.cpuModel}), ${m.machine.memoryGb} GB RAM, ${m.machine.kernel}`,
    cpus: m.machine.cpus,
    memory_gb: m.machine.memoryGb,
    kernel: m.machine.kernel,
    docker: m.machine.docker,
    node: m.machine.node,
    quick: m.quick,
    proxy_runtime: m.proxyRuntime,
    load_generator: m.loadGenerator,
    nginx_version: m.nginxVersion,
    nginx_workers: m.nginxWorkers,
    p99_method: 'nearest rank: with fewer than 100 samples, p99 is the maximum',
    ...wakeKeys('wake_paused', m.paused),
    wake_paused_ratio: ratio(m.paused.proxy.p50, m.paused.floor.p50),
    ...wakeKeys('cold_start', m.cold),
    cold_start_ratio: ratio(m.cold.proxy.p50, m.cold.floor.p50),
    cold_start_added_p50_ms: round(m.cold.proxy.p50 - m.cold.floor.p50),
    burst_requests: burst.requests,
    burst_provider_calls: burst.providerCalls,
    burst_wakes: burst.wakes,
    burst_inspect_calls: burst.providerCallsByVerb.inspect,
    burst_failures: burst.failures,
    burst_last_response_ms: round(burst.lastResponseMs),
    burst_rss_before_mb: round(burst.rssBeforeMb, 1),
    burst_rss_peak_mb: round(burst.rssPeakMb, 1),
    burst_rss_after_mb: round(burst.rssAfterMb, 1),
    burst_anon_after_mb: round(burst.anonAfterMb, 1),
    burst_rss_kept_mb: round(burst.rssAfterMb - m.rssIdleMb, 1),
    steady_connections: m.steadyConnections,
    steady_duration_s: m.steadyDurationS,
    steady_rounds: m.steadyRounds,
    proxy_rps: Math.round(throughput.proxy.rps),
    direct_rps: Math.round(throughput.direct.rps),
    rps_ratio: ratio(throughput.proxy.rps, throughput.direct.rps),
    nginx_rps: throughput.nginx === null ? null : Math.round(throughput.nginx.rps),
    nginx_rps_ratio: throughput.nginx === null ? null : ratio(throughput.nginx.rps, throughput.direct.rps),
    proxy_to_nginx_rps_ratio: throughput.nginx === null ? null : ratio(throughput.proxy.rps, throughput.nginx.rps),
    proxy_cpu_us_per_request: roundOrNull(throughput.proxy.cpuUsPerRequest, 1),
    nginx_cpu_us_per_request: roundOrNull(throughput.nginx?.cpuUsPerRequest ?? null, 1),
    bare_dispatch_cpu_us_per_request: roundOrNull(throughput.bareDispatch?.cpuUsPerRequest ?? null, 1),
    bare_stream_cpu_us_per_request: roundOrNull(throughput.bareStream?.cpuUsPerRequest ?? null, 1),
    proxy_to_nginx_cpu_ratio: ratio(throughput.proxy.cpuUsPerRequest, throughput.nginx?.cpuUsPerRequest ?? null),
    proxy_to_bare_cpu_ratio: ratio(throughput.proxy.cpuUsPerRequest, throughput.bareDispatch?.cpuUsPerRequest ?? null),
    proxy_after_reclaim_cpu_us_per_request: roundOrNull(throughput.proxyAfterReclaim.cpuUsPerRequest, 1),
    proxy_after_reclaim_requests: throughput.proxyAfterReclaim.requests,
    proxy_rewarm_cpu_ms: rewarmCpuMs(throughput),
    bare_dispatch_rps: throughput.bareDispatch === null ? null : Math.round(throughput.bareDispatch.rps),
    bare_stream_rps: throughput.bareStream === null ? null : Math.round(throughput.bareStream.rps),
    steady_rss_idle_mb: round(throughput.proxyMemory.idle.rssMb, 1),
    steady_anon_idle_mb: round(throughput.proxyMemory.idle.anonMb, 1),
    steady_rss_peak_mb: round(throughput.proxyMemory.peakRssMb, 1),
    steady_rss_after_mb: round(throughput.proxyMemory.after.rssMb, 1),
    steady_anon_after_mb: round(throughput.proxyMemory.after.anonMb, 1),
    steady_rss_kept_mb: round(throughput.proxyMemory.after.rssMb - m.rssIdleMb, 1),
    steady_errors: throughput.proxy.errors + throughput.direct.errors + (throughput.nginx?.errors ?? 0) + (throughput.bareDispatch?.errors ?? 0) + (throughput.bareStream?.errors ?? 0),
    light_requests: light.proxy.n,
    light_direct_p50_ms: round(light.direct.p50, 3),
    light_direct_p99_ms: round(light.direct.p99, 3),
    light_proxy_p50_ms: round(light.proxy.p50, 3),
    light_proxy_p99_ms: round(light.proxy.p99, 3),
    added_p50_ms: round(light.proxy.p50 - light.direct.p50, 3),
    added_p99_ms: round(light.proxy.p99 - light.direct.p99, 3),
    light_p99_is_max: isP99TheMax(light.proxy.n),
    bare_added_p50_ms: m.lightBare === null ? null : round(m.lightBare.proxy.p50 - m.lightBare.direct.p50, 3),
    bare_added_p99_ms: m.lightBare === null ? null : round(m.lightBare.proxy.p99 - m.lightBare.direct.p99, 3),
    ...instructionKeys(m.instructions),
    rss_idle_mb: round(m.rssIdleMb, 1),
    anon_idle_mb: round(m.anonIdleMb, 1),
    scale_services: scale.services,
    rss_500_services_mb: round(scale.rssMb, 1),
    anon_500_services_mb: round(scale.anonMb, 1),
    rss_500_services_listening_mb: round(scale.rssListeningMb, 1),
    heap_after_gc_500_services_mb: round(scale.heapAfterGcMb, 1),
    startup_500_services_ms: round(scale.startupMs, 1),
    scale_all_stopped: scale.allStopped,
    route_lookup_ns: round(scale.lookupNs, 1),
  };
}
