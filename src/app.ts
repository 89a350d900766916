/**
 * The composition root: the one place that creates the long-lived objects and wires them. Nothing
 * else creates singletons. Tests call createApp with a fake provider and a manual clock; main.ts
 * calls it with the Docker provider and the system clock.
 *
 * Start-up order: reconcile every service from the runtime (so the first request sees the truth),
 * follow the runtime's events, wake auto_start services, then open the listeners.
 * Shutdown is the reverse: /healthz turns 503, listeners stop accepting and drain, the events loop
 * and the idle timers stop, upstream pools close.
 */
import type { AddressInfo } from 'node:net';
import { createTokenCheck, isLoopback } from './admin/admin-auth.ts';
import { createAdminServer, type AdminServer } from './admin/admin-server.ts';
import type { Clock } from './clock.ts';
import type { Config } from './config/routes-schema.ts';
import type { EnvServiceDefaults } from './config/service-defaults.ts';
import { createReadinessProbe } from './health/create-probe.ts';
import { IdleScheduler } from './idle/idle-scheduler.ts';
import { RESOURCE_SAMPLING } from './metrics/resource-sampler.ts';
import { Observability } from './observability.ts';
import { ConfigReloader, type ReloadCause, type ReloadOutcome } from './reload/config-reloader.ts';
import { debounced } from './reload/debounced.ts';
import { EffectiveConfigLoader } from './reload/effective-config.ts';
import { watchConfigFiles, type ConfigWatcher } from './reload/config-watcher.ts';
import { ServiceRegistry } from './lifecycle/service-registry.ts';
import type { Logger } from './logging/logger.ts';
import type { ContainerProvider } from './providers/container-provider.ts';
import { ProviderSwitch } from './providers/provider-switch.ts';
import type { ServiceConfig } from './config/services-schema.ts';
import { processAllocator } from './proxy/allocator.ts';
import { toProblem } from './proxy/error-response.ts';
import { createProxyServer } from './proxy/proxy-server.ts';
import type { SharedState } from './state/shared-state.ts';

/** What the app is built from, besides its config. */
export interface AppDeps {
  readonly provider: ContainerProvider;
  readonly clock: Clock;
  readonly logger: Logger;
  /** One info line per proxied request (`--access-log`). Default false. */
  readonly accessLog?: boolean;
  /** How often RUNNING services' resources are read (ms). Default 15 000. */
  readonly resourceSampleIntervalMs?: number;
  /** Loads both files afresh for a reload (main.ts reads the files); default: `config` as it is. */
  readonly loadConfig?: () => Promise<Config>;
  /** The CONTAINER_* defaults, applied to label services too (file services get them on load). */
  readonly envDefaults?: EnvServiceDefaults;
  /** Reload when either config file changes (main.ts turns it on). Default false. */
  readonly watchConfig?: boolean;
  /** How long close() lets held and in-flight requests finish before cutting them. Default 10 000. */
  readonly drainTimeoutMs?: number;
  /** The state replicas share (`--state`; main.ts creates it); absent: a single proxy, all in memory. */
  readonly sharedState?: SharedState;
  /**
   * Makes the adapter of Swarm services (`swarm_service:`), given the replicas each is woken to;
   * `provider` then serves the container services only. Absent: every service is a container's.
   */
  readonly createSwarmProvider?: (replicasOf: (ref: string) => number) => ContainerProvider;
}

/** Where to listen. `adminPort: null` turns the admin API off; port 0 picks a free port. */
export interface AppListen {
  readonly host: string;
  readonly port: number;
  readonly adminPort: number | null;
  /** Address of the admin listener; default `host`. */
  readonly adminHost?: string | undefined;
  /** Bearer token non-loopback admin clients must present; null/absent: loopback clients only. */
  readonly adminToken?: string | null | undefined;
  /** The forward-auth listener's port; null or absent turns it off. */
  readonly forwardAuthPort?: number | null;
}

/** Where the listeners ended up (null for one that is off). */
export interface StartedAddresses {
  readonly proxy: AddressInfo;
  readonly admin: AddressInfo | null;
  readonly forwardAuth: AddressInfo | null;
}

/** A running (or startable) wake-proxy. */
export interface App {
  readonly registry: ServiceRegistry;
  /** Reconciles state, starts the events loop and the listeners; resolves with the bound addresses. */
  start(listen: AppListen): Promise<StartedAddresses>;
  /** Reloads both files (all or nothing) and switches routes and services at once. */
  reload(cause: ReloadCause): Promise<ReloadOutcome>;
  /** Drains and closes everything; safe to call twice. */
  close(): Promise<void>;
}

/** Quiet time after a container is created or removed before the labels are read again. */
const LABEL_CHECK_DELAY_MS = 100;

