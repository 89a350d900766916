/**
 * One wake of one service, from the first dependency to the first ready probe.
 *
 * Policy:
 * - Dependencies first, all at once: each wakes its own dependencies the same way, so the graph
 *   order holds and independent branches run in parallel.
 * - Provider calls are idempotent and minimal: inspect, then unpause (paused) or start (stopped);
 *   nothing when already running.
 * - A service with a container spec (`image` in services.yml) whose container does not exist has
 *   it created first; a stopped container made from an older spec (its hash label differs) is
 *   removed and created again. A running or paused one is never recreated here: it may serve.
 * - The upstream is read from the runtime after every start/unpause: a restarted container gets a
 *   new IP. A fixed `upstream` in the config wins.
 * - Resuming what we paused: when the controller paused a ready container itself and nothing was
 *   observed since (`resume`), unpause is the whole wake. The frozen processes continue where they
 *   stopped, listening sockets included (a connection made to a paused container just waits), so
 *   neither an inspect nor a probe is needed: that saves several milliseconds per wake. A pause or
 *   stop made by hand is seen through Docker's events and clears `resume`.
 * - A service that is itself ready but has a dependency down (stopped, paused or crashed outside
 *   the proxy) only wakes that dependency: its own container is not touched nor probed again.
 * - The probes follow the cadence of wait-until-ready.ts, capped at `health_check.interval`.
 * - The whole wake has one deadline, health_check.timeout from its start. A container seen dying
 *   (a `die` event, or an inspect every WATCH_INTERVAL_MS while probing, in case an event is
 *   missed) ends the wake at once: waiting longer cannot help.
 */
import type { Clock, TimerHandle } from '../clock.ts';
import type { ServiceConfig } from '../config/services-schema.ts';
import { ContainerNotFoundError } from '../errors.ts';
import type { ProbeResult, ReadinessProbe } from '../health/readiness-probe.ts';
import { readinessBackoff, waitUntilReady } from '../health/wait-until-ready.ts';
import type { ContainerProvider, ContainerStatus, Upstream } from '../providers/container-provider.ts';
import { raceAbort } from './race-abort.ts';
import type { ServiceState, TransitionCause } from './service-handle.ts';
import { ContainerDied, DependencyFailed, WakeDeadlineReached, describeContainer, isDead, toWakeError } from './wake-errors.ts';
import { WakeTimeline } from './wake-timeline.ts';

/** How often the container is inspected while waiting for it to run or to become ready (ms). */
export const WATCH_INTERVAL_MS = 200;

/** A service this wake depends on; `waitedForWakeMs` is null when it was ready without a wake. */
export interface WakeDependency {
  readonly name: string;
  ensureAwake(cause: 'dependency', signal: AbortSignal): Promise<{ waitedForWakeMs: number | null }>;
}

/** What one wake needs. */
export interface WakeRunDeps {
  readonly config: ServiceConfig;
  readonly provider: ContainerProvider;
  readonly probe: ReadinessProbe;
  readonly clock: Clock;
  readonly dependencies: readonly WakeDependency[];
  /** Called once, when the container runs (with its address, if it has a port), before readiness probing. */
  readonly onRunning: (upstream: Upstream | null) => void;
  /** The upstream of a container paused by us while ready; non-null means: unpause, then done. */
  readonly resume: Upstream | null;
  /** Set when the service itself is RUNNING and ready: only its dependencies are woken. */
  readonly ready?: { readonly upstream: Upstream | null } | undefined;

}

/** One wake in progress; `run()` once, then `close()`. */
export class WakeRun {
  readonly timeline: WakeTimeline;
  readonly #deps: WakeRunDeps;
  readonly #abort = new AbortController();
  readonly #deadline: TimerHandle;
  #probes = 0;
  #acted = false;
  #dependencyWoke = false;
  #lastProbe: ProbeResult | null = null;
  #lastStatus: ContainerStatus | null = null;
  #failedAfterMs: number | null = null;

