/**
 * The point-in-time view of one service that the admin API and /metrics show, computed purely
 * from what the controller read at one moment.
 *
 * Policy: the counts (wakes, sleeps, stops, last wake) are the replicas' shared ones when they are
 * known, else this process's own; everything else is this process's view. The next sleep shown is
 * when the idle clock is due: CPU use is the scheduler's to sample, so a sleep it holds back for
 * CPU use is shown beside it (observability's busy-on-CPU flag), not here.
 */
import type { SleepPolicy } from '../config/services-schema.ts';
import { effectiveIdleTimeoutMs, nextSleepAt } from '../idle/idle-decision.ts';
import type { ActivitySnapshot } from '../idle/sleep-target.ts';
import type { ServiceSnapshot } from '../metrics/service-snapshot.ts';
import type { Upstream } from '../providers/container-provider.ts';
import type { SharedFigures } from '../state/shared-state.ts';
import type { InstanceSnapshot } from './instance-set.ts';
import type { ServiceCounters } from './service-counters.ts';
import type { ServiceState } from './service-handle.ts';
import type { Transition } from './service-state.ts';

/** What a snapshot is made of, as read from one controller at `now` (epoch ms). */
export interface ServiceSnapshotParts {
  readonly name: string;
  readonly state: ServiceState;
  readonly transition: Transition | null;
  readonly ready: boolean;
  readonly upstream: Upstream | null;
  readonly activity: ActivitySnapshot;
  readonly stateSince: number;
  readonly dependentsAwake: boolean;
  readonly policy: SleepPolicy;
  readonly counters: ServiceCounters;
  /** The replicas' shared figures; null for a single proxy or before the first sync. */
  readonly shared: SharedFigures | null;
  /** Per instance, for a service of several containers; null for one container. */
  readonly instances: readonly InstanceSnapshot[] | null;
  readonly now: number;
}

/** The snapshot of one service; see the module header for where each figure comes from. */
export function serviceSnapshotOf(parts: ServiceSnapshotParts): ServiceSnapshot {
  const { activity, counters, policy, now } = parts;
  const sleepAt = nextSleepAt({
    state: parts.state,
    transitionInFlight: parts.transition !== null,
    activity,
    stateSince: parts.stateSince,
    dependentsAwake: parts.dependentsAwake,
    policy,
    flaps: counters.flaps,
    cpuCores: null,
    now,
  });
  return {
    name: parts.name,
    state: parts.state,
    transition: parts.transition,
    ready: parts.ready,
    upstream: parts.upstream,
    inFlight: activity.inFlight,
    lastActivityAt: activity.lastActivityAt,
    stateSince: parts.stateSince,
    ...sharedOrOwn(counters, parts.shared),
    wakeFailures: counters.wakeFailures,
    probes: counters.probes,
    flaps: counters.flaps,
    idleTimeoutMs: effectiveIdleTimeoutMs(policy, counters.flaps),
    nextSleepAt: sleepAt,
    totalUptimeMs: counters.totalUptimeMs(now),
    ...(parts.instances === null ? {} : { instances: parts.instances }),
  };
}

/** The counts /services and /metrics show: the replicas' shared ones when known, else this process's. */
function sharedOrOwn(own: ServiceCounters, shared: SharedFigures | null): Pick<ServiceSnapshot, 'wakeCount' | 'sleepCount' | 'stopCount' | 'lastWake'> {
  const from = shared ?? own;
  return { wakeCount: from.wakeCount, sleepCount: from.sleepCount, stopCount: from.stopCount, lastWake: from.lastWake };
}
