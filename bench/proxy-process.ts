/**
 * Entry of the benchmark's proxy child process: `node bench/proxy-process.ts <routes.yml>
 * <services.yml>`. Starts wake-proxy exactly as main.ts does (Docker provider, system clock), on
 * 127.0.0.1 with free ports, with the provider wrapped in a call counter. Talks to the parent over
 * the IPC channel only (proxy-protocol.ts); logs go to stderr at BENCH_PROXY_LOG_LEVEL (warn).
 * With BENCH_PROXY_STATE=redis://… it is one of several replicas sharing that state.
 */
import { createApp, type App } from '../src/app.ts';
import { systemClock } from '../src/clock.ts';
import { loadConfig } from '../src/config/load-config.ts';
import { createLogger, LOG_LEVELS, type LogLevel } from '../src/logging/logger.ts';
import { DockerProvider } from '../src/providers/docker/docker-provider.ts';
import { CountingProvider } from '../test/support/counting-provider.ts';
import { isProxyParentMessage, type ChildMemory, type ProviderCallCounts, type ProxyChildMessage } from './proxy-protocol.ts';

/** The proxy's provider calls by verb, for the burst figure "provider calls". */
function countsOf(provider: CountingProvider): ProviderCallCounts {
  const count = (verb: keyof ProviderCallCounts): number => provider.count(verb);
  return { inspect: count('inspect'), start: count('start'), unpause: count('unpause'), pause: count('pause'), stop: count('stop') };
}

function send(message: ProxyChildMessage): void {
  process.send?.(message);
}

function logLevel(): LogLevel {
  const wanted = process.env['BENCH_PROXY_LOG_LEVEL'] ?? 'warn';
  return (LOG_LEVELS as readonly string[]).includes(wanted) ? (wanted as LogLevel) : 'warn';
}

function measureMemory(): ChildMemory {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const usage = process.memoryUsage();
  const mb = (bytes: number): number => bytes / 1024 / 1024;
  return { rssMb: mb(usage.rss), heapUsedMb: mb(usage.heapUsed), externalMb: mb(usage.external), collected: gc !== undefined };
}

async function run(routesPath: string, servicesPath: string): Promise<void> {
  const logger = createLogger({ level: logLevel(), destination: process.stderr });
  const config = await loadConfig({ routesPath, servicesPath });
  const provider = new CountingProvider(new DockerProvider({ logger, clock: systemClock }));
  // BENCH_PROXY_STATE: this child is a replica sharing state (`--state`), loaded as main.ts does.
  const stateUrl = process.env['BENCH_PROXY_STATE'];
  const sharedState = stateUrl ? await (await import('../src/state/redis-store.ts')).createRedisSharedState(stateUrl, { clock: systemClock, logger }) : undefined;
  const app: App = createApp(config, { provider, clock: systemClock, logger, ...(sharedState ? { sharedState } : {}) });
  let closing = false;
  const close = (): void => {
    if (closing) return;
    closing = true;
    void app.close().finally(() => process.exit(0));
  };
  process.on('message', (message: unknown) => {
    if (!isProxyParentMessage(message)) return;
    if (message.type === 'counts') send({ type: 'counts', counts: countsOf(provider) });
    else if (message.type === 'memory') send({ type: 'memory', memory: measureMemory() });
    else close();
  });
  process.on('disconnect', close);
  process.on('SIGTERM', close);
  const { proxy, admin } = await app.start({ host: '127.0.0.1', port: 0, adminPort: 0 });
  send({ type: 'ready', port: proxy.port, adminPort: admin?.port ?? 0 });
}

const [routesPath, servicesPath] = process.argv.slice(2);
if (routesPath === undefined || servicesPath === undefined) {
  process.stderr.write('usage: node bench/proxy-process.ts <routes.yml> <services.yml>\n');
  process.exitCode = 2;
} else {
  run(routesPath, servicesPath).catch((err: unknown) => {
    send({ type: 'failed', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    process.exitCode = 1;
    process.disconnect?.();
  });
}
