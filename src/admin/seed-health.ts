/**
 * The seed's health endpoints, in the seed's shapes (its ContainerManager API answered
 * `/health/containers`, `/health/services` and `/health/automation`), built from wake-proxy's own
 * figures so tooling written against the seed keeps working. Pure: data in, JSON out.
 *
 * Mapping: the seed's container states are `running` / `stopped`; wake-proxy adds `sleeping`
 * (paused). Its `critical` priority is wake-proxy's `high` (never sleeps); priorities are reported
 * as wake-proxy names them. Idle timeouts are in minutes, as in the seed.
 */
import type { ServiceSnapshot } from '../metrics/service-snapshot.ts';

/** What the seed views read of one service. */
export interface SeedServiceView {
  readonly snapshot: ServiceSnapshot;
  readonly priority: string;
  readonly sleepEnabled: boolean;
  readonly idleTimeoutMs: number;
  readonly autoStart: boolean;
  readonly dependsOn: readonly string[];
}

/** A route as the seed's endpoint mapping shows it. */
export interface SeedRouteView {
  readonly path: string;
  readonly host: string | null;
  readonly service: string;
}

const SEED_STATE = { RUNNING: 'running', SLEEPING: 'sleeping', STOPPED: 'stopped' } as const;

const minutes = (ms: number): number => Math.round((ms / 60_000) * 100) / 100;

/** GET /health/containers. */
export function seedContainers(services: readonly SeedServiceView[]): Record<string, unknown> {
  const counts: Record<string, number> = { running: 0, sleeping: 0, stopped: 0 };
  const containers: Record<string, unknown> = {};
  for (const s of services) {
    const state = SEED_STATE[s.snapshot.state];
    counts[state] = (counts[state] ?? 0) + 1;
    containers[s.snapshot.name] = {
      state,
      priority: s.priority,
      last_access: new Date(s.snapshot.lastActivityAt).toISOString(),
      idle_timeout_minutes: s.sleepEnabled ? minutes(s.idleTimeoutMs) : 0,
    };
  }
  return {
    status: 'healthy',
    container_management: {
      auto_start_enabled: true,
      auto_stop_enabled: services.some((s) => s.sleepEnabled),
      idle_timeout_minutes: minutes(Math.max(0, ...services.filter((s) => s.priority === 'normal').map((s) => s.idleTimeoutMs))),
    },
    container_summary: { total_containers: services.length, state_counts: counts },
    containers,
  };
}

/** GET /health/services: each route's service with everything it depends on, in wake order. */
export function seedServices(services: readonly SeedServiceView[], routes: readonly SeedRouteView[]): Record<string, unknown> {
  const byName = new Map(services.map((s) => [s.snapshot.name, s]));
  const closure = (name: string, seen = new Set<string>()): string[] => {
    if (seen.has(name)) return [];
    seen.add(name);
    const deps = byName.get(name)?.dependsOn ?? [];
    return [name, ...deps.flatMap((d) => closure(d, seen))];
  };
  const endpoints: Record<string, string[]> = {};
  for (const r of routes) endpoints[r.host === null ? r.path : `${r.host}${r.path}`] = closure(r.service);
  return {
    status: 'healthy',
    service_mappings: {
      endpoint_dependencies: endpoints,
      container_priorities: Object.fromEntries(services.map((s) => [s.snapshot.name, s.priority])),
    },
  };
}

/** GET /health/automation: whether wakes and sleeps are on, and their statistics. */
export function seedAutomation(services: readonly SeedServiceView[]): Record<string, unknown> {
  const sum = (f: (s: ServiceSnapshot) => number): number => services.reduce((n, s) => n + f(s.snapshot), 0);
  return {
    status: 'healthy',
    auto_start_enabled: true,
    auto_stop_enabled: services.some((s) => s.sleepEnabled),
    statistics: {
      wakes: sum((s) => s.wakeCount),
      wake_failures: sum((s) => s.wakeFailures),
      sleeps: sum((s) => s.sleepCount),
      stops: sum((s) => s.stopCount),
      in_flight: sum((s) => s.inFlight),
    },
    auto_start_services: services.filter((s) => s.autoStart).map((s) => s.snapshot.name),
  };
}
