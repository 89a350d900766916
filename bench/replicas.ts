/**
 * Figure 8: the cost of shared state (issue 13). In one run, against the same running backend:
 * one proxy alone (no --state, no Redis code loaded), one replica sharing state through a real
 * redis-server, and two replicas sharing it, the load split over both (half the connections each).
 *
 * Policy: like figure 6a, each target is warmed up once, then `rounds` rotated rounds, median
 * round kept. Redis commands are counted from `INFO commandstats` deltas around each shared-state
 * round and divided by the requests of that round: the goal is ~0 per request on the hot path of a
 * RUNNING service (only the once-a-second lease sync). Added latency is measured as 6b does, one
 * keep-alive connection, alone and replica alternating request by request.
 */
import { rm } from 'node:fs/promises';
import { startRedisServer, type RedisServer } from '../test/support/redis-server.ts';
import { waitForProxyState } from './admin-client.ts';
import type { BenchBackend } from './bench-containers.ts';
import type { CleanupStack } from './cleanup.ts';
import { renderConfig, writeConfig } from './config-files.ts';
import { ensureRunning } from './floors.ts';
import { getOnce } from './http-client.ts';
import { measureLightLoad } from './light-load.ts';
import type { LoadGenerator } from './load-generator.ts';
import { startProxyChild, type ProxyChild } from './proxy-child.ts';
import type { Summary } from './stats.ts';
import { medianRound, rotation } from './steady-state.ts';
import { versionOf } from './tools.ts';
import type { LoadResult } from './wrk-output.ts';

/** Redis commands counted around some requests. */
export interface CommandCount {
  readonly commands: number;
  readonly requests: number;
  readonly seconds: number;
  /** By command name (hset, hgetall, …). */
  readonly byCommand: Readonly<Record<string, number>>;
}

/** What figure 8 measured. */
export interface ReplicaFigures {
  readonly alone: LoadResult;
  readonly oneShared: LoadResult;
  /** Two replicas: requests/s summed, latency percentiles of the slower replica. */
  readonly twoShared: LoadResult;
  readonly latency: { readonly alone: Summary; readonly shared: Summary };
  /** Commands during the median rounds with shared state, and during the latency series. */
  readonly commands: { readonly oneShared: CommandCount; readonly twoShared: CommandCount; readonly light: CommandCount };
  readonly rounds: number;
  readonly durationS: number;
  readonly connections: number;
  readonly redisVersion: string;
}

/** What figure 8 runs with. */
export interface ReplicaPlan {
  readonly entry: string;
  readonly app: BenchBackend;
  readonly service: string;
  readonly generator: LoadGenerator;
  readonly connections: number;
  readonly durationS: number;
  readonly warmupS: number;
  readonly rounds: number;
  readonly lightRequests: number;
  readonly lightWarmup: number;
}

type Counted = { readonly result: LoadResult; readonly count: CommandCount | null };

function sumCounts(before: Record<string, number>, after: Record<string, number>): { total: number; byCommand: Record<string, number> } {
  const byCommand: Record<string, number> = {};
  let total = 0;
  for (const [name, calls] of Object.entries(after)) {
    const delta = calls - (before[name] ?? 0);
    if (delta <= 0) continue;
    byCommand[name] = delta;
    total += delta;
  }
  return { total, byCommand };
}

async function counted<T>(redis: RedisServer, requestsOf: (value: T) => number, work: () => Promise<T>): Promise<{ value: T; count: CommandCount }> {
  const before = await redis.commandCounts();
  const startedAt = performance.now();
  const value = await work();
  const seconds = (performance.now() - startedAt) / 1000;
  const { total, byCommand } = sumCounts(before, await redis.commandCounts());
  return { value, count: { commands: total, requests: requestsOf(value), seconds, byCommand } };
}

function combine(a: LoadResult, b: LoadResult): LoadResult {
  const worse = (x: number | null, y: number | null): number | null => (x === null ? y : y === null ? x : Math.max(x, y));
  return { rps: a.rps + b.rps, requests: a.requests + b.requests, errors: a.errors + b.errors, p50Ms: worse(a.p50Ms, b.p50Ms), p99Ms: worse(a.p99Ms, b.p99Ms) };
}

/** Sends `count` requests to each proxy on fresh connections; resolves with how many did not answer 200. */
async function prime(proxies: readonly ProxyChild[], count: number): Promise<number> {
  let failed = 0;
  for (const p of proxies) {
    for (let i = 0; i < count; i += 1) {
      const result = await getOnce({ host: '127.0.0.1', port: p.port, path: '/' }, { agent: false, responseTimeoutMs: 10_000 }).catch(() => null);
      if (result?.status !== 200) failed += 1;
    }
  }
  return failed;
}

