/** Per-service figures (the seeds' ServiceMetrics), as the admin API and /metrics show them. */
import type { LastWake } from '../lifecycle/service-counters.ts';
import type { InstanceSnapshot } from '../lifecycle/instance-set.ts';
import type { ServiceState } from '../lifecycle/service-handle.ts';
import type { Upstream } from '../providers/container-provider.ts';

/** A point-in-time view of one service. */
export interface ServiceSnapshot {
  readonly name: string;
  readonly state: ServiceState;
  readonly transition: 'waking' | 'sleeping' | 'stopping' | null;
  readonly ready: boolean;
  readonly upstream: Upstream | null;
  readonly inFlight: number;
  readonly lastActivityAt: number;
  readonly stateSince: number;
  readonly wakeCount: number;
  readonly sleepCount: number;
  readonly stopCount: number;
  readonly wakeFailures: number;
  /** Readiness probes run so far (wakes and readiness confirmations). */
  readonly probes: number;
  /** Consecutive premature sleeps; the idle timeout is lengthened by 2^min(flaps, 3). */
  readonly flaps: number;
  /** The idle timeout in force now: idle_timeout lengthened by flap damping; null when it never sleeps. */
  readonly idleTimeoutMs: number | null;
  /** Epoch ms at which the idle timer will put it to sleep; null when nothing is scheduled. */
  readonly nextSleepAt: number | null;
  readonly totalUptimeMs: number;
  readonly lastWake: LastWake | null;
  /** Per instance, for a service of several containers (absent for one container). */
  readonly instances?: readonly InstanceSnapshot[];
}
