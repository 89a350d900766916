/**
 * One service's state machine: the state observed from the runtime, at most one transition in
 * flight, and the events that follow every change. It coordinates; the steps live beside it: a
 * wake in wake-run.ts (whose turn it is among replicas in wake-turn.ts), a sleep or stop in
 * settle-flight.ts (under settle-lock.ts with replicas), what each leaves behind in
 * transition-effects.ts; readiness and the upstream in ready-cache.ts, the background readiness
 * check in readiness-confirmation.ts, activity in service-activity.ts, the snapshot in
 * service-snapshot-of.ts.
 *
 * Policy:
 * - Three states; work in progress is a transition, never a fourth state. Every transition
 *   wake-proxy performs goes through the table in service-state.ts.
 * - Single flight: concurrent callers share one wake. A caller's abort ends its own wait only.
 * - A wake first waits for a sleep or stop in flight, then wakes: a request that arrives during
 *   a pause is held, never lost.
 * - The background sleep (`sleep('idle')`, `stop('max_sleep')`) does nothing unless the service is
 *   idle right now: nothing in flight, no transition in flight. The check is synchronous with the
 *   provider call, so no request can slip in between.
 * - A failed transition leaves the state as the runtime reports it (inspect), so the next request
 *   simply tries again. A failed sleep or stop is rethrown, not logged: the idle scheduler or the
 *   admin edge that handles it logs it once.
 * - What the runtime reports while nothing is in flight and disagrees with the state is an
 *   external change (observation.ts): it is taken as the truth and restarts the idle clock.
 * - A service is *up* when it is RUNNING, ready, not settling, and its dependencies are up. The
 *   fast path (readyUpstream) serves a ready service only while its dependencies are up; the flag
 *   is kept by transitions (each change of a dependency's up-ness is pushed to its dependents), so
 *   the hot path stays O(1) and makes no runtime call. A dependency stopped, paused or crashed
 *   outside the proxy thus makes the next request wake it first.
 * - A service of several containers: the first is the container of this state machine; the others
 *   follow it (instance-set.ts), and readyUpstream() picks among the ready ones.
 *
 * It stays longer than 150 lines because its public surface (the ServiceHandle and SleepTarget
 * ports, the admin verbs, what the registry calls) is most of it, and the state with its
 * single-flight transitions must change in one place.
 */
import type { Clock } from '../clock.ts';
import type { ServiceConfig, SleepPolicy } from '../config/services-schema.ts';
import { ServiceBusyError, ShuttingDownError } from '../errors.ts';
import type { ReadinessProbe } from '../health/readiness-probe.ts';
import { dampedIdleTimeoutMs } from '../idle/idle-decision.ts';
import type { ActivitySnapshot, SleepTarget } from '../idle/sleep-target.ts';
import type { Logger } from '../logging/logger.ts';
import type { ServiceSnapshot } from '../metrics/service-snapshot.ts';
import type { ContainerProvider, ContainerStatus, Upstream } from '../providers/container-provider.ts';
import type { ServiceShare } from '../state/shared-state.ts';
import { inspectQuietly } from './inspect-quietly.ts';
import { InstanceSet } from './instance-set.ts';
import { decideObservation, isContainerEvent, type Observation } from './observation.ts';
import { raceAbort } from './race-abort.ts';
import { ReadinessConfirmation } from './readiness-confirmation.ts';
import { ReadyCache } from './ready-cache.ts';
import { ServiceActivity } from './service-activity.ts';
import { ServiceCounters } from './service-counters.ts';
import type { AwakeResult, ExchangeEnd, ServiceHandle, ServiceState, TransitionCause, WakeProgress } from './service-handle.ts';
import { serviceSnapshotOf } from './service-snapshot-of.ts';
import { assertTransition, toServiceState, transitionTowards, type Transition, type TransitionVerb } from './service-state.ts';
import { sleepTargetOf, takeDown, type SettleFlight } from './settle-flight.ts';
import { settleOnce } from './settle-lock.ts';
import { SleepReservation } from './sleep-reservation.ts';
import { TransitionEffects, type SettleDone } from './transition-effects.ts';
import type { WakeEvent } from './wake-event.ts';
import { WakeRun } from './wake-run.ts';
import { takeServiceWakeTurn } from './wake-turn.ts';

/** Emitted on every state change, performed or observed. `at` is epoch ms. */
export interface TransitionEvent {
  readonly service: string;
  readonly from: ServiceState;
  readonly to: ServiceState;
  readonly cause: TransitionCause;
  readonly at: number;
}

