/**
 * Figure 6b: added latency at light load. One keep-alive connection per target, sequential
 * requests, alternating direct and proxy request by request (the order flips each pair) so drift weighs on both alike; the
 * client runs in the benchmark process, so its own cost is in both series and cancels out in the
 * difference. The first `warmup` requests of each target are not recorded.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { getOnce, type Target } from './http-client.ts';
import { summarize, type Summary } from './stats.ts';

/** Latency series of both targets, in ms. */
export interface LightLoadResult {
  readonly direct: Summary;
  readonly proxy: Summary;
}

async function timed(target: Target, agent: http.Agent): Promise<number> {
  const startedAt = performance.now();
  const result = await getOnce(target, { agent, responseTimeoutMs: 10_000 });
  const elapsedMs = performance.now() - startedAt;
  if (result.status !== 200) throw new Error(`GET ${target.host}:${target.port}${target.path} answered ${result.status}`);
  return elapsedMs;
}

/** `requests` sequential GETs to each target, interleaved; returns both series. */
export async function measureLightLoad(direct: Target, proxy: Target, requests: number, warmup: number): Promise<LightLoadResult> {
  const agents = [direct, proxy].map(() => new http.Agent({ keepAlive: true, maxSockets: 1 }));
  const [directAgent, proxyAgent] = agents as [http.Agent, http.Agent];
  const directMs: number[] = [];
  const proxyMs: number[] = [];
  try {
    for (let i = 0; i < warmup + requests; i += 1) {
      const proxyFirst = i % 2 === 1;
      const p0 = proxyFirst ? await timed(proxy, proxyAgent) : 0;
      const d = await timed(direct, directAgent);
      const p = proxyFirst ? p0 : await timed(proxy, proxyAgent);
      if (i >= warmup) {
        directMs.push(d);
        proxyMs.push(p);
      }
    }
  } finally {
    for (const agent of agents) agent.destroy();
  }
  return { direct: summarize(directMs), proxy: summarize(proxyMs) };
}
