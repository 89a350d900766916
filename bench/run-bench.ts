/**
 * `npm run bench`: measures wake-proxy against the physical floor, all in one run, and writes
 * bench/results.json, bench/results.md and the README's benchmark section.
 *
 * Order: wakes from paused (floor and proxy interleaved), cold starts (likewise), the burst,
 * steady state (saturation: direct, proxy, nginx; then light load), instructions per request under
 * callgrind (proxy, bare forwarder, nginx), the proxy with 500 services.
 * The proxy runs in a child process of its own (proxy-process.ts); floors use dockerode from here.
 * Everything started is registered on a cleanup stack that also runs on SIGINT/SIGTERM.
 * Progress goes to stderr; the final table to stdout.
 */
import { rm } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { ensureBackendImage, testDocker } from '../test/support/docker-fixture.ts';
import { waitForProxyState } from './admin-client.ts';
import { bridgeAddress, createBenchBackend, removeBenchContainers, type BenchBackend } from './bench-containers.ts';
import { measureBurst } from './burst.ts';
import { startBareForwarder } from './bare-forwarder-child.ts';
import { CleanupStack } from './cleanup.ts';
import { renderConfig, writeConfig } from './config-files.ts';
import { ensureRunning, stopBackend } from './floors.ts';
import { measureInstructions, type InstructionsResult } from './instructions.ts';
import { measureLightLoad } from './light-load.ts';
import { chooseLoadGenerator, type LoadGenerator } from './load-generator.ts';
import { describeMachine, type MachineInfo } from './machine.ts';
import { startNginx } from './nginx.ts';
import { memoryOf } from './proc-figures.ts';
import { parseBenchOptions, type BenchOptions } from './options.ts';
import { buildProxyChild } from './proxy-build.ts';
import { JEMALLOC_PATHS, PROXY_SOURCE_ENTRY, jemallocPath, startProxyChild, type ProxyChild } from './proxy-child.ts';
import { renderResultsMarkdown, writeReports } from './report.ts';
import { toResults, type Measurements } from './results.ts';
import { measureReplicas } from './replicas.ts';
import { writeReplicasReport } from './replicas-report.ts';
import { measureScale } from './scale.ts';
import { LOAD_SETTLE_MS, measureThroughput, type SteadyTarget, type ThroughputResult } from './steady-state.ts';
import { ensureFile, ensureProgram, versionOf } from './tools.ts';
import { compareColdStart, compareWakeFromPaused } from './wakes.ts';

const SERVICE = 'app';
const log = (line: string): void => void process.stderr.write(`${line}\n`);

async function startBackend(cleanup: CleanupStack, prefix: string): Promise<BenchBackend> {
  const backend = await createBenchBackend(prefix);
  cleanup.push(`container ${backend.name}`, () => backend.remove());
  return backend;
}

/** routes.yml and services.yml routing `/` to SERVICE on `app`, removed by the cleanup stack. */
async function writeProxyConfig(cleanup: CleanupStack, app: BenchBackend, label: string): Promise<Awaited<ReturnType<typeof writeConfig>>> {
  const files = await writeConfig(renderConfig([{ name: SERVICE, container: app.name, port: app.port, pathPrefix: '/' }]));
  cleanup.push(label, () => rm(files.dir, { recursive: true, force: true }));
  return files;
}

async function startProxy(cleanup: CleanupStack, entry: string, app: BenchBackend, options: BenchOptions): Promise<ProxyChild> {
  const files = await writeProxyConfig(cleanup, app, 'proxy config');
  const profiles = join(import.meta.dirname, 'results.raw', 'profiles');
  const execArgv = options.cpuProfile ? ['--cpu-prof', '--cpu-prof-dir', profiles] : [];
  const proxy = await startProxyChild({ entry, routesPath: files.routesPath, servicesPath: files.servicesPath, execArgv });
  cleanup.push('proxy process', () => proxy.close());
  if (options.cpuProfile) log(`CPU profile of the proxy will be written to ${profiles}`);
  return proxy;
}

interface SteadyTools {
  readonly generator: LoadGenerator;
  readonly nginxBinary: string | null;
}