  constructor(deps: WakeRunDeps, start: { from: ServiceState; cause: TransitionCause }) {
    this.#deps = deps;
    this.timeline = new WakeTimeline(deps.clock, { service: deps.config.name, ...start });
    const timeoutMs = deps.config.healthCheck.timeoutMs;
    this.#deadline = deps.clock.setTimeout(() => this.abort(new WakeDeadlineReached()), timeoutMs);
  }

  /** Readiness probes run so far. */
  get probes(): number {
    return this.#probes;
  }

  /** True once this wake unpaused or started the container. */
  get acted(): boolean {
    return this.#acted;
  }

  /** True once a dependency had to be woken (it was not ready). */
  get dependencyWoke(): boolean {
    return this.#dependencyWoke;
  }

  /**
   * Runs the four steps; resolves with the upstream once a probe says ready. Rejects with what
   * stopped it (the abort reason when it was aborted): pass that to `failure()`.
   */
  async run(): Promise<Upstream | null> {
    try {
      await this.#wakeDependencies();
      this.timeline.complete('dependency');
      if (this.#deps.ready !== undefined) return this.#alreadyReady(this.#deps.ready.upstream);
      if (this.#deps.resume !== null) return await this.#resume(this.#deps.resume);
      await this.#callProvider();
      this.timeline.complete('provider');
      const upstream = await this.#awaitRunning();
      this.timeline.complete('running');
      this.#deps.onRunning(upstream);
      await this.#awaitReady(upstream);
      this.timeline.complete('ready');
      return upstream;
    } catch (err) {
      this.#failedAfterMs = this.timeline.elapsedMs();
      this.#deadline.cancel();
      throw this.#abort.signal.aborted ? this.#abort.signal.reason : err;
    }
  }

  /** Ends the wake early: `reason` becomes the failure (ContainerDied, ShuttingDownError…). */
  abort(reason: Error): void {
    if (!this.#abort.signal.aborted) this.#abort.abort(reason);
  }

  /**
   * The container was seen dying: fail the wake now. Ignored before the provider call returned:
   * the old container may still be dying then, and the inspect that follows tells anyway.
   */
  containerDied(exitCode: number | null): void {
    const step = this.timeline.currentStep();
    if (step === 'dependency' || step === 'provider') return;
    this.abort(new ContainerDied(exitCode === null ? 'exited' : `exited (code ${exitCode})`, exitCode));
  }

  /**
   * The error for every waiting caller, from what `run()` rejected with; `observed` is a fresh
   * inspect made after the failure (it tells an OOM kill from a plain exit), when one could be made.
   */
  failure(reason: unknown, observed: ContainerStatus | null): Error {
    const status = observed ?? this.#lastStatus;
    const died =
      reason instanceof ContainerDied && observed !== null && isDead(observed)
        ? new ContainerDied(describeContainer(observed), observed.exitCode ?? reason.exitCode)
        : reason;
    return toWakeError(died, {
      service: this.#deps.config.name,
      step: this.timeline.currentStep(),
      waitedMs: this.#failedAfterMs ?? this.timeline.elapsedMs(),
      probes: this.#probes,
      containerState: status === null ? null : describeContainer(status),
      lastProbe: this.#lastProbe?.detail ?? null,
    });
  }

  /** Cancels the deadline and releases every wait still attached to this wake. */
  close(): void {
    this.#deadline.cancel();
    this.abort(new Error('wake finished'));
  }

  async #wakeDependencies(): Promise<void> {
    const signal = this.#abort.signal;
    await Promise.all(
      this.#deps.dependencies.map(async (dep) => {
        try {
          const { waitedForWakeMs } = await dep.ensureAwake('dependency', signal);
          if (waitedForWakeMs !== null) this.#dependencyWoke = true;
        } catch (err) {
          throw signal.aborted ? signal.reason : new DependencyFailed(dep.name, err);
        }
      }),
    );
  }