/** Wires every module of wake-proxy from a loaded config. No I/O happens until start(). */
export function createApp(config: Config, deps: AppDeps): App {
  const { clock, logger } = deps;
  // Which adapter serves a reference: the services in force decide, call by call (provider-switch.ts).
  const swarmServiceOf = (ref: string): ServiceConfig | undefined =>
    registry.all().find((c) => c.config.swarmService !== null && c.config.container === ref)?.config;
  const provider: ContainerProvider =
    deps.createSwarmProvider === undefined
      ? deps.provider
      : new ProviderSwitch({
          containers: deps.provider,
          swarm: deps.createSwarmProvider((ref) => swarmServiceOf(ref)?.replicas ?? 1),
          isSwarm: (ref) => swarmServiceOf(ref) !== undefined,
        });
  const sampleIntervalMs = deps.resourceSampleIntervalMs ?? RESOURCE_SAMPLING.intervalMs;
  const observed = new Observability({ provider, clock, logger, sampleIntervalMs });
  const scheduler = new IdleScheduler({ clock, logger, cpuCores: (name) => observed.cpuCores(name), cpuRecheckMs: sampleIntervalMs });
  const registry = new ServiceRegistry({
    services: config.services,
    provider,
    clock,
    logger,
    scheduler,
    onTransition: observed.onTransition,
    onWake: observed.onWake,
    onContainerEvent: (event) => {
      if (event.action === 'create' || event.action === 'destroy' || event.action === 'resync') labelCheck.soon();
    },
    ...(deps.sharedState ? { shared: deps.sharedState } : {}),
    createProbe: (service) =>
      createReadinessProbe(service.healthCheck, { provider, container: service.container, port: service.port }),
  });
  const proxy = createProxyServer({
    routes: config.routes,
    directory: registry,
    logger,
    recorder: observed.metrics,
    accessLog: deps.accessLog ?? false,
    ...(deps.drainTimeoutMs === undefined ? {} : { drainTimeoutMs: deps.drainTimeoutMs }),
  });
  observed.bind({ services: () => registry.all(), service: (name) => registry.get(name), heldCount: (name) => proxy.heldCount(name) });
  const effective = new EffectiveConfigLoader({
    // Without a loader (tests that pass config text) the files are taken as unchanged.
    loadFiles: deps.loadConfig ?? (() => Promise.resolve(config)),
    provider,
    logger,
    ...(deps.envDefaults ? { envDefaults: deps.envDefaults } : {}),
  });
  const reloader = new ConfigReloader(config, {
    load: (cause) => (cause === 'labels' ? effective.relabel() : effective.load()),
    apply: (next) => {
      registry.apply(next.services);
      proxy.setRoutes(next.routes);
    },
    logger,
    onReloaded: (cause, diff) => observed.stream.publish('reload', { cause, ...diff }),
  });
  let watcher: ConfigWatcher | null = null;
  const labelCheck = debounced(clock, LABEL_CHECK_DELAY_MS, () => {
    reloader.reload('labels').catch((err: unknown) => logger.error({ err }, 'configuration reload failed'));
  });
  let terminating = false;
  let admin: AdminServer | null = null;
  const events = new AbortController();
  let eventsLoop: Promise<void> = Promise.resolve();
  let syncLoop: Promise<void> = Promise.resolve();
  let closing: Promise<void> | null = null;

  async function start(listen: AppListen): Promise<StartedAddresses> {
    eventsLoop = registry.runEvents(events.signal);
    await reloader.replace(await effective.extend(config), 'labels');
    await registry.reconcile();
    observed.start(events.signal);
    if (deps.sharedState) syncLoop = deps.sharedState.run(() => registry.all(), events.signal);
    if (deps.watchConfig === true) {
      const files = [config.routesFile, config.servicesFile];
      const onChange = (): void => {
        reloader.reload('file').catch((err: unknown) => logger.error({ err }, 'configuration reload failed'));
      };
      watcher = watchConfigFiles(files, onChange, { clock, logger });
    }
    const proxyAddress = await proxy.listen(listen.port, listen.host);
    const forwardAuthPort = listen.forwardAuthPort ?? null;
    const forwardAuth = forwardAuthPort === null ? null : await proxy.listenForwardAuth(forwardAuthPort, listen.host);
    let adminAddress: AddressInfo | null = null;
    if (listen.adminPort !== null) {
      const tokenCheck = listen.adminToken ? createTokenCheck(listen.adminToken) : null;
      admin = createAdminServer({
        services: registry,
        logger,
        toProblem,
        isTerminating: () => terminating,
        renderMetrics: () => observed.renderMetrics(deps.sharedState?.health()),
        details: (name) => ({
          held: proxy.heldCount(name),
          resources: observed.resources(name),
          sleepHeldBackByCpu: scheduler.heldBackByCpu(name),
        }),
        events: observed.stream,
        routes: () => reloader.current().routes.map((r) => ({ path: r.pathPrefix, host: r.host, service: r.service })),
        effectiveConfig: () => ({
          routesFile: config.routesFile,
          servicesFile: config.servicesFile,
          routes: reloader.current().routes,
          services: registry.all().map((c) => ({ ...c.config, sleepPolicy: c.policy, policyChanged: c.policyChanged() })),
        }),
        reload: () => reloader.reload('admin'),
        idleCheck: () => scheduler.checkNow(),
        tokenCheck,
      });
      adminAddress = await admin.listen(listen.adminPort, listen.adminHost ?? listen.host);
      if (tokenCheck === null && !isLoopback(adminAddress.address)) {
        logger.warn(
          { adminAddress: adminAddress.address, adminPort: adminAddress.port },
          'admin API answers loopback clients only: no admin token configured',
        );
      }
    }
    logger.info(
      {
        port: proxyAddress.port,
        adminPort: adminAddress?.port ?? null,
        forwardAuthPort: forwardAuth?.port ?? null,
        services: reloader.current().services.length,
        routes: reloader.current().routes.length,
        allocator: processAllocator(),
      },
      'wake-proxy listening',
    );
    return { proxy: proxyAddress, admin: adminAddress, forwardAuth };
  }

  async function shutdown(): Promise<void> {
    terminating = true;
    watcher?.close();
    labelCheck.cancel();
    await proxy.close();
    events.abort();
    await eventsLoop;
    await syncLoop;
    await observed.close();
    scheduler.close();
    await scheduler.settled();
    registry.close();
    await Promise.all(registry.all().map((c) => c.settledBackground()));
    await registry.settled();
    await deps.sharedState?.close();
    await admin?.close();
  }

  return {
    registry,
    start,
    reload: (cause) => reloader.reload(cause),
    close: () => (closing ??= shutdown()),
  };
}
