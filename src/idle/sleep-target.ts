/**
 * What the idle scheduler needs from a service, and nothing more: the port between `idle/` and
 * `lifecycle/`. ServiceController implements it.
 */
import type { SleepPolicy } from '../config/services-schema.ts';
import type { ServiceState } from '../lifecycle/service-handle.ts';

/** In-flight work and last activity of one service. */
export interface ActivitySnapshot {
  /** HTTP requests, open WebSockets and streaming responses in flight now. */
  readonly inFlight: number;
  /** Epoch ms of the last time in-flight work started or ended (or of the last state change). */
  readonly lastActivityAt: number;
}

/** A service as the idle scheduler sees it. */
export interface SleepTarget {
  readonly name: string;
  readonly policy: SleepPolicy;
  state(): ServiceState;
  /** True while a wake, sleep or stop is in flight. */
  transitionInFlight(): boolean;
  activity(): ActivitySnapshot;
  /** Epoch ms at which the current state began (when it went to sleep, when it woke). */
  stateSince(): number;
  /** True while any service that depends on this one is RUNNING or waking (reference counting). */
  dependentsAwake(): boolean;
  /** Consecutive premature sleeps (flap damping, idle-decision.ts); 0 when the last sleep was long enough. */
  flaps(): number;
  /** RUNNING → SLEEPING (mode pause) or RUNNING → STOPPED (mode stop). */
  sleep(cause: 'idle'): Promise<void>;
  /** SLEEPING → STOPPED. */
  stop(cause: 'max_sleep'): Promise<void>;
}
