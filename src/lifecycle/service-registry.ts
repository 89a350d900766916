/**
 * All configured services: one ServiceController each, wired to its dependencies and dependents,
 * kept in step with the runtime.
 *
 * Policy:
 * - At start, every container is inspected (concurrently) and its state taken as the truth. A
 *   container that does not exist is STOPPED, with a warning naming it: it may be created later,
 *   and a request then fails with a clear error. An unreachable runtime is fatal at start.
 * - auto_start services are then woken level by level in dependency order; a failed start-up
 *   wake is logged by the controller and is not fatal (the next request tries again).
 * - Runtime events are matched to services by container name, container id or compose service
 *   label. A container that is created or destroyed is inspected again, so a recreated container
 *   (new id, maybe new address) is found again.
 * - A pause, unpause, start or stop event is a hint, not the truth: the echo of wake-proxy's own
 *   pause can arrive after its next unpause has already finished (seen in the reliability soak
 *   under load), and adopting it would mark a running service SLEEPING. Such events make the
 *   registry inspect the container (about 1 ms) and the inspect result is adopted, unless wake-proxy
 *   moved the service while the inspect ran (ServiceController.moveEpoch). `die` and
 *   `destroy` are handed over at once, so a container dying during a wake ends that wake.
 * - Readiness of a RUNNING container is confirmed in the background, once, as soon as it is seen
 *   running (the start-up scan, a container started or unpaused by hand): a service RUNNING since
 *   the proxy started is then served from the fast path even if the engine becomes unreachable
 *   before its first request. A confirmation is neither a wake nor a transition
 *   (readiness-check.ts): it never starts or unpauses a container, and never hides an external
 *   change.
 * - A container paused by hand while work is in flight for it is woken again at once: the work
 *   would otherwise hang until its client gives up.
 * - Events of the instances other than the first of a service of several containers go to its
 *   instance set (instance-set.ts), which confirms them by inspect in the same way.
 * - The events loop never throws: it ends when its signal aborts, and logs a failure once.
 *   Background confirmations and wakes are awaited by settled(), after close() ended them.
 */
import type { Clock } from '../clock.ts';
import { isSoftChange } from '../config/config-diff.ts';
import type { ServiceConfig } from '../config/services-schema.ts';
import { ProviderUnavailableError } from '../errors.ts';
import type { ReadinessProbe } from '../health/readiness-probe.ts';
import type { IdleScheduler } from '../idle/idle-scheduler.ts';
import type { Logger } from '../logging/logger.ts';
import type { ContainerEvent, ContainerProvider } from '../providers/container-provider.ts';
import type { SharedState } from '../state/shared-state.ts';
import { dependencyLevels, dependentsMap } from './dependency-order.ts';
import { ServiceController, type TransitionEvent } from './service-controller.ts';
import type { ServiceDirectory } from './service-handle.ts';
import type { WakeEvent } from './wake-event.ts';

/** Events whose state is confirmed by an inspect before it is adopted (see the policy). */
const HINT_ACTIONS: ReadonlySet<ContainerEvent['action']> = new Set(['pause', 'unpause', 'start', 'stop']);

/** What the registry is built from. */
export interface ServiceRegistryOptions {
  readonly services: readonly ServiceConfig[];
  readonly provider: ContainerProvider;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly scheduler: Pick<IdleScheduler, 'add' | 'notify' | 'remove'>;
  readonly createProbe: (service: ServiceConfig) => ReadinessProbe;
  readonly onTransition?: (event: TransitionEvent) => void;
  readonly onWake?: (event: WakeEvent) => void;
  /** Every event from the runtime, after the services took it in (label discovery follows it). */
  readonly onContainerEvent?: (event: ContainerEvent) => void;
  /** The state replicas share (`--state`); absent: a single proxy. */
  readonly shared?: SharedState;
}

/**
 * Inspects at once at start-up. Hundreds of simultaneous inspects cost tens of MB of buffers that
 * the process keeps afterwards, for no gain: the Docker engine answers them one by one anyway.
 */
const RECONCILE_CONCURRENCY = 16;

