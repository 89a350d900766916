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
import { createAdminServer, type AdminServer } from './admin/admin-server.ts';
import { EventStream } from './admin/event-stream.ts';
import type { Clock } from './clock.ts';
import type { Config } from './config/routes-schema.ts';
import { createReadinessProbe } from './health/create-probe.ts';
import { IdleScheduler } from './idle/idle-scheduler.ts';
import { ProxyMetrics } from './metrics/proxy-metrics.ts';
import { ResourceSampler, type ResourceSample, type SampledService } from './metrics/resource-sampler.ts';
import { ServiceRegistry } from './lifecycle/service-registry.ts';
import type { Logger } from './logging/logger.ts';
import type { ContainerProvider } from './providers/container-provider.ts';
import { toProblem } from './proxy/error-response.ts';
import { createProxyServer } from './proxy/proxy-server.ts';

/** What the app is built from, besides its config. */
export interface AppDeps {
  readonly provider: ContainerProvider;
  readonly clock: Clock;
  readonly logger: Logger;
  /** One info line per proxied request (`--access-log`). Default false. */
  readonly accessLog?: boolean;
}

/** Where to listen. `adminPort: null` turns the admin API off; port 0 picks a free port. */
export interface AppListen {
  readonly host: string;
  readonly port: number;
  readonly adminPort: number | null;
}

/** A running (or startable) wake-proxy. */
export interface App {
  readonly registry: ServiceRegistry;
  /** Reconciles state, starts the events loop and the listeners; resolves with the bound addresses. */
  start(listen: AppListen): Promise<{ proxy: AddressInfo; admin: AddressInfo | null }>;
  /** Drains and closes everything; safe to call twice. */
  close(): Promise<void>;
}

/** Wires every module of wake-proxy from a loaded config. No I/O happens until start(). */
export function createApp(config: Config, deps: AppDeps): App {
  const { provider, clock, logger } = deps;
  const scheduler = new IdleScheduler({ clock, logger });
  const metrics = new ProxyMetrics();
  const stream = new EventStream(clock);
  const registry = new ServiceRegistry({
    services: config.services,
    provider,
    clock,
    logger,
    scheduler,
    onTransition: (event) => {
      metrics.transition(event);
      stream.publish('transition', { ...event });
    },
    onWake: (event) => {
      metrics.wake(event);
      const { service, fields, at } = event;
      if (event.ok) {
        stream.publish('wake', { service, at, ...fields });
        sampleAfterWake(service);
      }
      else stream.publish('wake_failed', { service, at, code: event.code, step: event.step, ...fields });
    },
    createProbe: (service) =>
      createReadinessProbe(service.healthCheck, { provider, container: service.container, port: service.port }),
  });
  const proxy = createProxyServer({
    routes: config.routes,
    directory: registry,
    logger,
    recorder: metrics,
    accessLog: deps.accessLog ?? false,
  });
  const sampled = (): SampledService[] => registry.all().map((c) => ({ name: c.name, container: c.config.container, state: () => c.state() }));
  const sampler = new ResourceSampler({ provider, clock, logger, services: sampled });
  const resourcesOf = (name: string): ResourceSample | null => {
    const c = registry.get(name);
    return c ? sampler.latest({ name, container: c.config.container, state: () => c.state() }) : null;
  };
  const pendingSamples = new Set<Promise<void>>();
  const sampleAfterWake = (name: string): void => {
    const c = registry.get(name);
    if (!c || events.signal.aborted) return;
    const read = sampler.sampleService({ name, container: c.config.container, state: () => c.state() }).finally(() => pendingSamples.delete(read));
    pendingSamples.add(read);
  };
  const renderMetrics = (): string =>
    metrics.render({
      snapshots: () => registry.all().map((s) => s.snapshot()),
      heldCount: (service) => proxy.heldCount(service),
      maxHeld: (service) => registry.get(service)?.config.maxHeldRequests ?? 0,
      info: (service) => {
        const policy = registry.get(service)?.policy;
        return { priority: policy?.priority ?? 'normal', mode: policy?.mode ?? 'pause' };
      },
      resources: resourcesOf,
    });
  let terminating = false;
  let admin: AdminServer | null = null;
  const events = new AbortController();
  let eventsLoop: Promise<void> = Promise.resolve();
  let samplerLoop: Promise<void> = Promise.resolve();
  let closing: Promise<void> | null = null;

  async function start(listen: AppListen): Promise<{ proxy: AddressInfo; admin: AddressInfo | null }> {
    metrics.start();
    eventsLoop = registry.runEvents(events.signal);
    await registry.reconcile();
    samplerLoop = sampler.run(events.signal);
    const proxyAddress = await proxy.listen(listen.port, listen.host);
    let adminAddress: AddressInfo | null = null;
    if (listen.adminPort !== null) {
      admin = createAdminServer({
        services: registry,
        logger,
        toProblem,
        isTerminating: () => terminating,
        renderMetrics,
        details: (name) => ({ held: proxy.heldCount(name), resources: resourcesOf(name) }),
        events: stream,
        routes: config.routes.map((r) => ({ path: r.pathPrefix, host: r.host, service: r.service })),
        effectiveConfig: () => ({
          routesFile: config.routesFile,
          servicesFile: config.servicesFile,
          routes: config.routes,
          services: registry.all().map((c) => ({ ...c.config, sleepPolicy: c.policy, policyChanged: c.policyChanged() })),
        }),
        idleCheck: () => scheduler.checkNow(),
      });
      adminAddress = await admin.listen(listen.adminPort, listen.host);
    }
    logger.info(
      { port: proxyAddress.port, adminPort: adminAddress?.port ?? null, services: config.services.length, routes: config.routes.length },
      'wake-proxy listening',
    );
    return { proxy: proxyAddress, admin: adminAddress };
  }

  async function shutdown(): Promise<void> {
    terminating = true;
    await proxy.close();
    events.abort();
    await eventsLoop;
    await samplerLoop;
    await Promise.allSettled(pendingSamples);
    scheduler.close();
    await scheduler.settled();
    registry.close();
    await admin?.close();
    metrics.close();
  }

  return {
    registry,
    start,
    close: () => (closing ??= shutdown()),
  };
}