async function steadyState(cleanup: CleanupStack, proxy: ProxyChild, app: BenchBackend, options: BenchOptions, tools: SteadyTools): Promise<ThroughputResult> {
  await ensureRunning(app);
  await waitForProxyState(proxy.adminPort, SERVICE, 'RUNNING');
  const upstream = `${await bridgeAddress(app.container)}:${app.port}`;
  const targets: SteadyTarget[] = [
    { name: 'direct', url: `http://${upstream}/`, pid: null },
    { name: 'wake-proxy', url: `http://127.0.0.1:${proxy.port}/`, pid: proxy.pid },
  ];
  const stops: Array<() => Promise<void>> = [];
  try {
    const nginx = tools.nginxBinary === null ? null : await startNginx(tools.nginxBinary, upstream, options.nginxWorkers);
    if (nginx !== null) {
      cleanup.push('nginx', () => nginx.stop());
      stops.push(() => nginx.stop());
      targets.push({ name: 'nginx', url: `http://127.0.0.1:${nginx.port}/`, pid: nginx.pid });
    }
    for (const flavour of ['dispatch', 'stream'] as const) {
      const bare = await startBareForwarder(flavour, upstream);
      cleanup.push(`bare ${flavour} forwarder`, () => bare.stop());
      stops.push(() => bare.stop());
      targets.push({ name: `bare-${flavour}`, url: `http://127.0.0.1:${bare.port}/`, pid: bare.pid });
    }
    return await measureThroughput({
      generator: tools.generator,
      targets,
      proxyPid: proxy.pid,
      connections: options.steadyConnections,
      durationS: options.steadyDurationS,
      warmupS: options.warmupS,
      rounds: options.steadyRounds,
    }, log);
  } finally {
    for (const stop of stops) await stop();
  }
}

/** What every phase runs against. */
interface Setup {
  readonly machine: MachineInfo;
  readonly generator: LoadGenerator;
  readonly nginxBinary: string | null;
  /** valgrind is installed (figure 6c). */
  readonly callgrind: boolean;
  readonly floor: BenchBackend;
  readonly app: BenchBackend;
  readonly entry: string;
  readonly proxy: ProxyChild;
}

async function prepare(options: BenchOptions, cleanup: CleanupStack): Promise<Setup> {
  const docker = testDocker();
  const swept = await removeBenchContainers(docker);
  if (swept > 0) log(`removed ${swept} container(s) left by an earlier run`);
  const machine = await describeMachine(docker);
  log('building the backend image (a no-op when it exists)');
  await ensureBackendImage();
  const generator = await chooseLoadGenerator(log, options.preferAutocannon);
  const nginxBinary = await ensureProgram('nginx', 'nginx-light', log);
  const callgrind = (await ensureProgram('callgrind_control', 'valgrind', log)) !== null;
  // The allocator npm start and the image run the proxy with (proxy-child.ts, JEMALLOC_PATHS).
  if ((await ensureFile(JEMALLOC_PATHS, 'libjemalloc2', log)) === null) log('jemalloc is not installed: the proxy runs on glibc malloc');
  const floor = await startBackend(cleanup, 'wake-proxy-bench-floor');
  const app = await startBackend(cleanup, 'wake-proxy-bench-app');
  const entry = options.proxyFromSource ? PROXY_SOURCE_ENTRY : await buildProxyChild(log);
  const proxy = await startProxy(cleanup, entry, app, options);
  await waitForProxyState(proxy.adminPort, SERVICE, 'RUNNING');
  return { machine, generator, nginxBinary, callgrind, floor, app, entry, proxy };
}

type Figures = Pick<Measurements, 'rssIdleMb' | 'anonIdleMb' | 'paused' | 'cold' | 'burst' | 'throughput' | 'light' | 'lightBare' | 'instructions' | 'scale'>;

/** Figure 6c: each target alone under callgrind, in front of the running app (instructions.ts). */
async function instructionsPhase(setup: Setup, options: BenchOptions, cleanup: CleanupStack): Promise<InstructionsResult | null> {
  if (!setup.callgrind) {
    log('6c. skipped: valgrind is not installed');
    return null;
  }
  log(`6c. instructions per request under callgrind: ${options.callgrindRequests} requests per target`);
  const files = await writeProxyConfig(cleanup, setup.app, 'callgrind proxy config');
  return measureInstructions({
    upstream: `${await bridgeAddress(setup.app.container)}:${setup.app.port}`,
    proxy: { entry: setup.entry, routesPath: files.routesPath, servicesPath: files.servicesPath, service: SERVICE },
    nginxBinary: setup.nginxBinary,
    requests: options.callgrindRequests,
    warmup: options.callgrindRequests,
    connections: options.steadyConnections,
  }, log);
}

