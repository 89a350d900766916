/**
 * The instances of a service of several containers (`containers:` or `compose_scale: true`): which
 * of them take requests, and bringing the others up behind the first.
 *
 * Policy:
 * - The first instance (the primary) is the service's container for the state machine: its wake,
 *   sleep and state are the service's (ServiceController). The service is ready as soon as the
 *   primary is; requests are then forwarded at once, to the primary alone at first.
 * - When the service becomes ready, every other instance is brought up in the background
 *   (unpaused or started, then probed with the service's readiness probe up to
 *   health_check.timeout) and joins the rotation when its probe passes. One that fails is logged
 *   and left out; it joins when it is seen running again (an event) while the service is up.
 * - A sleep or stop of the service takes every instance down with it, in parallel.
 * - Requests go to the eligible instance (ready, breaker closed) with the fewest in flight
 *   (balance/least-in-flight.ts). With none eligible, the primary's address is used: a request
 *   then fails (502) or succeeds on its own rather than waiting for a breaker.
 * - An exchange that found its instance unreachable (refused or reset before any response) is a
 *   breaker failure; one that got a response is a success (balance/circuit-breaker.ts). An open
 *   breaker is tried with one probe after `open_for`, never with a client's request.
 * - An instance seen stopped, paused or gone (an event, confirmed by inspect) leaves the rotation
 *   and its breaker is forgotten. An inspect answered after one of our own moves is dropped, like
 *   the controller's moveEpoch: the late echo of our pause must not undo our unpause.
 * - In-flight counts here are per instance, for the picker only; the sleep decision keeps counting
 *   per service (ActivityTracker).
 */
import type { Clock, TimerHandle } from '../clock.ts';
import { CircuitBreaker, type BreakerState } from '../balance/circuit-breaker.ts';
import { pickLeastInFlight } from '../balance/least-in-flight.ts';
import type { ServiceConfig } from '../config/services-schema.ts';
import type { ReadinessProbe } from '../health/readiness-probe.ts';
import type { Logger } from '../logging/logger.ts';
import type { ContainerProvider, ContainerStatus, Upstream } from '../providers/container-provider.ts';
import { raceAbort } from './race-abort.ts';
import { checkReadiness } from './readiness-check.ts';
import type { ExchangeEnd } from './service-handle.ts';

/** One instance as the admin API shows it. */
export interface InstanceSnapshot {
  readonly container: string;
  readonly primary: boolean;
  /** ready: in rotation (if its breaker is closed); starting: being brought up; down: neither. */
  readonly state: 'ready' | 'starting' | 'down';
  readonly upstream: Upstream | null;
  readonly inFlight: number;
  readonly breaker: BreakerState;
}

/** What an instance set is built from. */
export interface InstanceSetDeps {
  readonly config: ServiceConfig;
  readonly provider: ContainerProvider;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The readiness probe of one instance (exec and docker probes are bound to a container). */
  readonly probeFor: (ref: string) => ReadinessProbe;
  /** True while the service is RUNNING and ready: only then are instances brought up. */
  readonly serviceUp: () => boolean;
}

/** One instance; it is its own Candidate for the picker, so picking allocates nothing. */
class Instance {
  readonly ref: string;
  readonly primary: boolean;
  readonly breaker: CircuitBreaker;
  upstream: Upstream | null = null;
  ready = false;
  inFlight = 0;
  /** Bring-up or trial probe in flight. */
  work: AbortController | null = null;
  trial: TimerHandle | null = null;
  /** Counts our own moves on this instance (see the policy). */
  moves = 0;

  constructor(ref: string, primary: boolean, breaker: CircuitBreaker) {
    this.ref = ref;
    this.primary = primary;
    this.breaker = breaker;
  }

  /** Ready, with an address, and its breaker closed. */
  get eligible(): boolean {
    return this.ready && this.upstream !== null && this.breaker.isClosed();
  }
}

const NOOP_END: ExchangeEnd = () => undefined;

function keyOf(upstream: Upstream): string {
  return `${upstream.host}:${upstream.port}`;
}

/** The instances of one service; see the module header. */
export class InstanceSet {
  readonly #deps: InstanceSetDeps;
  readonly #log: Logger;
  readonly #instances: Instance[];
  readonly #background = new Set<Promise<void>>();
  #cursor = -1;
  #closed = false;

