/**
 * The per-service families read from snapshots: state, in-flight work, counts and uptime.
 * Names follow Prometheus rules: base units, `_total` on counters, prefix `wake_proxy_`.
 */
import { family, sample } from './exposition.ts';
import type { ServiceSnapshot } from './service-snapshot.ts';

const STATES = ['RUNNING', 'SLEEPING', 'STOPPED'] as const;

type Figure = readonly [name: string, type: 'gauge' | 'counter', help: string, value: (s: ServiceSnapshot) => number];

const FIGURES: readonly Figure[] = [
  ['wake_proxy_in_flight', 'gauge', 'Requests, WebSockets and streams in flight.', (s) => s.inFlight],
  ['wake_proxy_last_activity_timestamp_seconds', 'gauge', 'Unix time of the last activity.', (s) => s.lastActivityAt / 1000],
  ['wake_proxy_state_since_timestamp_seconds', 'gauge', 'Unix time at which the current state began.', (s) => s.stateSince / 1000],
  ['wake_proxy_wakes_total', 'counter', 'Successful wakes.', (s) => s.wakeCount],
  ['wake_proxy_readiness_probes_total', 'counter', 'Readiness probes run (wakes and readiness confirmations).', (s) => s.probes],
  ['wake_proxy_sleeps_total', 'counter', 'Times put to sleep (paused).', (s) => s.sleepCount],
  ['wake_proxy_stops_total', 'counter', 'Times stopped.', (s) => s.stopCount],
  ['wake_proxy_premature_sleeps', 'gauge', 'Consecutive sleeps ended by a request within min_sleep_time (each doubles idle_timeout, up to 8x).', (s) => s.flaps],
  ['wake_proxy_uptime_seconds_total', 'counter', 'Total time RUNNING.', (s) => s.totalUptimeMs / 1000],
  ['wake_proxy_last_wake_duration_seconds', 'gauge', 'Duration of the last wake (see wake_proxy_wake_duration_seconds for every wake).', (s) => (s.lastWake ? s.lastWake.totalMs / 1000 : 0)],
];

/** The snapshot families in text format. */
export function renderServiceFamilies(snapshots: readonly ServiceSnapshot[]): string {
  const states = family(
    'wake_proxy_service_state',
    'gauge',
    '1 for the state the service is in.',
    snapshots.flatMap((s) => STATES.map((st) => sample('wake_proxy_service_state', { service: s.name, state: st }, s.state === st ? 1 : 0))),
  );
  const figures = FIGURES.map(([name, type, help, value]) =>
    family(name, type, help, snapshots.map((s) => sample(name, { service: s.name }, value(s)))),
  );
  return [states, ...figures, renderInstanceFamilies(snapshots)].join('');
}

const BREAKER_STATES = ['closed', 'open', 'half_open'] as const;

/** Per instance of the services of several containers (none: the families are left out). */
function renderInstanceFamilies(snapshots: readonly ServiceSnapshot[]): string {
  const instances = snapshots.flatMap((s) => (s.instances ?? []).map((i) => ({ service: s.name, ...i })));
  if (instances.length === 0) return '';
  const breaker = family(
    'wake_proxy_instance_breaker_state',
    'gauge',
    '1 for the state the circuit breaker of an instance is in.',
    instances.flatMap((i) =>
      BREAKER_STATES.map((st) => sample('wake_proxy_instance_breaker_state', { service: i.service, container: i.container, state: st }, i.breaker === st ? 1 : 0)),
    ),
  );
  const ready = family(
    'wake_proxy_instance_ready',
    'gauge',
    '1 when an instance is in rotation (ready; its breaker may still be open).',
    instances.map((i) => sample('wake_proxy_instance_ready', { service: i.service, container: i.container }, i.state === 'ready' ? 1 : 0)),
  );
  const inFlight = family(
    'wake_proxy_instance_in_flight',
    'gauge',
    'Requests in flight on an instance (what the least-in-flight picker reads).',
    instances.map((i) => sample('wake_proxy_instance_in_flight', { service: i.service, container: i.container }, i.inFlight)),
  );
  return [breaker, ready, inFlight].join('');
}