async function measureAll(setup: Setup, options: BenchOptions, cleanup: CleanupStack): Promise<Figures> {
  const { floor, app, proxy } = setup;
  await sleep(LOAD_SETTLE_MS);
  const { rssMb: rssIdleMb, anonMb: anonIdleMb } = memoryOf(proxy.pid);
  const target = { backend: app, service: SERVICE, proxyPort: proxy.port, adminPort: proxy.adminPort, path: '/' };
  log(`1-2. wake from paused: ${options.pausedIterations} iterations`);
  const paused = await compareWakeFromPaused(floor, target, options.pausedIterations, log);
  log(`3-4. cold start: ${options.coldIterations} iterations`);
  const cold = await compareColdStart(floor, target, options.coldIterations, log);
  await stopBackend(floor);
  log(`5. burst of ${options.burstRequests} requests`);
  const burst = await measureBurst(proxy, app, SERVICE, '/', options.burstRequests);
  log(`6a. throughput with ${setup.generator.name}`);
  const throughput = await steadyState(cleanup, proxy, app, options, setup);
  log(`6b. added latency: ${options.lightRequests} sequential requests per target`);
  const direct = { host: await bridgeAddress(app.container), port: app.port, path: '/' };
  const viaProxy = { host: '127.0.0.1', port: proxy.port, path: '/' };
  const light = await measureLightLoad(direct, viaProxy, options.lightRequests, options.lightWarmup);
  // The same series through the bare forwarder: what one more Node hop adds on this machine at best.
  const bare = await startBareForwarder('dispatch', `${direct.host}:${direct.port}`);
  cleanup.push('bare dispatch forwarder (light load)', () => bare.stop());
  const lightBare = await measureLightLoad(direct, { host: '127.0.0.1', port: bare.port, path: '/' }, options.lightRequests, options.lightWarmup).finally(() => bare.stop());
  await proxy.close();
  const instructions = await instructionsPhase(setup, options, cleanup);
  log(`7. scale: ${options.scaleServices} services, ${options.lookups} route lookups`);
  const scale = await measureScale(setup.entry, options.scaleServices, options.lookups);
  return { rssIdleMb, anonIdleMb, paused, cold, burst, throughput, light, lightBare, instructions, scale };
}

/** Figure 8: replicas sharing state through Redis against one proxy alone (replicas.ts). */
async function replicasPhase(options: BenchOptions, cleanup: CleanupStack, tools: { generator: LoadGenerator; app: BenchBackend; entry: string }): Promise<void> {
  log('8. replicas sharing state through Redis: one alone, one replica, two replicas');
  const figures = await measureReplicas({
    ...tools,
    service: SERVICE,
    connections: options.steadyConnections,
    durationS: options.steadyDurationS,
    warmupS: options.warmupS,
    rounds: options.steadyRounds,
    lightRequests: options.lightRequests,
    lightWarmup: options.lightWarmup,
  }, cleanup, log);
  for (const path of await writeReplicasReport(figures, options.writeReadme)) log(`wrote ${path}`);
}

/** Figure 8 alone. It sweeps no leftovers: another benchmark may be running on the same engine. */
async function runReplicasOnly(options: BenchOptions, cleanup: CleanupStack): Promise<void> {
  await ensureBackendImage();
  const generator = await chooseLoadGenerator(log, options.preferAutocannon);
  const app = await startBackend(cleanup, 'wake-proxy-bench-app');
  const entry = options.proxyFromSource ? PROXY_SOURCE_ENTRY : await buildProxyChild(log);
  await replicasPhase(options, cleanup, { generator, app, entry });
}

async function run(options: BenchOptions, cleanup: CleanupStack): Promise<void> {
  if (options.replicasOnly) return runReplicasOnly(options, cleanup);
  const setup = await prepare(options, cleanup);
  const figures = await measureAll(setup, options, cleanup);
  const nginxVersion = setup.nginxBinary === null ? null : await versionOf(setup.nginxBinary, ['-v']);
  const results = toResults({
    ...figures,
    date: new Date().toISOString(),
    machine: setup.machine,
    quick: options.quick,
    proxyRuntime: `${options.proxyFromSource ? 'TypeScript source (Node type stripping)' : 'compiled JavaScript (tsc)'} on ${jemallocPath() === null ? 'glibc malloc' : 'jemalloc'}`,
    loadGenerator: setup.generator.name,
    nginxVersion: nginxVersion?.replace(/^nginx version:\s*/, '') ?? null,
    nginxWorkers: options.nginxWorkers,
    steadyConnections: options.steadyConnections,
    steadyDurationS: options.steadyDurationS,
    steadyRounds: options.steadyRounds,
  });
  for (const path of await writeReports(results, options.writeReadme)) log(`wrote ${path}`);
  process.stdout.write(renderResultsMarkdown(results));
  await replicasPhase(options, cleanup, setup);
}

async function main(): Promise<number> {
  const options = parseBenchOptions(process.argv.slice(2), process.env);
  const cleanup = new CleanupStack();
  const removeSignalHandlers = cleanup.onSignals(log);
  try {
    await run(options, cleanup);
    return 0;
  } finally {
    await cleanup.runAll(log);
    removeSignalHandlers();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    log(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exitCode = 1;
  },
);
