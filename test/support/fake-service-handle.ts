/**
 * A ServiceHandle whose readiness the test controls. It starts asleep; ensureAwake() waits until
 * the test calls wakeNow() (or failWake()). Like the real controller it is single-flight: every
 * caller waiting at the same time shares one wake, and `wakeCount` says how many wakes started.
 */
import { ServicesFileSchema, type ServiceConfig } from '../../src/config/services-schema.ts';
import type { ServiceHandle, ServiceState, TransitionCause, WakeProgress } from '../../src/lifecycle/service-handle.ts';
import type { Upstream } from '../../src/providers/container-provider.ts';

/** Builds a parsed ServiceConfig from services.yml-style fields (snake_case), with defaults. */
export function makeServiceConfig(name: string, entry: Record<string, unknown> = {}): ServiceConfig {
  const parsed = ServicesFileSchema.parse({ services: { [name]: { container: name, port: 80, ...entry } } });
  const config = parsed[0];
  if (config === undefined) throw new Error('no service parsed');
  return config;
}

interface Waiter {
  readonly startedAt: number;
  resolve(value: { upstream: Upstream; waitedForWakeMs: number }): void;
  reject(err: unknown): void;
}

/** A controllable ServiceHandle for proxy tests. */
export class FakeServiceHandle implements ServiceHandle {
  readonly name: string;
  readonly config: ServiceConfig;
  #upstream: Upstream;
  #ready = false;
  #running = false;
  #waking: Waiter[] | null = null;
  /** Calls of ensureAwake (every caller, shared wake or not). */
  ensureAwakeCalls = 0;
  /** Wakes started (single-flight: concurrent callers share one). */
  wakeCount = 0;
  /** trackActivity() calls and release() calls that took effect. */
  tracked = 0;
  released = 0;

  constructor(name: string, upstream: Upstream, entry: Record<string, unknown> = {}) {
    this.name = name;
    this.#upstream = upstream;
    this.config = makeServiceConfig(name, entry);
  }

  /** Units of work in flight now. */
  get inFlight(): number {
    return this.tracked - this.released;
  }

  /** Callers waiting on the current wake. */
  get waiting(): number {
    return this.#waking?.length ?? 0;
  }

  /** Exchanges begun with beginExchange() (several instances only) and those that ended unreachable. */
  exchanges = { begun: [] as Upstream[], unreachable: [] as Upstream[] };
  #instances: readonly Upstream[] | null = null;
  #next = 0;

  /** Makes this a service of several instances: readyUpstream() takes them in turn. */
  setInstances(upstreams: readonly Upstream[]): void {
    this.#instances = upstreams;
  }

  beginExchange(upstream: Upstream): ((unreachable: boolean) => void) | null {
    if (this.#instances === null) return null;
    this.exchanges.begun.push(upstream);
    return (unreachable) => {
      if (unreachable) this.exchanges.unreachable.push(upstream);
    };
  }

  state(): ServiceState {
    return this.#ready || this.#running ? 'RUNNING' : 'SLEEPING';
  }

  isAsleep(): boolean {
    return this.state() !== 'RUNNING';
  }

  /** RUNNING but readiness not yet confirmed (as right after the proxy starts): not asleep, not ready. */
  markRunningUnconfirmed(): void {
    this.#running = true;
  }

  readyUpstream(): Upstream | null {
    if (!this.#ready) return null;
    if (this.#instances === null) return this.#upstream;
    const upstream = this.#instances[this.#next % this.#instances.length] ?? this.#upstream;
    this.#next += 1;
    return upstream;
  }

  ensureAwake(_cause: TransitionCause, signal?: AbortSignal): Promise<{ upstream: Upstream; waitedForWakeMs: number }> {
    this.ensureAwakeCalls += 1;
    if (this.#ready) return Promise.resolve({ upstream: this.#upstream, waitedForWakeMs: 0 });
    if (this.#waking === null) {
      this.#waking = [];
      this.wakeCount += 1;
    }
    const waiters = this.#waking;
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { startedAt: Date.now(), resolve, reject };
      waiters.push(waiter);
      signal?.addEventListener('abort', () => {
        waiters.splice(waiters.indexOf(waiter) >>> 0, 1);
        reject(signal.reason);
      }, { once: true });
    });
  }

  /** Finishes the wake: the service is ready and every waiting caller gets the upstream. */
  wakeNow(): void {
    this.#ready = true;
    this.#resumable = false;
    const waiters = this.#waking ?? [];
    this.#waking = null;
    for (const w of waiters) w.resolve({ upstream: this.#upstream, waitedForWakeMs: Math.max(1, Date.now() - w.startedAt) });
  }

  /** Fails the wake: every waiting caller gets `err`; the service stays asleep. */
  failWake(err: unknown): void {
    this.#resumable = false;
    const waiters = this.#waking ?? [];
    this.#waking = null;
    for (const w of waiters) w.reject(err);
  }

  /** Puts the service back to sleep (no wake in flight). */
  sleepNow(): void {
    this.#ready = false;
    this.#running = false;
    this.#resumable = false;
  }

  #resumable = false;

  /**
   * Puts the service to sleep as the proxy's own pause of a ready container does: until the wake
   * ends, resumeUpstream() offers the upstream (the controller's rule for one container).
   */
  pauseWhileReady(): void {
    this.sleepNow();
    this.#resumable = true;
  }

  resumeUpstream(): Upstream | null {
    return this.#resumable && !this.#ready && this.#instances === null ? this.#upstream : null;
  }

  /** Points the service at another upstream (e.g. one that refuses connections). */
  setUpstream(upstream: Upstream): void {
    this.#upstream = upstream;
  }

  /** A wake is "at ready" while callers wait for it, like a real one probing. */
  wakeProgress(): WakeProgress | null {
    return this.waiting > 0 ? { step: 'ready', elapsedMs: 0 } : null;
  }

  trackActivity(): () => void {
    this.tracked += 1;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.released += 1;
    };
  }
}
