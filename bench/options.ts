/**
 * Benchmark settings from flags and environment variables (flags win). A full run takes a few
 * minutes; `--quick` (or BENCH_QUICK=1) is a smoke run with small counts that does not rewrite the
 * README. Every count can be set on its own:
 *   BENCH_PAUSED_ITERATIONS (30), BENCH_COLD_ITERATIONS (25: cold starts swing by ±100 ms here), BENCH_BURST (1000),
 *   BENCH_STEADY_SECONDS (8), BENCH_STEADY_ROUNDS (3), BENCH_CONNECTIONS (50), BENCH_LIGHT_REQUESTS (2000),
 *   BENCH_CALLGRIND_REQUESTS (5000 counted per target under valgrind, after as many to warm up),
 *   BENCH_SERVICES (500), BENCH_LOOKUPS (1000000), BENCH_NGINX_WORKERS (1),
 *   BENCH_LOAD=autocannon (or --autocannon) to skip wrk, BENCH_CPU_PROF=1 (or --cpu-prof) to
 *   write a V8 CPU profile of the proxy process into bench/results.raw/profiles/, BENCH_PROXY_TS=1 to run
 *   the proxy from its .ts sources (type stripping) instead of compiling it first.
 * `--replicas-only` runs figure 8 alone (replicas sharing state through Redis; its own files and
 * README subsection); every run, `--quick` included, ends with it.
 */

/** Everything a run needs to know. */
export interface BenchOptions {
  readonly quick: boolean;
  readonly pausedIterations: number;
  readonly coldIterations: number;
  readonly burstRequests: number;
  readonly steadyConnections: number;
  readonly steadyDurationS: number;
  readonly warmupS: number;
  readonly steadyRounds: number;
  readonly lightRequests: number;
  readonly lightWarmup: number;
  /** Figure 6c: requests counted under callgrind per target (as many again warm each target up). */
  readonly callgrindRequests: number;
  readonly scaleServices: number;
  readonly lookups: number;
  readonly nginxWorkers: number;
  readonly preferAutocannon: boolean;
  readonly cpuProfile: boolean;
  readonly proxyFromSource: boolean;
  readonly writeReadme: boolean;
  /** Run figure 8 (replicas sharing state) only. */
  readonly replicasOnly: boolean;
}

type Env = Readonly<Record<string, string | undefined>>;

const FULL = { paused: 30, cold: 25, burst: 1000, steady: 8, rounds: 3, warmup: 5, light: 2000, lightWarmup: 200, callgrind: 5000, services: 500, lookups: 1_000_000 };
const QUICK = { paused: 5, cold: 3, burst: 200, steady: 2, rounds: 1, warmup: 1, light: 300, lightWarmup: 50, callgrind: 300, services: 500, lookups: 100_000 };

function isOn(value: string | undefined): boolean {
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}

function positiveInt(env: Env, key: string, fallback: number): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${key} must be a positive integer, got ${JSON.stringify(raw)}`);
  return value;
}

/** Reads the settings; throws on an unknown flag or a bad number. */
export function parseBenchOptions(argv: readonly string[], env: Env): BenchOptions {
  const known = new Set(['--quick', '--autocannon', '--cpu-prof', '--no-readme', '--replicas-only']);
  const unknown = argv.find((arg) => !known.has(arg));
  if (unknown !== undefined) throw new Error(`unknown flag ${unknown} (known: ${[...known].join(', ')})`);
  const quick = argv.includes('--quick') || isOn(env['BENCH_QUICK']);
  const base = quick ? QUICK : FULL;
  return {
    quick,
    pausedIterations: positiveInt(env, 'BENCH_PAUSED_ITERATIONS', base.paused),
    coldIterations: positiveInt(env, 'BENCH_COLD_ITERATIONS', base.cold),
    burstRequests: positiveInt(env, 'BENCH_BURST', base.burst),
    steadyConnections: positiveInt(env, 'BENCH_CONNECTIONS', 50),
    steadyDurationS: positiveInt(env, 'BENCH_STEADY_SECONDS', base.steady),
    warmupS: base.warmup,
    steadyRounds: positiveInt(env, 'BENCH_STEADY_ROUNDS', base.rounds),
    lightRequests: positiveInt(env, 'BENCH_LIGHT_REQUESTS', base.light),
    lightWarmup: base.lightWarmup,
    callgrindRequests: positiveInt(env, 'BENCH_CALLGRIND_REQUESTS', base.callgrind),
    scaleServices: positiveInt(env, 'BENCH_SERVICES', base.services),
    lookups: positiveInt(env, 'BENCH_LOOKUPS', base.lookups),
    nginxWorkers: positiveInt(env, 'BENCH_NGINX_WORKERS', 1),
    preferAutocannon: argv.includes('--autocannon') || env['BENCH_LOAD'] === 'autocannon',
    cpuProfile: argv.includes('--cpu-prof') || isOn(env['BENCH_CPU_PROF']),
    proxyFromSource: isOn(env['BENCH_PROXY_TS']),
    writeReadme: !quick && !argv.includes('--no-readme'),
    replicasOnly: argv.includes('--replicas-only'),
  };
}