interface WakeOutcome {
  readonly upstream: Upstream | null;
  /** The service or one of its dependencies had to be woken (not merely confirmed ready). */
  readonly woke: boolean;
}

/** What a controller is built from. Nothing here is called from the constructor. */
export interface ServiceControllerDeps {
  readonly config: ServiceConfig;
  readonly provider: ContainerProvider;
  readonly probe: ReadinessProbe;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The controllers of this service's depends_on. */
  readonly dependencies: () => readonly ServiceController[];
  /** The controllers of the services that depend on this one. */
  readonly dependents: () => readonly ServiceController[];
  readonly onTransition?: (event: TransitionEvent) => void;
  /** The state machine this one replaces (a reload): its in-flight work counts until it ends. */
  readonly predecessor?: { activity(): ActivitySnapshot };
  /** Called once when a wake ends, successfully or not. */
  readonly onWake?: (event: WakeEvent) => void;
  /** Something the idle decision depends on changed (activity reached zero, a state changed). */
  readonly onIdle?: () => void;
  /** The readiness probe of one instance of a service of several containers (default: `probe`). */
  readonly probeFor?: (ref: string) => ReadinessProbe;
  /** This service's share of the state replicas share (`--state`); absent: a single proxy. */
  readonly share?: ServiceShare;
}

/** The state machine of one service; see the module header for the policy. */
export class ServiceController implements ServiceHandle, SleepTarget {
  readonly name: string;
  #config: ServiceConfig;
  #policy: SleepPolicy;
  readonly #deps: ServiceControllerDeps;
  readonly #log: Logger;
  readonly #activity: ServiceActivity;
  /** wake-proxy's own moves, at the start and the end of each (see moveEpoch). */
  #moves = 0;
  readonly #counters: ServiceCounters;
  #state: ServiceState = 'STOPPED';
  #stateSince: number;
  readonly #cache: ReadyCache;
  /** All dependencies are up (see the policy); kept in step by dependencyChanged(). */
  #dependenciesUp: boolean;
  /** isUp() as last pushed to the dependents. */
  #wasUp = false;
  /** The upstream a wake in flight resumes (unpause only); null when none does. */
  #resuming: Upstream | null = null;
  #waking: Promise<WakeOutcome> | undefined;
  #settling: SettleFlight | undefined;
  #run: WakeRun | undefined;
  #held = 0;
  readonly #confirmation: ReadinessConfirmation;
  #closed = false;
  /** Aborted by close(): ends a wait for another replica's wake. */
  readonly #closing = new AbortController();
  /** The container was made from another spec than config.spec (see noteSpecHash). */
  #specStale = false;
  readonly #reservation: SleepReservation;
  readonly #effects: TransitionEffects;
  /** The instances of a service of several containers (instance-set.ts); null for one container. */
  readonly #instances: InstanceSet | null;