  #alreadyReady(upstream: Upstream | null): Upstream | null {
    this.timeline.complete('provider');
    this.timeline.complete('running');
    this.timeline.complete('ready');
    return upstream;
  }

  async #resume(upstream: Upstream): Promise<Upstream> {
    const { provider, config } = this.#deps;
    this.#acted = true;
    await raceAbort(provider.unpause(config.container, this.#abort.signal), this.#abort.signal);
    this.timeline.complete('provider');
    this.timeline.complete('running');
    this.#deps.onRunning(upstream);
    this.timeline.complete('ready');
    return upstream;
  }

  async #callProvider(): Promise<void> {
    const { provider, config } = this.#deps;
    const signal = this.#abort.signal;
    const status = await this.#inspect();
    const stopped = isDead(status) || status.state === 'created';
    if (status.state === 'missing' || (stopped && (await this.#specChanged()))) {
      this.#acted = true;
      await this.#createContainer(status.state !== 'missing');
    }
    if (status.state === 'paused') {
      this.#acted = true;
      await raceAbort(provider.unpause(config.container, signal), signal);
    } else if (stopped || status.state === 'missing') {
      this.#acted = true;
      await raceAbort(provider.start(config.container, signal), signal);
    }
  }

  /** True when the service has a spec and its stopped container was made from another one. */
  async #specChanged(): Promise<boolean> {
    const { provider, config } = this.#deps;
    if (config.spec === null) return false;
    const signal = this.#abort.signal;
    return (await raceAbort(provider.specHash(config.container, signal), signal)) !== config.spec.hash;
  }

  /** Creates the container from the spec (recreates it: removes the stopped one first). */
  async #createContainer(recreate: boolean): Promise<void> {
    const { provider, config } = this.#deps;
    if (config.spec === null) throw new ContainerNotFoundError(config.container);
    const signal = this.#abort.signal;
    if (recreate) await raceAbort(provider.removeContainer(config.container, signal), signal);
    await raceAbort(provider.create(config.container, config.spec, signal), signal);
  }

  async #awaitRunning(): Promise<Upstream | null> {
    const { port } = this.#deps.config;
    for (;;) {
      const status = await this.#inspect();
      if (status.state === 'running') {
        const upstream = this.#deps.config.upstream ?? status.upstream;
        if (upstream === null && port !== null) throw new Error(`container has no address for port ${port}`);
        return upstream;
      }
      if (isDead(status)) throw new ContainerDied(describeContainer(status), status.exitCode);
      await this.#deps.clock.sleep(WATCH_INTERVAL_MS, this.#abort.signal);
    }
  }

  async #awaitReady(upstream: Upstream | null): Promise<void> {
    const { clock, probe } = this.#deps;
    const stopWatch = new AbortController();
    const watch = this.#watchForDeath(AbortSignal.any([stopWatch.signal, this.#abort.signal]));
    const recording = {
      check: async (target: Upstream | null, signal: AbortSignal): Promise<ProbeResult> => {
        const result = await probe.check(target, signal);
        this.#probes += 1;
        this.#lastProbe = result;
        return result;
      },
    };
    const { timeoutMs, intervalMs } = this.#deps.config.healthCheck;
    const deadlineAt = this.timeline.startedAt + timeoutMs;
    const backoff = (attempt: number): number => readinessBackoff(attempt, intervalMs);
    try {
      await waitUntilReady({ probe: recording, upstream, clock, deadlineAt, signal: this.#abort.signal, backoff });
    } finally {
      stopWatch.abort();
      await watch;
    }
  }

  /** Fallback for a missed `die` event: inspect now and then; never rejects. */
  async #watchForDeath(signal: AbortSignal): Promise<void> {
    try {
      for (;;) {
        await this.#deps.clock.sleep(WATCH_INTERVAL_MS, signal);
        const status = await this.#inspect(signal);
        if (isDead(status)) this.abort(new ContainerDied(describeContainer(status), status.exitCode));
      }
    } catch {
      // Stopped, or an inspect failed: the probes and the deadline still bound the wake.
    }
  }

  async #inspect(signal = this.#abort.signal): Promise<ContainerStatus> {
    const { provider, config } = this.#deps;
    const status = await raceAbort(provider.inspect(config.container, config.port, signal), signal);
    this.#lastStatus = status;
    return status;
  }
}
