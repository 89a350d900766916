/**
 * What the request path may know about a service: the port between `proxy/` (the edge) and
 * `lifecycle/` (the core). The proxy never changes container state itself; it asks the handle to
 * make the service awake and reports in-flight work so the idle scheduler never sleeps a service
 * that is in use.
 */
import type { ServiceConfig } from '../config/services-schema.ts';
import type { Upstream } from '../providers/container-provider.ts';

/** The three service states of the seeds. Work in progress is a transition, never a fourth state. */
export type ServiceState = 'RUNNING' | 'SLEEPING' | 'STOPPED';

/** What moved a service: used in events, logs and metrics. */
export type TransitionCause = 'request' | 'idle' | 'max_sleep' | 'manual' | 'external' | 'startup' | 'dependency';

/**
 * What ensureAwake resolves with: the upstream (null for a service without a port, which no route
 * may name) and how long this caller waited for a wake (null when none was needed: the service
 * was ready, or only its readiness had to be confirmed).
 */
export interface AwakeResult {
  readonly upstream: Upstream | null;
  readonly waitedForWakeMs: number | null;
}

/** Ends one exchange on one instance; `unreachable`: it was refused or reset before any response. */
export type ExchangeEnd = (unreachable: boolean) => void;

/** The request path's view of one service. */
export interface ServiceHandle {
  readonly name: string;
  readonly config: ServiceConfig;
  /** The state now. */
  state(): ServiceState;
  /**
   * True when serving a request would need a wake: SLEEPING, STOPPED, or a sleep/stop in flight.
   * A RUNNING service whose readiness is merely unconfirmed (e.g. just after the proxy started) is
   * not asleep: ensureAwake() only probes it (a readiness confirmation, not a wake).
   */
  isAsleep(): boolean;
  /**
   * The upstream to forward to when the service is RUNNING, ready, no transition is in flight and
   * every dependency is up; otherwise null. Synchronous and O(1): this is the hot path for awake services.
   */
  readyUpstream(): Upstream | null;
  /**
   * The upstream of a container this proxy paused itself while it was ready, with nothing observed
   * since, when unpausing it is the whole wake (no inspect, no probe), every dependency is up, the
   * service is one container and no other replica decides its wakes; otherwise null. A request
   * may be forwarded there while the unpause is in flight: it waits in the container's socket and
   * is answered right after the thaw.
   */
  resumeUpstream(): Upstream | null;
  /**
   * Counts one exchange forwarded to `upstream` (an instance of a service of several containers)
   * until the returned end() is called, once; end(true) reports that the instance was unreachable
   * (refused or reset before any response), for its circuit breaker. Null for a service of one
   * container: there is nothing to count, so the hot path adds nothing.
   */
  beginExchange(upstream: Upstream): ExchangeEnd | null;
  /**
   * Resolves with the upstream once the service is RUNNING and ready, waking it (and its
   * dependencies) if needed. Concurrent callers share one wake (single-flight). A transition to
   * sleep in flight is awaited first, then the service is woken. Aborting `signal` stops this
   * caller's wait only; the wake goes on for the others.
   * Rejects with WakeTimeoutError, WakeFailedError, ContainerNotFoundError,
   * ProviderUnavailableError or ShuttingDownError.
   */
  ensureAwake(cause: TransitionCause, signal?: AbortSignal): Promise<AwakeResult>;
  /**
   * Counts one unit of in-flight work (an HTTP request, an open WebSocket, a streaming response)
   * until the returned release() is called; release is idempotent. While any work is in flight
   * the service is never put to sleep; the idle clock starts when the count drops to zero.
   */
  trackActivity(): () => void;
  /** The step a wake in flight is at and how long it has run, or null when none is in flight. */
  wakeProgress(): WakeProgress | null;
}

/** Where a wake in flight is: its step (dependency, provider, running, ready) and elapsed time. */
export interface WakeProgress {
  readonly step: 'dependency' | 'provider' | 'running' | 'ready';
  readonly elapsedMs: number;
}

/** Looks up the handle of a configured service. */
export interface ServiceDirectory {
  get(name: string): ServiceHandle | undefined;
}
