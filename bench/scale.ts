/**
 * Figure 7: the cost of a large configuration. The proxy child starts with N services and N
 * routes whose containers do not exist (the registry must log them and treat them as STOPPED):
 * spawn → listening time, RSS once listening and LOAD_SETTLE_MS later (idle; then the heap after a full GC, to tell what is
 * kept from what is only the high-water mark of start-up), and whether every service is reported
 * STOPPED.
 * Route lookup cost is measured in this process on the same N routes: `lookups` matches spread
 * over every route plus misses, after an untimed warm-up of a tenth as many.
 */
import { rm } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseConfigTexts } from '../src/config/load-config.ts';
import { createRouteTable } from '../src/proxy/route-table.ts';
import { getJson } from './json-get.ts';
import { generatedServices, renderConfig, writeConfig } from './config-files.ts';
import { memoryOf } from './proc-figures.ts';
import { startProxyChild } from './proxy-child.ts';
import { LOAD_SETTLE_MS } from './steady-state.ts';

/** What the scale phase measured. */
export interface ScaleResult {
  readonly services: number;
  readonly startupMs: number;
  /** RSS LOAD_SETTLE_MS after listening: the idle figure. */
  readonly rssMb: number;
  /** Anonymous memory (RssAnon) at the same moment. */
  readonly anonMb: number;
  /** RSS at the moment it listened (start-up's high water included). */
  readonly rssListeningMb: number;
  /** V8 heap in use after a full GC: what the configuration really keeps, as opposed to RSS. */
  readonly heapAfterGcMb: number;
  readonly allStopped: boolean;
  readonly lookupNs: number;
}

/** Spawns the proxy with `count` generated services; reports start-up time and RSS. */
async function measureLargeConfigProcess(entry: string, count: number): Promise<Omit<ScaleResult, 'lookupNs'>> {
  const files = await writeConfig(renderConfig(generatedServices(count)));
  const child = await startProxyChild({ entry, routesPath: files.routesPath, servicesPath: files.servicesPath, env: { BENCH_PROXY_LOG_LEVEL: 'error' }, execArgv: ['--expose-gc'] });
  try {
    const rssListeningMb = child.rssMb();
    await sleep(LOAD_SETTLE_MS);
    const { rssMb, anonMb } = memoryOf(child.pid);
    const { heapUsedMb } = await child.memory();
    const listing = (await getJson({ host: '127.0.0.1', port: child.adminPort, path: '/services' })) as { services?: Array<{ state?: string }> };
    const states = listing.services ?? [];
    return { services: count, startupMs: child.startupMs, rssMb, anonMb, rssListeningMb, heapAfterGcMb: heapUsedMb, allStopped: states.length === count && states.every((s) => s.state === 'STOPPED') };
  } finally {
    await child.close();
    await rm(files.dir, { recursive: true, force: true });
  }
}

/** Nanoseconds per route lookup over `count` generated routes. */
export function measureRouteLookupNs(count: number, lookups: number): number {
  const pair = renderConfig(generatedServices(count));
  const config = parseConfigTexts({ routes: { name: 'routes.yml', text: pair.routes }, services: { name: 'services.yml', text: pair.services } });
  const table = createRouteTable(config.routes);
  const paths = Array.from({ length: 1024 }, (_, i) => (i % 16 === 15 ? `/nowhere/${i}` : `/svc-${(i * 7919) % count}/api/items/${i}`));
  const hosts = Array.from({ length: 1024 }, (_, i) => (i % 2 === 0 ? 'app.example.com' : undefined));
  let hits = 0;
  const lookupAll = (n: number): void => {
    for (let i = 0; i < n; i += 1) if (table.match(hosts[i & 1023], paths[i & 1023] as string) !== null) hits += 1;
  };
  lookupAll(Math.ceil(lookups / 10));
  const startedAt = performance.now();
  lookupAll(lookups);
  const elapsedMs = performance.now() - startedAt;
  if (hits === 0) throw new Error('no route matched: the lookup benchmark is broken');
  return (elapsedMs * 1e6) / lookups;
}

/** Runs both parts of figure 7. */
export async function measureScale(entry: string, count: number, lookups: number): Promise<ScaleResult> {
  const large = await measureLargeConfigProcess(entry, count);
  return { ...large, lookupNs: measureRouteLookupNs(count, lookups) };
}