/** Runs `fn` over `items`, at most `limit` at a time; settles like Promise.allSettled. */
async function settleInBatches<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<unknown>,
): Promise<PromiseSettledResult<unknown>[]> {
  const results: PromiseSettledResult<unknown>[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T;
      try {
        results.push({ status: 'fulfilled', value: await fn(item) });
      } catch (reason) {
        results.push({ status: 'rejected', reason });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Every configured service by name; see the module header for the policy. */
export class ServiceRegistry implements ServiceDirectory {
  #byName = new Map<string, ServiceController>();
  readonly #byId = new Map<string, ServiceController[]>();
  #levels: readonly (readonly string[])[];
  #dependents: ReadonlyMap<string, readonly string[]>;
  readonly #options: ServiceRegistryOptions;
  readonly #provider: ContainerProvider;
  readonly #log: Logger;
  readonly #pending = new Set<Promise<void>>();
  readonly #background = new Set<Promise<void>>();

  /** Builds the controllers; no I/O happens until reconcile() and runEvents(). */
  constructor(options: ServiceRegistryOptions) {
    const { services, provider, logger, scheduler } = options;
    this.#options = options;
    this.#provider = provider;
    this.#log = logger;
    this.#levels = dependencyLevels(services);
    this.#dependents = dependentsMap(services);
    for (const config of services) this.#byName.set(config.name, this.#create(config));
    for (const controller of this.#byName.values()) scheduler.add(controller);
  }

  /**
   * Takes a reloaded list of services (the reload policy is in config-diff.ts): new services get a
   * state machine that inspects its container; a service whose identity changed gets a new one;
   * a soft change is applied in place; a removed service is no longer routed, watched for
   * idleness or followed, but its container is left as it is and work already in flight or held
   * on it goes on. Returns what was done.
   */
  apply(services: readonly ServiceConfig[]): { readonly inspect: Promise<void> } {
    const { scheduler } = this.#options;
    const next = new Map<string, ServiceController>();
    const fresh: ServiceController[] = [];
    this.#dependents = dependentsMap(services);
    this.#levels = dependencyLevels(services);
    for (const config of services) {
      const current = this.#byName.get(config.name);
      if (current !== undefined && isSoftChange(current.config, config)) {
        if (current.config !== config) current.reconfigure(config);
        next.set(config.name, current);
        continue;
      }
      if (current !== undefined) scheduler.remove(config.name);
      const controller = this.#create(config, current);
      next.set(config.name, controller);
      fresh.push(controller);
    }
    for (const name of this.#byName.keys()) if (!next.has(name)) scheduler.remove(name);
    this.#byName = next;
    for (const [id, controllers] of this.#byId) {
      const kept = controllers.filter((c) => next.get(c.name) === c);
      if (kept.length === 0) this.#byId.delete(id);
      else this.#byId.set(id, kept);
    }
    for (const controller of fresh) scheduler.add(controller);
    // Dependencies may now be other state machines: recompute who is up, dependencies first.
    for (const level of this.#levels) for (const name of level) next.get(name)?.dependencyChanged();
    const inspect = Promise.all(
      fresh.map((c) =>
        this.#inspect(c, 'startup')
          .then(() => this.#followUp(c, 'startup'))
          .catch(() => undefined),
      ),
    ).then(() => undefined);
    const tracked: Promise<void> = inspect.finally(() => this.#pending.delete(tracked));
    this.#pending.add(tracked);
    return { inspect: tracked };
  }

  #create(config: ServiceConfig, predecessor?: ServiceController): ServiceController {
    const { provider, clock, logger, scheduler } = this.#options;
    const lookup = (names: readonly string[]): ServiceController[] => names.flatMap((n) => this.#byName.get(n) ?? []);
    return new ServiceController({
      config,
      provider,
      clock,
      logger,
      probe: this.#options.createProbe(config),
      probeFor: (ref) => this.#options.createProbe({ ...config, container: ref }),
      dependencies: () => lookup(config.dependsOn),
      dependents: () => lookup(this.#dependents.get(config.name) ?? []),
      onIdle: () => scheduler.notify(config.name),
      ...(predecessor ? { predecessor } : {}),
      ...(this.#options.onTransition ? { onTransition: this.#options.onTransition } : {}),
      ...(this.#options.onWake ? { onWake: this.#options.onWake } : {}),
      ...(this.#options.shared ? { share: this.#options.shared.service(config.name) } : {}),
    });
  }

  /** The controller of a configured service. */
  get(name: string): ServiceController | undefined {
    return this.#byName.get(name);
  }

  /** Service names grouped in dependency order: each level depends only on earlier levels. */
  dependencyLevels(): readonly (readonly string[])[] {
    return this.#levels;
  }

  /** Every controller, in config order. */
  all(): readonly ServiceController[] {
    return [...this.#byName.values()];
  }

  /** Takes every service's state from the runtime, then wakes auto_start services in dependency order. */
  async reconcile(): Promise<void> {
    const results = await settleInBatches(this.all(), RECONCILE_CONCURRENCY, (c) => this.#inspect(c, 'startup'));
    const unreachable = results.find((r) => r.status === 'rejected');
    if (unreachable?.status === 'rejected') throw unreachable.reason;
    for (const controller of this.all()) if (!controller.config.autoStart) this.#followUp(controller, 'startup');
    for (const level of this.#levels) {
      const autoStart = level.flatMap((name) => this.#byName.get(name) ?? []).filter((c) => c.config.autoStart);
      // A failed wake is logged once by its controller; the next request tries again.
      await Promise.allSettled(autoStart.map((c) => c.ensureAwake('startup')));
    }
  }

  /** Follows the runtime's events until `signal` aborts; never rejects. */
  async runEvents(signal: AbortSignal): Promise<void> {
    try {
      for await (const event of this.#provider.events(signal)) {
        if (signal.aborted) break;
        this.#dispatch(event);
      }
    } catch (err) {
      if (!signal.aborted) this.#log.error({ err }, 'container events loop failed');
    } finally {
      await Promise.allSettled(this.#pending);
    }
  }

  /** Refuses new wakes and ends wakes in flight. */
  close(): void {
    for (const controller of this.#byName.values()) controller.close();
  }

  /** Resolves once every background confirmation and wake has settled (call after close()). */
  async settled(): Promise<void> {
    while (this.#background.size > 0) await Promise.allSettled([...this.#background]);
  }

  #dispatch(event: ContainerEvent): void {
    this.#options.onContainerEvent?.(event);
    if (event.action === 'resync') {
      for (const controller of this.all()) for (const ref of controller.secondaryInstances()) controller.observeInstance(ref);
      return this.#reinspect(this.all());
    }
    // The other instances of a service of several containers: instance-set.ts takes them in.
    for (const controller of this.all()) if (controller.secondaryInstances().includes(event.name)) controller.observeInstance(event.name);
    const { byId, byRef } = this.#match(event);
    if (HINT_ACTIONS.has(event.action)) return this.#reinspect([...new Set([...byId, ...byRef])]);
    for (const controller of byId) {
      controller.observe(event);
      this.#followUp(controller, 'external');
    }
    if (event.action === 'create' || event.action === 'destroy') this.#reinspect([...new Set([...byId, ...byRef])]);
    else this.#reinspect(byRef.filter((c) => !byId.includes(c)));
  }

  /**
   * What an observation may call for, in the background: confirm the readiness of a RUNNING
   * container not known ready, or wake a container paused by hand under in-flight work.
   */
  #followUp(controller: ServiceController, cause: 'startup' | 'external'): void {
    if (controller.transitionInFlight()) return;
    const state = controller.state();
    if (state === 'RUNNING' && !controller.isReady()) this.#inBackground(controller.confirmReadiness(cause));
    else if (state === 'SLEEPING' && controller.activity().inFlight > 0) this.#inBackground(controller.ensureAwake('request'));
  }

  #inBackground(work: Promise<unknown>): void {
    // A failure is logged once by the controller; the next request tries again.
    const task: Promise<void> = work
      .then(
        () => undefined,
        () => undefined,
      )
      .finally(() => this.#background.delete(task));
    this.#background.add(task);
  }

  /** Inspects again in the background (events may have been missed, or a container recreated). */
  #reinspect(targets: readonly ServiceController[]): void {
    for (const controller of targets) {
      const pending: Promise<void> = this.#inspect(controller, 'external')
        .catch((err: unknown) => this.#log.warn({ service: controller.name, err }, 'container inspect failed'))
        .finally(() => this.#pending.delete(pending));
      this.#pending.add(pending);
    }
  }

  /**
   * The controllers an event concerns. Only the container a controller has inspected (matched by
   * id) has its event applied directly. A container that merely carries the reference's name or
   * compose service label may be another compose project's: its event makes the controller
   * inspect again, which resolves the reference in its compose scope, and never moves state itself.
   */
  #match(event: ContainerEvent): { byId: ServiceController[]; byRef: ServiceController[] } {
    const byRef = this.all().filter((c) => c.config.container === event.name || c.config.container === event.composeService);
    return { byId: [...(this.#byId.get(event.id) ?? [])], byRef };
  }

  /** Inspects one container and hands the result to its controller; rejects only if the runtime is unreachable. */
  async #inspect(controller: ServiceController, cause: 'startup' | 'external'): Promise<void> {
    const { container, port } = controller.config;
    const epoch = controller.moveEpoch();
    try {
      const status = await this.#provider.inspect(container, port);
      if (status.state === 'missing') this.#log.warn({ service: controller.name, container }, 'container not found');
      else this.#byId.set(status.id, [...new Set([...(this.#byId.get(status.id) ?? []), controller])]);
      controller.observe(status, cause, epoch);
      if (controller.config.spec !== null && status.state !== 'missing') controller.noteSpecHash(await this.#provider.specHash(container));
      if (cause === 'external') this.#followUp(controller, cause);
    } catch (err) {
      if (err instanceof ProviderUnavailableError) throw err;
      this.#log.warn({ service: controller.name, container, err }, 'container inspect failed');
    }
  }
}
