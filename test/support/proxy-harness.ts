/**
 * Runs the whole wake-proxy (createApp) in the test process against the real Docker engine: the
 * real DockerProvider wrapped in a CountingProvider, the system clock, both listeners on
 * 127.0.0.1:0, and every pino line captured as parsed JSON so tests can assert on the log.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createApp, type App } from '../../src/app.ts';
import { systemClock } from '../../src/clock.ts';
import { loadConfig, parseConfigTexts } from '../../src/config/load-config.ts';
import { createLogger, type LogLevel } from '../../src/logging/logger.ts';
import type { ServiceSnapshot } from '../../src/metrics/service-snapshot.ts';
import { composeScopeOf } from '../../src/providers/docker/compose-scope.ts';
import { DockerProvider } from '../../src/providers/docker/docker-provider.ts';
import { SwarmProvider } from '../../src/providers/swarm/swarm-provider.ts';
import { CountingProvider } from './counting-provider.ts';
import { BACKEND_PORT, bridgeIp, containerState, testDocker } from './docker-fixture.ts';
import { eventually } from './eventually.ts';

/** One captured log line: pino's JSON object. */
export type LogLine = Readonly<Record<string, unknown>> & { readonly msg?: string };

/** What startProxy needs: the text of both config files. */
export interface ProxyHarnessOptions {
  /** services.yml text. */
  readonly services: string;
  /** routes.yml text. */
  readonly routes: string;
  /** Default `debug`, so provider calls show up in the captured lines. */
  readonly logLevel?: LogLevel;
  /** How often resources are sampled (ms); default the app's 15 s. */
  readonly resourceSampleIntervalMs?: number;
  /** DOCKER_HOST for the provider (e.g. a socket proxy); default the local socket. */
  readonly dockerHost?: string;
  /** WAKE_PROXY_COMPOSE_PROJECT: the compose project references are read in. */
  readonly composeProject?: string;
  /** Admin listener address (default 127.0.0.1) and the bearer token non-loopback clients need. */
  readonly adminHost?: string;
  readonly adminToken?: string;
  /** Also open the forward-auth listener (on a free port). */
  readonly forwardAuth?: boolean;
  /**
   * Write both files into this folder and load them from there, watching them for changes, as
   * `npm start` does (reload tests edit them).
   */
  readonly configDir?: string;
}

/** A running proxy under test. */
export interface ProxyHarness {
  /** Base URL of the proxy listener, e.g. `http://127.0.0.1:40123`. */
  readonly url: string;
  /** Base URL of the admin listener. */
  readonly adminUrl: string;
  /** `127.0.0.1:<port>` of the forward-auth listener, or '' when it is off. */
  readonly forwardAuthAddress: string;
  readonly app: App;
  /** Provider calls made by the proxy, per verb and container. */
  readonly calls: CountingProvider;
  /** Every log line written so far. */
  logLines(): readonly LogLine[];
  /** The log lines whose message is `msg`, optionally only those of `service`. */
  logsWith(msg: string, service?: string): readonly LogLine[];
  /** The admin API's view of one service. */
  snapshot(service: string): Promise<ServiceSnapshot>;
  /** POSTs an admin verb (`wake`, `sleep`, `stop`) and returns the status code. */
  adminPost(service: string, verb: 'wake' | 'sleep' | 'stop'): Promise<number>;
  /** Closes the app; safe to call twice. */
  close(): Promise<void>;
}

/** A pino destination that parses and keeps every line (pino writes one JSON line per call). */
function captureStream(lines: LogLine[]): Writable {
  return new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      for (const text of String(chunk).split('\n')) {
        if (text.trim() !== '') lines.push(JSON.parse(text) as LogLine);
      }
      callback();
    },
  });
}

