/**
 * Shared pieces of the lifecycle unit tests: configs parsed by the real schema, a probe whose
 * readiness the test controls, a logger whose lines the test can read, and a world of services
 * wired by the real ServiceRegistry over a FakeProvider and a ManualClock.
 */
import { ServicesFileSchema, type ServiceConfig } from '../../../src/config/services-schema.ts';
import type { ProbeResult, ReadinessProbe } from '../../../src/health/readiness-probe.ts';
import type { IdleScheduler } from '../../../src/idle/idle-scheduler.ts';
import type { ServiceController, TransitionEvent } from '../../../src/lifecycle/service-controller.ts';
import { ServiceRegistry } from '../../../src/lifecycle/service-registry.ts';
import { createLogger, type Logger } from '../../../src/logging/logger.ts';
import type { Upstream } from '../../../src/providers/container-provider.ts';
import type { SharedState } from '../../../src/state/shared-state.ts';
import { FakeProvider } from '../../support/fake-provider.ts';
import { ManualClock } from '../../support/manual-clock.ts';

/** Parses services.yml-style entries (snake_case) into ServiceConfigs, container name = service name. */
export function serviceConfigs(entries: Record<string, Record<string, unknown>>): ServiceConfig[] {
  const services = Object.fromEntries(
    Object.entries(entries).map(([name, entry]) => [name, { container: name, port: 8080, ...entry }]),
  );
  return ServicesFileSchema.parse({ services });
}

/** A probe the test controls: not ready until `ready` is set. */
export class FakeProbe implements ReadinessProbe {
  ready = false;
  detail = 'ECONNREFUSED';
  readonly checked: Upstream[] = [];

  async check(upstream: Upstream): Promise<ProbeResult> {
    this.checked.push(upstream);
    return this.ready ? { ready: true, detail: 'HTTP 200' } : { ready: false, detail: this.detail };
  }
}

/** A logger writing JSON lines the test can read back. */
export function captureLogs(): { logger: Logger; lines: () => Record<string, unknown>[] } {
  const raw: string[] = [];
  const logger = createLogger({ level: 'debug', destination: { write: (line: string) => void raw.push(line) } });
  return { logger, lines: () => raw.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

/** Log lines with the given message. */
export function linesWith(lines: Record<string, unknown>[], msg: string): Record<string, unknown>[] {
  return lines.filter((l) => l['msg'] === msg);
}

/** Everything a lifecycle test drives. */
export interface World {
  readonly clock: ManualClock;
  readonly provider: FakeProvider;
  readonly registry: ServiceRegistry;
  readonly probes: Map<string, FakeProbe>;
  readonly transitions: TransitionEvent[];
  readonly notified: string[];
  readonly added: string[];
  readonly lines: () => Record<string, unknown>[];
  /** The controller of a service (throws when unknown). */
  service(name: string): ServiceController;
  /** The probe of a service. */
  probe(name: string): FakeProbe;
  /** registry.reconcile(), then waits for the readiness confirmations it started in the background. */
  reconcile(): Promise<void>;
}

/** How a test world differs from the default. */
export interface WorldOptions {
  /** Container state per service; default `exited`. */
  readonly states?: Record<string, 'running' | 'paused' | 'exited'>;
  /** Services whose probe is not ready until the test says so. */
  readonly notReady?: readonly string[];
  /** false: events reach controllers only through `registry.runEvents`. Default true. */
  readonly syncEvents?: boolean;
  /** A real scheduler instead of the recording stub. */
  readonly scheduler?: (clock: ManualClock, logger: Logger) => Pick<IdleScheduler, 'add' | 'notify' | 'remove'>;
  /** State shared with other replicas, built on the world's clock and logger. */
  readonly shared?: (clock: ManualClock, logger: Logger) => SharedState;
}

/**
 * Services from `entries`, each backed by a fake container in `states` (default `exited`); probes
 * ready at once unless `notReady` names the service. Events reach controllers synchronously.
 */
export function createWorld(entries: Record<string, Record<string, unknown>>, options: WorldOptions = {}): World {
  const clock = new ManualClock();
  const provider = new FakeProvider({ clock });
  const configs = serviceConfigs(entries);
  for (const c of configs) provider.add(c.container, { state: options.states?.[c.name] ?? 'exited' });
  const probes = new Map(configs.map((c) => [c.name, new FakeProbe()]));
  for (const [name, probe] of probes) probe.ready = !(options.notReady ?? []).includes(name);
  const { logger, lines } = captureLogs();
  const transitions: TransitionEvent[] = [];
  const notified: string[] = [];
  const added: string[] = [];
  const stub = { add: (t: { name: string }) => void added.push(t.name), notify: (n: string) => void notified.push(n), remove: () => undefined };
  const scheduler = options.scheduler?.(clock, logger) ?? stub;
  const registry = new ServiceRegistry({
    services: configs,
    provider,
    clock,
    logger,
    scheduler,
    createProbe: (c) => probes.get(c.name) ?? new FakeProbe(),
    onTransition: (e) => transitions.push(e),
    ...(options.shared ? { shared: options.shared(clock, logger) } : {}),
  });
  if (options.syncEvents !== false) {
    provider.subscribe((event) => {
      for (const c of registry.all()) if (c.config.container === event.name) c.observe(event);
    });
  }
  const service = (name: string): ServiceController => {
    const c = registry.get(name);
    if (c === undefined) throw new Error(`no service ${name}`);
    return c;
  };
  const probe = (name: string): FakeProbe => {
    const p = probes.get(name);
    if (p === undefined) throw new Error(`no probe ${name}`);
    return p;
  };
  const reconcile = async (): Promise<void> => {
    await registry.reconcile();
    await registry.settled();
  };
  return { clock, provider, registry, probes, transitions, notified, added, lines, service, probe, reconcile };
}
