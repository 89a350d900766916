/**
 * What a reload changes, decided purely from the old and the new Config.
 *
 * Policy: a service is `added`, `removed`, `changed` (only fields a running service can take at
 * once: its sleep policy, request rules, max_held_requests, auto_start and loading page) or
 * `replaced` (anything else: container reference, port, upstream, health check, dependencies,
 * compose project), which means a new state machine that inspects its container again. Routes
 * are compared as a whole list: any difference swaps the route table at once.
 */
import type { Config, RouteConfig } from './routes-schema.ts';
import type { ServiceConfig } from './services-schema.ts';

/** Service fields a running service takes at once, without a new state machine. */
export const SOFT_SERVICE_FIELDS = ['sleepPolicy', 'requestRules', 'maxHeldRequests', 'autoStart', 'loadingPage'] as const;

/** What a reload does, by service and route. */
export interface ConfigDiff {
  readonly servicesAdded: readonly string[];
  readonly servicesRemoved: readonly string[];
  readonly servicesChanged: readonly string[];
  readonly servicesReplaced: readonly string[];
  readonly routesAdded: readonly string[];
  readonly routesRemoved: readonly string[];
  readonly routesChanged: readonly string[];
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}

function without(config: ServiceConfig, fields: readonly string[]): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...config };
  for (const f of fields) delete copy[f];
  return copy;
}

/** True when `next` differs from `previous` only in SOFT_SERVICE_FIELDS. */
export function isSoftChange(previous: ServiceConfig, next: ServiceConfig): boolean {
  return canonical(without(previous, SOFT_SERVICE_FIELDS)) === canonical(without(next, SOFT_SERVICE_FIELDS));
}

/** A route's key in the diff: `host/prefix` or `/prefix`. */
export function routeKey(route: Pick<RouteConfig, 'host' | 'pathPrefix'>): string {
  return route.host === null ? route.pathPrefix : `${route.host}${route.pathPrefix}`;
}

/** The routes without their position, for comparison. */
function routeBody(route: RouteConfig): string {
  const { index: _index, ...rest } = route;
  return canonical(rest);
}

/** Compares two configurations; pure. */
export function diffConfig(previous: Pick<Config, 'services' | 'routes'>, next: Pick<Config, 'services' | 'routes'>): ConfigDiff {
  const before = new Map(previous.services.map((s) => [s.name, s]));
  const after = new Map(next.services.map((s) => [s.name, s]));
  const changed: string[] = [];
  const replaced: string[] = [];
  for (const [name, service] of after) {
    const old = before.get(name);
    if (old === undefined || canonical(old) === canonical(service)) continue;
    (isSoftChange(old, service) ? changed : replaced).push(name);
  }
  const routesBefore = new Map(previous.routes.map((r) => [routeKey(r), routeBody(r)]));
  const routesAfter = new Map(next.routes.map((r) => [routeKey(r), routeBody(r)]));
  return {
    servicesAdded: [...after.keys()].filter((n) => !before.has(n)),
    servicesRemoved: [...before.keys()].filter((n) => !after.has(n)),
    servicesChanged: changed,
    servicesReplaced: replaced,
    routesAdded: [...routesAfter.keys()].filter((k) => !routesBefore.has(k)),
    routesRemoved: [...routesBefore.keys()].filter((k) => !routesAfter.has(k)),
    routesChanged: [...routesAfter.keys()].filter((k) => routesBefore.has(k) && routesBefore.get(k) !== routesAfter.get(k)),
  };
}

/** True when the diff changes nothing. */
export function isEmptyDiff(diff: ConfigDiff): boolean {
  return Object.values(diff).every((list: readonly string[]) => list.length === 0);
}