/** Runs figure 8; every process and the redis-server are registered on `cleanup`. */
export async function measureReplicas(plan: ReplicaPlan, cleanup: CleanupStack, log: (line: string) => void): Promise<ReplicaFigures> {
  const redis = await startRedisServer();
  cleanup.push('redis-server', () => redis.close());
  const files = await writeConfig(renderConfig([{ name: plan.service, container: plan.app.name, port: plan.app.port, pathPrefix: '/' }]));
  cleanup.push('replica config', () => rm(files.dir, { recursive: true, force: true }));
  const start = async (label: string, state: string | null): Promise<ProxyChild> => {
    const env = state === null ? {} : { BENCH_PROXY_STATE: state };
    const child = await startProxyChild({ entry: plan.entry, routesPath: files.routesPath, servicesPath: files.servicesPath, env });
    cleanup.push(label, () => child.close());
    return child;
  };
  await ensureRunning(plan.app);
  const [alone, first, second] = await Promise.all([start('proxy alone', null), start('replica 1', redis.url), start('replica 2', redis.url)]);
  for (const p of [alone, first, second]) await waitForProxyState(p.adminPort, plan.service, 'RUNNING');
  const url = (p: ProxyChild): string => `http://127.0.0.1:${p.port}/`;
  const half = Math.max(1, Math.floor(plan.connections / 2));
  const targets: Array<[string, () => Promise<Counted>]> = [
    ['alone', async () => ({ result: await plan.generator.run({ url: url(alone), connections: plan.connections, durationS: plan.durationS }), count: null })],
    ['one shared', async () => {
      const { value, count } = await counted(redis, (r: LoadResult) => r.requests, () => plan.generator.run({ url: url(first), connections: plan.connections, durationS: plan.durationS }));
      return { result: value, count };
    }],
    ['two shared', async () => {
      const { value, count } = await counted(redis, (r: LoadResult) => r.requests, async () => {
        const [a, b] = await Promise.all([first, second].map((p) => plan.generator.run({ url: url(p), connections: half, durationS: plan.durationS })));
        if (a === undefined || b === undefined) throw new Error('two replicas: a load run is missing');
        return combine(a, b);
      });
      return { result: value, count };
    }],
  ];
  for (const p of [alone, first, second]) await plan.generator.run({ url: url(p), connections: half, durationS: plan.warmupS });
  const rounds = new Map<string, Counted[]>(targets.map(([name]) => [name, []]));
  for (let round = 0; round < plan.rounds; round += 1) {
    for (const [name, measure] of rotation(targets, round)) {
      const measured = await measure();
      rounds.get(name)?.push(measured);
      const c = measured.count;
      const perRequest = c === null ? '' : `, redis ${c.commands} commands / ${c.requests} requests`;
      log(`  round ${round + 1} ${name}: ${Math.round(measured.result.rps)} req/s, p50 ${measured.result.p50Ms} ms, p99 ${measured.result.p99Ms} ms, errors ${measured.result.errors}${perRequest}`);
    }
  }
  const pick = (name: string): Counted => {
    const all = rounds.get(name) ?? [];
    const median = medianRound(all.map((c) => c.result));
    const found = all.find((c) => c.result === median);
    if (found === undefined) throw new Error(`no rounds for ${name}`);
    return found;
  };
  // Pooled upstream connections left idle during the other rounds may have been closed by the
  // backend (its keep-alive timeout); a request that meets one is not what 8b measures.
  const reset = await prime([alone, first], plan.lightWarmup);
  if (reset > 0) log(`  ${reset} priming request(s) before 8b failed (stale upstream connections)`);
  const light = await counted(redis, () => plan.lightRequests + plan.lightWarmup, () =>
    measureLightLoad({ host: '127.0.0.1', port: alone.port, path: '/' }, { host: '127.0.0.1', port: first.port, path: '/' }, plan.lightRequests, plan.lightWarmup),
  );
  const redisVersion = (await versionOf('redis-server', ['--version'])) ?? 'redis-server';
  const [aloneR, oneR, twoR] = [pick('alone'), pick('one shared'), pick('two shared')];
  if (oneR.count === null || twoR.count === null) throw new Error('shared-state rounds were not counted');
  await Promise.all([alone.close(), first.close(), second.close()]);
  await redis.close();
  return {
    alone: aloneR.result,
    oneShared: oneR.result,
    twoShared: twoR.result,
    latency: { alone: light.value.direct, shared: light.value.proxy },
    commands: { oneShared: oneR.count, twoShared: twoR.count, light: light.count },
    rounds: plan.rounds,
    durationS: plan.durationS,
    connections: plan.connections,
    redisVersion,
  };
}