/** Starts wake-proxy with this config on 127.0.0.1 (random ports). */
export async function startProxy(options: ProxyHarnessOptions): Promise<ProxyHarness> {
  const dir = options.configDir;
  const paths = { routesPath: dir ? join(dir, 'routes.yml') : 'routes.yml', servicesPath: dir ? join(dir, 'services.yml') : 'services.yml' };
  if (dir) {
    await writeFile(paths.routesPath, options.routes);
    await writeFile(paths.servicesPath, options.services);
  }
  const config = parseConfigTexts({
    routes: { name: paths.routesPath, text: options.routes },
    services: { name: paths.servicesPath, text: options.services },
  });
  const lines: LogLine[] = [];
  const logger = createLogger({ level: options.logLevel ?? 'debug', destination: captureStream(lines) });
  const provider = new DockerProvider({
    logger,
    clock: systemClock,
    dockerHost: options.dockerHost ?? null,
    composeScope: composeScopeOf(config.services, options.composeProject ?? null),
  });
  const calls = new CountingProvider(provider);
  const sampling = options.resourceSampleIntervalMs === undefined ? {} : { resourceSampleIntervalMs: options.resourceSampleIntervalMs };
  const watching = dir ? { loadConfig: () => loadConfig(paths), watchConfig: true } : {};
  const createSwarmProvider = (replicasOf: (ref: string) => number): SwarmProvider =>
    new SwarmProvider({ logger, clock: systemClock, dockerHost: options.dockerHost ?? null, replicasOf, ownNetworks: () => provider.ownNetworks() });
  const app = createApp(config, { provider: calls, clock: systemClock, logger, createSwarmProvider, ...sampling, ...watching });
  const listen = {
    host: '127.0.0.1',
    port: 0,
    adminPort: 0,
    adminHost: options.adminHost,
    adminToken: options.adminToken ?? null,
    forwardAuthPort: options.forwardAuth === true ? 0 : null,
  };
  const { proxy, admin, forwardAuth } = await app.start(listen).catch(async (err: unknown) => {
    await app.close();
    throw err;
  });
  const url = `http://127.0.0.1:${proxy.port}`;
  // The admin API answers loopback clients without a token, whatever address it listens on.
  const adminUrl = `http://127.0.0.1:${admin?.port ?? 0}`;
  return {
    url,
    adminUrl,
    forwardAuthAddress: forwardAuth === null ? '' : `127.0.0.1:${forwardAuth.port}`,
    app,
    calls,
    logLines: () => lines,
    logsWith: (msg, service) => lines.filter((l) => l.msg === msg && (service === undefined || l['service'] === service)),
    async snapshot(service) {
      const res = await fetch(`${adminUrl}/services/${service}`);
      if (res.status !== 200) throw new Error(`admin GET /services/${service} answered ${res.status}`);
      return (await res.json()) as ServiceSnapshot;
    },
    async adminPost(service, verb) {
      const res = await fetch(`${adminUrl}/services/${service}/${verb}`, { method: 'POST' });
      await res.arrayBuffer();
      return res.status;
    },
    close: async () => {
      calls.releaseAll();
      await app.close();
    },
  };
}

/** The backend's request counters (its /stats endpoint). */
export interface BackendStats {
  readonly requests: number;
  readonly healthChecks: number;
  readonly websockets: number;
  readonly websocketMessages: number;
}

/** Reads a running backend's /stats directly on its bridge IP, bypassing the proxy. */
export async function backendStats(name: string): Promise<BackendStats> {
  const ip = await bridgeIp(name);
  const res = await fetch(`http://${ip}:${BACKEND_PORT}/stats`, { signal: AbortSignal.timeout(2_000) });
  return (await res.json()) as BackendStats;
}

/** Waits until a freshly started backend answers /stats (it listens after START_DELAY_MS). */
export async function backendListening(name: string, timeoutMs = 10_000): Promise<BackendStats> {
  return eventually(() => backendStats(name), { timeoutMs, intervalMs: 50 });
}

/** Pauses a container by hand, as an operator would (`docker pause`). */
export async function pauseByHand(name: string): Promise<void> {
  await testDocker().getContainer(name).pause();
}

/** Stops a container by hand (`docker stop`). */
export async function stopByHand(name: string): Promise<void> {
  await testDocker().getContainer(name).stop({ t: 5 });
}

/** Waits until Docker reports `state` (`paused`, `exited`, `running`…) for the container. */
export async function containerReaches(name: string, state: string, timeoutMs = 15_000): Promise<void> {
  await eventually(
    async () => {
      const now = await containerState(name);
      if (now !== state) throw new Error(`container ${name} is ${now}, still waiting for ${state}`);
    },
    { timeoutMs, intervalMs: 50 },
  );
}