  constructor(deps: InstanceSetDeps) {
    this.#deps = deps;
    this.#log = deps.logger;
    const { failures, openForMs } = deps.config.circuitBreaker;
    this.#instances = deps.config.instances.map((ref, index) => new Instance(ref, index === 0, new CircuitBreaker({ failures, openForMs })));
  }

  /** The container references, primary first. */
  refs(): readonly string[] {
    return this.#instances.map((i) => i.ref);
  }

  /** True when `ref` is one of the instances other than the primary. */
  isSecondary(ref: string): boolean {
    return this.#instances.some((i) => !i.primary && i.ref === ref);
  }

  /** The primary is ready at `upstream`: it joins the rotation and the others are brought up. */
  primaryReady(upstream: Upstream | null): void {
    const primary = this.#instances[0];
    if (primary === undefined) return;
    primary.upstream = upstream;
    primary.ready = true;
    for (const instance of this.#instances) if (!instance.primary && !instance.ready && instance.work === null) this.#bringUp(instance);
  }

  /** The primary is not ready (the service sleeps, or changed outside the proxy). */
  primaryDown(): void {
    const primary = this.#instances[0];
    if (primary === undefined) return;
    primary.ready = false;
    this.#cancelTrial(primary);
    primary.breaker.reset();
  }

  /** The upstream for the next request (see the policy); `fallback` when none is eligible. */
  pick(fallback: Upstream | null): Upstream | null {
    const index = pickLeastInFlight(this.#instances, this.#cursor);
    if (index < 0) return fallback;
    this.#cursor = index;
    return this.#instances[index]?.upstream ?? fallback;
  }

  /** Counts one exchange on the instance at `upstream` until the returned end() is called (once). */
  begin(upstream: Upstream): ExchangeEnd {
    // pick() hands out the instances' own Upstream objects: identity first, the address otherwise.
    const instance =
      this.#instances.find((i) => i.upstream === upstream) ??
      this.#instances.find((i) => i.upstream !== null && keyOf(i.upstream) === keyOf(upstream));
    if (instance === undefined) return NOOP_END;
    instance.inFlight += 1;
    let ended = false;
    return (unreachable) => {
      if (ended) return;
      ended = true;
      instance.inFlight -= 1;
      if (!unreachable) {
        if (instance.breaker.isClosed()) instance.breaker.recordSuccess();
        return;
      }
      if (instance.breaker.recordFailure(this.#deps.clock.now())) this.#opened(instance, 'connection refused or reset');
    };
  }

  /**
   * Takes every instance other than the primary down with `verb` (the controller moves the
   * primary). Never rejects: an instance that could not be moved is logged and left out.
   */
  async takeDown(verb: 'pause' | 'stop'): Promise<void> {
    const { provider } = this.#deps;
    const others = this.#instances.filter((i) => !i.primary);
    for (const instance of others) this.#leave(instance);
    await Promise.all(
      others.map(async (instance) => {
        instance.moves += 1;
        try {
          await (verb === 'pause' ? provider.pause(instance.ref) : provider.stop(instance.ref));
        } catch (err) {
          this.#log.warn({ container: instance.ref, verb, err }, 'instance not taken down');
        } finally {
          instance.moves += 1;
        }
      }),
    );
  }

  /** An event concerned an instance other than the primary: inspect it and take in what it says. */
  hint(ref: string): void {
    const instance = this.#instances.find((i) => !i.primary && i.ref === ref);
    if (instance === undefined || this.#closed) return;
    const moves = instance.moves;
    this.#track(
      this.#deps.provider.inspect(ref, this.#deps.config.port).then((status) => {
        if (instance.moves === moves) this.#observe(instance, status);
      }),
    );
  }

  /** Per-instance state for the admin API. */
  snapshot(): readonly InstanceSnapshot[] {
    return this.#instances.map((i) => ({
      container: i.ref,
      primary: i.primary,
      state: i.ready ? 'ready' : i.work !== null && i.breaker.isClosed() ? 'starting' : 'down',
      upstream: i.upstream,
      inFlight: i.inFlight,
      breaker: i.breaker.state,
    }));
  }

  /** Ends bring-ups, trials and their timers. */
  close(): void {
    this.#closed = true;
    for (const instance of this.#instances) {
      instance.work?.abort();
      this.#cancelTrial(instance);
    }
  }

  /** Resolves when background bring-ups, trials and inspects have settled. */
  async settled(): Promise<void> {
    while (this.#background.size > 0) await Promise.allSettled([...this.#background]);
  }

  #observe(instance: Instance, status: ContainerStatus): void {
    if (status.state !== 'running') {
      if (instance.ready || instance.work !== null) this.#log.info({ container: instance.ref, state: status.state }, 'instance left rotation');
      this.#leave(instance);
      return;
    }
    if (!instance.ready && instance.work === null && this.#deps.serviceUp()) this.#bringUp(instance);
  }

  #leave(instance: Instance): void {
    instance.work?.abort();
    instance.work = null;
    instance.ready = false;
    this.#cancelTrial(instance);
    instance.breaker.reset();
  }

  #bringUp(instance: Instance): void {
    if (this.#closed) return;
    const work = new AbortController();
    instance.work = work;
    this.#track(
      this.#runBringUp(instance, work.signal).finally(() => {
        if (instance.work === work) instance.work = null;
      }),
    );
  }

  async #runBringUp(instance: Instance, signal: AbortSignal): Promise<void> {
    const { provider, clock, config } = this.#deps;
    const startedAt = clock.now();
    try {
      const status = await raceAbort(provider.inspect(instance.ref, config.port, signal), signal);
      instance.moves += 1;
      if (status.state === 'paused') await raceAbort(provider.unpause(instance.ref, signal), signal);
      else if (status.state !== 'running' && status.state !== 'missing') await raceAbort(provider.start(instance.ref, signal), signal);
      instance.moves += 1;
      if (status.state === 'missing') {
        this.#log.warn({ container: instance.ref }, 'instance not found');
        return;
      }
      const probe = this.#deps.probeFor(instance.ref);
      const outcome = await checkReadiness({ config: { ...config, container: instance.ref }, provider, probe, clock }, signal);
      if (signal.aborted || !this.#deps.serviceUp()) return;
      if (!outcome.ready) {
        this.#log.warn({ container: instance.ref, reason: outcome.detail, probes: outcome.probes }, 'instance not ready');
        return;
      }
      instance.upstream = outcome.upstream;
      instance.ready = true;
      instance.breaker.reset();
      this.#log.info({ container: instance.ref, probes: outcome.probes, durationMs: clock.now() - startedAt }, 'instance joined rotation');
    } catch (err) {
      if (!signal.aborted) this.#log.warn({ container: instance.ref, err }, 'instance not brought up');
    }
  }

  #opened(instance: Instance, reason: string): void {
    this.#log.warn({ container: instance.ref, reason, openForMs: this.#deps.config.circuitBreaker.openForMs }, 'instance breaker opened');
    this.#scheduleTrial(instance);
  }

  #scheduleTrial(instance: Instance): void {
    this.#cancelTrial(instance);
    const due = instance.breaker.trialDueAt();
    if (due === null || this.#closed) return;
    const { clock } = this.#deps;
    instance.trial = clock.setTimeout(() => {
      instance.trial = null;
      if (instance.breaker.beginTrial(clock.now())) return this.#track(this.#runTrial(instance));
      // A timer may fire a millisecond before the wall clock reaches `due`: try again, or the
      // breaker would stay open with no trial left.
      if (instance.breaker.state === 'open') this.#scheduleTrial(instance);
    }, Math.max(1, due - clock.now()));
  }

  async #runTrial(instance: Instance): Promise<void> {
    const { clock, config } = this.#deps;
    const work = new AbortController();
    instance.work = work;
    const timer = clock.setTimeout(() => work.abort(new Error('probe timed out')), config.healthCheck.probeTimeoutMs);
    let ok = false;
    let detail = '';
    try {
      const result = await raceAbort(this.#deps.probeFor(instance.ref).check(instance.upstream, work.signal), work.signal);
      ok = result.ready;
      detail = result.detail;
    } catch (err) {
      detail = err instanceof Error ? err.message : String(err);
    } finally {
      timer.cancel();
      if (instance.work === work) instance.work = null;
    }
    if (this.#closed || instance.breaker.state !== 'half_open') return;
    if (ok) {
      instance.breaker.recordSuccess();
      this.#log.info({ container: instance.ref }, 'instance breaker closed');
      return;
    }
    instance.breaker.recordFailure(clock.now());
    this.#log.info({ container: instance.ref, reason: detail }, 'instance breaker trial failed');
    this.#scheduleTrial(instance);
  }

  #cancelTrial(instance: Instance): void {
    instance.trial?.cancel();
    instance.trial = null;
  }

  #track(work: Promise<void>): void {
    const task: Promise<void> = work.catch(() => undefined).finally(() => this.#background.delete(task));
    this.#background.add(task);
  }
}
