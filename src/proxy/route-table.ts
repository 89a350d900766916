/**
 * Which route serves a request.
 *
 * Policy: routes with a host (case-insensitive, port ignored) are tried before host-less routes;
 * within each group the longest path prefix wins, matched on whole segments (`/api` serves `/api`,
 * `/api/` and `/api/x`, never `/apix`; `/` serves everything). The table is built once: one Map
 * from prefix to route per host, so a lookup costs one Map probe per segment of the path,
 * whatever the number of routes, and no regular expression runs per request.
 */
import type { RouteConfig } from '../config/routes-schema.ts';

/** Answers "which route serves this request?" in time proportional to the path's depth. */
export interface RouteTable {
  /** The route for a Host header value and a request path (no query), or null. */
  match(host: string | undefined, path: string): RouteConfig | null;
}

type PrefixMap = Map<string, RouteConfig>;

/** Lower-cases a Host header value and drops its port (and a trailing dot). */
export function toHostKey(host: string): string {
  let end = host.length;
  if (host.charCodeAt(0) === 91 /* [ */) {
    end = host.indexOf(']') + 1 || end;
  } else {
    const colon = host.indexOf(':');
    if (colon !== -1) end = colon;
  }
  if (end > 0 && host.charCodeAt(end - 1) === 46 /* . */) end -= 1;
  return host.slice(0, end).toLowerCase();
}

function longestPrefix(routes: PrefixMap, path: string): RouteConfig | null {
  let candidate = path;
  while (candidate.length > 1) {
    // `/api/` and `/api//` are covered by the prefix `/api`, which is stored without its slash.
    let end = candidate.length;
    while (end > 1 && candidate.charCodeAt(end - 1) === 47) end -= 1;
    if (end !== candidate.length) candidate = candidate.slice(0, end);
    const hit = routes.get(candidate);
    if (hit !== undefined) return hit;
    const slash = candidate.lastIndexOf('/');
    candidate = slash <= 0 ? '/' : candidate.slice(0, slash);
  }
  return routes.get('/') ?? null;
}

function addRoute(map: PrefixMap, route: RouteConfig): void {
  // On a duplicate (config cross-check rejects them) the first route listed keeps the prefix.
  if (!map.has(route.pathPrefix)) map.set(route.pathPrefix, route);
}

/** Builds the lookup structure once from the configured routes. */
export function createRouteTable(routes: readonly RouteConfig[]): RouteTable {
  const byHost = new Map<string, PrefixMap>();
  const anyHost: PrefixMap = new Map();
  for (const route of routes) {
    if (route.host === null) {
      addRoute(anyHost, route);
      continue;
    }
    const key = toHostKey(route.host);
    let map = byHost.get(key);
    if (map === undefined) byHost.set(key, (map = new Map()));
    addRoute(map, route);
  }
  return {
    match(host, path) {
      if (host !== undefined && byHost.size > 0) {
        const hostRoutes = byHost.get(toHostKey(host));
        const hit = hostRoutes === undefined ? null : longestPrefix(hostRoutes, path);
        if (hit !== null) return hit;
      }
      return anyHost.size === 0 ? null : longestPrefix(anyHost, path);
    },
  };
}
