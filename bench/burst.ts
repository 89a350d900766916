/**
 * Figure 5: N concurrent requests to a sleeping service. Counted from the proxy itself: the
 * provider calls it made (wake verbs: unpause + start) and its wake counter, plus failures (any
 * answer but a complete 200), time from the first request sent to the last response complete,
 * and the proxy's RSS before, at its peak during the burst (sampled every 10 ms), and
 * RSS_SETTLE_MS after the clients went away (does the proxy give the burst's memory back?).
 *
 * Policy: the client connections are opened (and left idle on a keep-alive agent) before the
 * container is paused, so the figure is about the proxy holding N requests and not about the
 * kernel's accept queue taking N handshakes at once.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { readService, waitForProxyState } from './admin-client.ts';
import type { BenchBackend } from './bench-containers.ts';
import { ensureRunning } from './floors.ts';
import { getOnce, type Target } from './http-client.ts';
import type { ProxyChild } from './proxy-child.ts';
import type { ProviderCallCounts } from './proxy-protocol.ts';
import { memoryOf } from './proc-figures.ts';
import { sampleRss } from './rss.ts';

/** How long after the burst's clients are gone its RSS is read again. */
export const RSS_SETTLE_MS = 10_000;

/** What the burst measured. */
export interface BurstResult {
  readonly requests: number;
  readonly providerCalls: number;
  readonly providerCallsByVerb: ProviderCallCounts;
  readonly wakes: number;
  readonly failures: number;
  readonly lastResponseMs: number;
  readonly rssBeforeMb: number;
  readonly rssPeakMb: number;
  /** RSS_SETTLE_MS after the burst's client connections closed. */
  readonly rssAfterMb: number;
  /** Anonymous memory (RssAnon) at the same moment. */
  readonly anonAfterMb: number;
}

/** Failures of one volley: how many, and what the first few were (a status or an error). */
interface Volley {
  readonly failures: number;
  readonly examples: readonly string[];
}

async function fire(target: Target, agent: http.Agent, count: number): Promise<Volley> {
  const results = await Promise.allSettled(
    Array.from({ length: count }, () => getOnce(target, { agent, responseTimeoutMs: 60_000 })),
  );
  const failed = results.filter((r) => r.status === 'rejected' || r.value.status !== 200);
  const describe = (r: PromiseSettledResult<{ status: number }>): string => (r.status === 'rejected' ? String(r.reason) : `HTTP ${r.value.status}`);
  return { failures: failed.length, examples: [...new Set(failed.map(describe))].slice(0, 3) };
}

function delta(after: ProviderCallCounts, before: ProviderCallCounts): ProviderCallCounts {
  return {
    inspect: after.inspect - before.inspect,
    start: after.start - before.start,
    unpause: after.unpause - before.unpause,
    pause: after.pause - before.pause,
    stop: after.stop - before.stop,
  };
}

/** Runs one burst of `count` requests against the paused backend through the proxy. */
export async function measureBurst(proxy: ProxyChild, backend: BenchBackend, service: string, path: string, count: number): Promise<BurstResult> {
  const target: Target = { host: '127.0.0.1', port: proxy.port, path };
  const agent = new http.Agent({ keepAlive: true, maxSockets: count, maxFreeSockets: count, keepAliveMsecs: 10_000 });
  try {
    await ensureRunning(backend);
    await waitForProxyState(proxy.adminPort, service, 'RUNNING');
    const warm = await fire(target, agent, count);
    if (warm.failures > 0) throw new Error(`${warm.failures} of ${count} warm-up requests failed: ${warm.examples.join('; ')}`);
    await backend.container.pause();
    const before = await waitForProxyState(proxy.adminPort, service, 'SLEEPING');
    const countsBefore = await proxy.counts();
    const rssBeforeMb = proxy.rssMb();
    const sampler = sampleRss(proxy.pid, 10);
    const startedAt = performance.now();
    const { failures } = await fire(target, agent, count);
    const lastResponseMs = performance.now() - startedAt;
    const rssPeakMb = sampler.stop();
    const byVerb = delta(await proxy.counts(), countsBefore);
    const after = await readService(proxy.adminPort, service);
    agent.destroy();
    await sleep(RSS_SETTLE_MS);
    const { rssMb: rssAfterMb, anonMb: anonAfterMb } = memoryOf(proxy.pid);
    return {
      requests: count,
      providerCalls: byVerb.unpause + byVerb.start,
      providerCallsByVerb: byVerb,
      wakes: after.wakeCount - before.wakeCount,
      failures,
      lastResponseMs,
      rssBeforeMb,
      rssPeakMb,
      rssAfterMb,
      anonAfterMb,
    };
  } finally {
    agent.destroy();
  }
}