  constructor(deps: ServiceControllerDeps) {
    const { config, clock, share } = deps;
    const log = deps.logger.child({ service: config.name });
    this.#deps = deps;
    this.name = config.name;
    this.#config = config;
    this.#policy = config.sleepPolicy;
    this.#log = log;
    this.#activity = new ServiceActivity({ clock, onIdle: () => this.requestIdleCheck(), predecessor: deps.predecessor ?? null, share });
    this.#stateSince = clock.now();
    this.#counters = new ServiceCounters(this.#state, this.#stateSince);
    this.#cache = new ReadyCache(config.upstream, (ready) => this.#readyChanged(ready));
    this.#reservation = new SleepReservation({ provider: deps.provider, container: config.container, clock, logger: log });
    this.#effects = new TransitionEffects({ name: this.name, counters: this.#counters, clock, log, reservation: this.#reservation, share, onWake: deps.onWake });
    this.#confirmation = new ReadinessConfirmation({
      log,
      counters: this.#counters,
      stillApplies: () => this.#state === 'RUNNING' && !this.transitionInFlight(),
      confirmed: (upstream) => this.#cache.confirm(upstream),
    });
    this.#dependenciesUp = config.dependsOn.length === 0;
    this.#instances =
      config.instances.length > 1
        ? new InstanceSet({
            config,
            provider: deps.provider,
            clock,
            logger: log,
            probeFor: deps.probeFor ?? (() => deps.probe),
            serviceUp: () => this.#state === 'RUNNING' && this.#cache.ready && this.#settling === undefined,
          })
        : null;
  }

  /** The service's configuration in force (reconfigure() may replace its soft fields). */
  get config(): ServiceConfig {
    return this.#config;
  }

  /**
   * Takes a reloaded configuration that differs from the current one only in fields a running
   * service can change at once (sleep policy, request rules, hold cap, auto_start, loading page;
   * see config-diff.ts). A policy set at run time is replaced by the file's.
   */
  reconfigure(config: ServiceConfig): void {
    this.#config = config;
    this.#policy = config.sleepPolicy;
    this.requestIdleCheck();
  }

  /** The sleep policy in force: services.yml's, or one set at run time with setPolicy(). */
  get policy(): SleepPolicy {
    return this.#policy;
  }

  /** True when the policy was changed at run time (it lasts until the next reload or restart). */
  policyChanged(): boolean {
    return this.#policy !== this.config.sleepPolicy;
  }

  /** Replaces the sleep policy now (admin API); the idle decision is taken again at once. */
  setPolicy(policy: SleepPolicy): void {
    this.#policy = policy;
    this.#log.info({ policy }, 'sleep policy changed');
    this.requestIdleCheck();
  }

  /** The state now. */
  state(): ServiceState {
    return this.#state;
  }

  /** True when a request would need a wake (see ServiceHandle). */
  isAsleep(): boolean {
    return this.#state !== 'RUNNING' || this.#settling !== undefined;
  }

  /** The transition in flight, if any (a wake waiting for a sleep reports the sleep). */
  transition(): Transition | null {
    if (this.#settling) return transitionTowards(this.#settling.to);
    return this.#waking ? 'waking' : null;
  }

  /** True while a wake, sleep or stop is in flight. */
  transitionInFlight(): boolean {
    return this.transition() !== null;
  }

  /** The upstream when RUNNING, ready, not moving and with every dependency up; O(1). */
  readyUpstream(): Upstream | null {
    if (!this.#cache.ready || !this.#dependenciesUp) return null;
    return this.#instances === null ? this.#cache.upstream : this.#instances.pick(this.#cache.upstream);
  }

  /** See ServiceHandle.resumeUpstream. */
  resumeUpstream(): Upstream | null {
    if (!this.#dependenciesUp || this.#instances !== null || this.#deps.share !== undefined) return null;
    if (this.#resuming !== null) return this.#resuming;
    return this.#state === 'SLEEPING' && this.#settling === undefined && this.#waking === undefined ? this.#cache.resumable : null;
  }

  /** Counts one exchange on the instance at `upstream` (several containers only; see ServiceHandle). */
  beginExchange(upstream: Upstream): ExchangeEnd | null {
    return this.#instances?.begin(upstream) ?? null;
  }

  /** The container references of the instances other than the first (none for one container). */
  secondaryInstances(): readonly string[] {
    return this.#instances?.refs().slice(1) ?? [];
  }

  /** An event concerned an instance other than the first: it is inspected and taken in. */
  observeInstance(ref: string): void {
    this.#instances?.hint(ref);
  }

  /** True when RUNNING, ready and not settling, with every dependency up: dependents need nothing woken. */
  isUp(): boolean {
    return this.#state === 'RUNNING' && this.#cache.ready && this.#settling === undefined && this.#dependenciesUp;
  }

  /** True when a probe confirmed readiness since the container last changed. */
  isReady(): boolean {
    return this.#cache.ready;
  }

  /** A dependency became up or stopped being up: recompute, and pass a change on to the dependents. */
  dependencyChanged(): void {
    this.#dependenciesUp = this.#deps.dependencies().every((d) => d.isUp());
    this.#pushUp();
  }

  /** In-flight work and last activity, on every replica when replicas share state. */
  activity(): ActivitySnapshot {
    return this.#activity.all();
  }

  /** In-flight work and last activity of this process alone (what it publishes to the others). */
  localActivity(): ActivitySnapshot {
    return this.#activity.local();
  }

  /** Epoch ms at which the current state began. */
  stateSince(): number {
    return this.#stateSince;
  }

  /** True while a dependent is RUNNING or waking: this service must stay up for it. */
  dependentsAwake(): boolean {
    return this.#awakeDependents().length > 0;
  }

  #awakeDependents(): readonly ServiceController[] {
    return this.#deps.dependents().filter((d) => d.state() === 'RUNNING' || d.transition() === 'waking');
  }

  /** Consecutive premature sleeps: the idle decision lengthens the idle timeout by 2^min(flaps, 3). */
  flaps(): number {
    return this.#counters.flaps;
  }

  /** The step of the wake in flight and its elapsed time (see ServiceHandle). */
  wakeProgress(): WakeProgress | null {
    const run = this.#run;
    return run ? { step: run.timeline.currentStep(), elapsedMs: run.timeline.elapsedMs() } : null;
  }

  /** Counts one unit of in-flight work until the returned release() is called. */
  trackActivity(): () => void {
    return this.#activity.track();
  }

  /** Asks the idle scheduler to decide again for this service. */
  requestIdleCheck(): void {
    this.#deps.onIdle?.();
  }

  /** Resolves once RUNNING and ready, sharing one wake among all callers (see ServiceHandle). */
  async ensureAwake(cause: TransitionCause, signal?: AbortSignal): Promise<AwakeResult> {
    if (this.#cache.ready && this.#dependenciesUp) return { upstream: this.readyUpstream(), waitedForWakeMs: null };
    if (this.#closed) throw new ShuttingDownError();
    signal?.throwIfAborted();
    const since = this.#deps.clock.now();
    if (this.#waking === undefined) {
      this.#moves += 1;
      this.#waking = this.#runWake(cause).finally(() => {
        this.#waking = undefined;
        this.#moves += 1;
        this.requestIdleCheck();
      });
    }
    this.#held += 1;
    const outcome = await raceAbort(this.#waking, signal);
    const upstream = this.#instances === null ? outcome.upstream : this.#instances.pick(outcome.upstream);
    return { upstream, waitedForWakeMs: outcome.woke ? this.#deps.clock.now() - since : null };
  }

  /**
   * Confirms in the background that a RUNNING container not known ready is ready (the start-up
   * scan, a container started by hand; readiness-confirmation.ts). Never starts or unpauses it; a
   * request that arrives meanwhile shares the check. Resolves when done; never rejects.
   */
  confirmReadiness(cause: 'startup' | 'external'): Promise<void> {
    if (this.#closed || this.#cache.ready || this.#state !== 'RUNNING' || this.transitionInFlight()) return Promise.resolve();
    const { provider, probe, clock } = this.#deps;
    return this.#confirmation.run({ config: this.config, provider, probe, clock }, cause);
  }

  /** Wakes the service (admin API) and resolves when it is ready. */
  wake(cause: 'manual'): Promise<AwakeResult> {
    return this.ensureAwake(cause);
  }

  /** Idle sleep: RUNNING → SLEEPING (mode pause) or STOPPED (mode stop), only if idle right now. */
  sleep(cause: 'idle'): Promise<void> {
    if (this.#state !== 'RUNNING' || !this.#isQuiet()) return Promise.resolve();
    return this.#settleInTurn(() => this.#state === 'RUNNING', () => this.#settle(this.#sleepTarget(), cause, 'service slept'));
  }

  /** Stops a service that has slept too long, only if idle right now. */
  stop(cause: 'max_sleep'): Promise<void> {
    if (this.#state === 'STOPPED' || !this.#isQuiet()) return Promise.resolve();
    return this.#settleInTurn(() => this.#state !== 'STOPPED', () => this.#settle('STOPPED', cause, 'service stopped'));
  }

  /** Puts a RUNNING service to sleep now (admin API), after any transition in flight. */
  async sleepNow(cause: 'manual'): Promise<void> {
    await this.#quiesce();
    this.#refuseIfBusy();
    if (this.#state === 'RUNNING') await this.#settle(this.#sleepTarget(), cause, 'service slept');
  }

  /** Stops a RUNNING or SLEEPING service now (admin API), after any transition in flight. */
  async stopNow(cause: 'manual'): Promise<void> {
    await this.#quiesce();
    this.#refuseIfBusy();
    if (this.#state !== 'STOPPED') await this.#settle('STOPPED', cause, 'service stopped');
  }

  /**
   * Counts wake-proxy's own moves (each wake and each sleep/stop, at its start and its end). An
   * inspect started under one count and answered under another may describe the world before our
   * latest move (under load, a late inspect said "paused" after our unpause had finished): the
   * caller reads moveEpoch() before inspecting and passes it to observe(), which then drops it.
   */
  moveEpoch(): number {
    return this.#moves;
  }

  /** Takes in what the runtime reports: an event from the stream, or an inspect result (see moveEpoch). */
  observe(observation: Observation, cause: 'external' | 'startup' = 'external', epoch?: number): void {
    if (epoch !== undefined && epoch !== this.#moves) return;
    const from = this.#state;
    const outcome = decideObservation({ state: from, transition: this.transition() }, observation);
    if (outcome.kind === 'wake-died') this.#run?.containerDied(outcome.exitCode);
    if (!isContainerEvent(observation) && outcome.kind !== 'ignore' && outcome.kind !== 'wake-died') {
      this.#refreshUpstream(observation);
    }
    if (outcome.kind === 'change') {
      this.#confirmation.stop();
      this.#cache.invalidate();
      this.#setState(outcome.to, cause, true);
      if (cause === 'external') this.#log.info({ from, to: outcome.to, cause }, 'state changed externally');
      this.requestIdleCheck();
    }
    if (cause === 'startup') {
      const probe = this.config.healthCheck.probe;
      this.#log.info({ state: this.#state, container: this.config.container, probe }, 'service state observed');
    }
  }

  /** A point-in-time view for the admin API and metrics. */
  snapshot(): ServiceSnapshot {
    return serviceSnapshotOf({
      name: this.name,
      activity: this.activity(),
      now: this.#deps.clock.now(),
      state: this.#state,
      transition: this.transition(),
      ready: this.#cache.ready,
      upstream: this.#cache.upstream,
      stateSince: this.#stateSince,
      dependentsAwake: this.dependentsAwake(),
      policy: this.policy,
      counters: this.#counters,
      shared: this.#deps.share?.figures() ?? null,
      instances: this.#instances?.snapshot() ?? null,
    });
  }

  /** Takes in the spec hash the container is labelled with (the registry reads it on inspect). */
  noteSpecHash(hash: string | null): void {
    const spec = this.#config.spec;
    const stale = spec !== null && hash !== spec.hash;
    if (stale && !this.#specStale) this.#log.info({ container: this.#config.container, spec: spec?.hash, found: hash }, 'container spec changed: recreated at its next sleep or wake');
    this.#specStale = stale;
  }

  /** Resolves when background work of this service (memory reservation updates) has settled. */
  async settledBackground(): Promise<void> {
    await Promise.all([this.#reservation.settled(), this.#instances?.settled()]);
  }

  /** Refuses new wakes and ends a wake in flight with ShuttingDownError. */
  close(): void {
    this.#closed = true;
    this.#closing.abort(new ShuttingDownError());
    this.#confirmation.stop();
    this.#instances?.close();
    this.#run?.abort(new ShuttingDownError());
  }

  async #runWake(cause: TransitionCause): Promise<WakeOutcome> {
    this.#confirmation.stop();
    this.#held = 0;
    while (this.#settling?.promise) await this.#settling.promise.catch(() => undefined);
    if (this.#closed) throw new ShuttingDownError();
    const { config, provider, probe, clock } = this.#deps;
    const from = this.#state;
    if (from !== 'RUNNING') this.#effects.wakeStarting(cause, this.policy);
    const dependencies = this.#deps.dependencies();
    const onRunning = (upstream: Upstream | null): void => {
      this.#cache.running(upstream);
      this.#setState('RUNNING', cause);
    };
    const turn = from === 'RUNNING' ? null : await takeServiceWakeTurn(this.#deps.share, { config, provider, clock, log: this.#log }, this.#closing.signal);
    const resumable = this.#cache.takeResumable();
    // A follower inspects: the container it paused may have been unpaused by the leader since.
    const resume = this.#state === 'SLEEPING' && turn?.role !== 'follow' ? resumable : null;
    this.#resuming = resume;
    const ready = from === 'RUNNING' && this.#cache.ready ? { upstream: this.#cache.upstream } : undefined;
    const run = new WakeRun({ config, provider, probe, clock, dependencies, onRunning, resume, ready }, { from, cause });
    this.#run = run;
    try {
      const upstream = await run.run();
      this.#cache.confirm(upstream);
      const woke = from !== 'RUNNING' || run.acted;
      if (from === 'STOPPED') this.#specStale = false;
      this.#effects.wakeReady(run, cause, woke, this.#held);
      return { upstream, woke: woke || run.dependencyWoke };
    } catch (reason) {
      const observed = await inspectQuietly(this.#deps);
      const err = run.failure(reason, observed);
      if (observed) this.#adopt(observed);
      this.#effects.wakeFailed(run, err, from !== 'RUNNING' || run.acted, this.#held);
      throw err;
    } finally {
      if (turn?.role === 'lead') turn.lock?.release();
      run.close();
      this.#run = undefined;
      this.#resuming = null;
    }
  }

  /** A background sleep or stop: at once for a single proxy, under the settle lock with replicas (settle-lock.ts). */
  #settleInTurn(stillWanted: () => boolean, settle: () => Promise<void>): Promise<void> {
    const share = this.#deps.share;
    if (share === undefined) return settle();
    return settleOnce(
      share,
      {
        idleTimeoutMs: () => dampedIdleTimeoutMs(this.policy.idleTimeoutMs, this.#counters.flaps),
        running: () => this.#state === 'RUNNING',
        now: () => this.#deps.clock.now(),
        stillWanted: () => stillWanted() && this.#isQuiet(),
      },
      settle,
    );
  }

  #settle(to: 'SLEEPING' | 'STOPPED', cause: TransitionCause, message: string): Promise<void> {
    const from = this.#state;
    const verb = assertTransition(this.name, from, to);
    const flight: SettleFlight = { to };
    this.#confirmation.stop();
    this.#settling = flight;
    this.#moves += 1;
    this.#cache.settling(to === 'SLEEPING');
    flight.promise = this.#runSettle(flight, verb, { from, cause, message });
    return flight.promise;
  }

  async #runSettle(flight: SettleFlight, verb: TransitionVerb, how: SettleDone): Promise<void> {
    const startedAt = this.#deps.clock.now();
    try {
      await takeDown(this.#deps, this.#instances, verb);
      this.#setState(flight.to, how.cause);
      this.#effects.settled(flight.to, how, startedAt, this.policy.memoryReservationBytes);
    } catch (err) {
      this.#cache.forgetResumable();
      const observed = await inspectQuietly(this.#deps);
      if (observed) this.#adopt(observed);
      throw err;
    } finally {
      if (this.#settling === flight) this.#settling = undefined;
      this.#moves += 1;
      this.#pushUp();
      this.requestIdleCheck();
    }
  }

  #setState(to: ServiceState, cause: TransitionCause, observed = false): void {
    const from = this.#state;
    if (from === to) return;
    if (!observed) assertTransition(this.name, from, to);
    const at = this.#deps.clock.now();
    this.#counters.stateChanged(to, cause, at);
    this.#state = to;
    this.#stateSince = at;
    this.#activity.touch();
    this.#deps.onTransition?.({ service: this.name, from, to, cause, at });
    for (const dependency of this.#deps.dependencies()) dependency.requestIdleCheck();
    this.#pushUp();
  }

  /** Readiness was set (ready-cache.ts): the other instances and the dependents follow. */
  #readyChanged(ready: boolean): void {
    if (ready) this.#instances?.primaryReady(this.#cache.upstream);
    else this.#instances?.primaryDown();
    this.#pushUp();
  }

  /** Tells the dependents when isUp() changed since the last push. */
  #pushUp(): void {
    const up = this.isUp();
    if (up === this.#wasUp) return;
    this.#wasUp = up;
    for (const dependent of this.#deps.dependents()) dependent.dependencyChanged();
  }

  /** Takes the state a failed transition left behind, as inspected: the world's doing, not ours. */
  #adopt(status: ContainerStatus): void {
    this.#cache.invalidate();
    this.#refreshUpstream(status);
    this.#setState(toServiceState(status.state), 'external', true);
  }

  /** An inspect saw the container running or paused: its address is the upstream (unless fixed). */
  #refreshUpstream(status: ContainerStatus): void {
    if (status.state !== 'running' && status.state !== 'paused') return;
    this.#cache.answersAt(this.config.upstream ?? status.upstream);
  }

  /** Manual sleeps never freeze work in flight nor a dependency an awake service needs. */
  #refuseIfBusy(): void {
    const inFlight = this.activity().inFlight;
    if (inFlight > 0) throw new ServiceBusyError(this.name, `${inFlight} requests or streams in flight`);
    const awake = this.#awakeDependents();
    if (awake.length > 0) throw new ServiceBusyError(this.name, `needed by ${awake.map((d) => d.name).join(', ')}`);
  }

  #isQuiet(): boolean {
    return !this.transitionInFlight() && this.activity().inFlight === 0;
  }

  /** Where a sleep goes now (settle-flight.ts). */
  #sleepTarget(): 'SLEEPING' | 'STOPPED' {
    return sleepTargetOf(this.policy, this.#specStale);
  }

  async #quiesce(): Promise<void> {
    for (let flight = this.#settling?.promise ?? this.#waking; flight; flight = this.#settling?.promise ?? this.#waking) {
      await flight.catch(() => undefined);
    }
  }
}
