/**
 * Checks that need both files, or a whole file, at once: references between routes and
 * services, depends_on sanity and cycles, containers claimed twice. Pure: outlines in (the few
 * fields the checks read), issues with YAML paths out, so they can be located like schema issues.
 * Policy: report every problem (not just the first), each at the entry that introduces it. The
 * checks run on outlines so they run even when a schema error elsewhere in the same entry or file
 * keeps the file from parsing (one `validate` run shows every problem); a field that is itself
 * invalid is null in the outline and skipped (its schema error is reported instead).
 */
import type { ConfigIssue } from './config-issue.ts';

/** An issue found by a cross-check, with the file it belongs to. */
export interface CrossCheckIssue extends ConfigIssue {
  readonly file: 'routes' | 'services';
}

/** What the cross-checks read of a service (a parsed ServiceConfig is one). */
export interface ServiceOutline {
  readonly name: string;
  readonly container: string | null;
  /** Every container of the service: `containers:` (invalid entries null), or just `container`. */
  readonly instances?: readonly (string | null)[] | null;
  /** Entries that are not a non-empty string are null (their schema error is reported). */
  readonly dependsOn: readonly (string | null)[];
  /** True when the raw entry declares no port. */
  readonly portless?: boolean;
  /** A parsed ServiceConfig's port (null: none). */
  readonly port?: number | null;
}

/** What the cross-checks read of a route (a parsed RouteConfig is one). */
export interface RouteOutline {
  readonly index: number;
  /** Normalised like the schema does; null when invalid. */
  readonly pathPrefix: string | null;
  readonly host: string | null;
  readonly service: string | null;
}

type Services = readonly ServiceOutline[];

function knownList(services: Services): string {
  return services.map((s) => s.name).sort().join(', ');
}

/** A route naming a service that services.yml does not define. */
export function checkRouteServices(routes: readonly RouteOutline[], services: Services): CrossCheckIssue[] {
  const names = new Set(services.map((s) => s.name));
  return routes
    .filter((r) => r.service !== null && !names.has(r.service))
    .map((r) => ({
      file: 'routes',
      path: ['routes', r.index, 'service'],
      message: `unknown service ${JSON.stringify(r.service)} (known: ${knownList(services)})`,
    }));
}

/** A route to a service without a port: there is nothing to forward to. */
export function checkRoutePorts(routes: readonly RouteOutline[], services: Services): CrossCheckIssue[] {
  const portless = new Set(services.filter((s) => s.portless === true || s.port === null).map((s) => s.name));
  return routes
    .filter((r) => r.service !== null && portless.has(r.service))
    .map((r) => ({
      file: 'routes',
      path: ['routes', r.index, 'service'],
      message: `service ${JSON.stringify(r.service)} has no port, so no route can forward to it (give it a port in services.yml)`,
    }));
}

/** Two routes with the same host (or both host-less) and the same path prefix. */
export function checkDuplicateRoutes(routes: readonly RouteOutline[]): CrossCheckIssue[] {
  const firstIndex = new Map<string, number>();
  const issues: CrossCheckIssue[] = [];
  for (const r of routes) {
    if (r.pathPrefix === null) continue;
    const key = `${r.host ?? ''} ${r.pathPrefix}`;
    const first = firstIndex.get(key);
    if (first === undefined) {
      firstIndex.set(key, r.index);
      continue;
    }
    const what = `${r.host === null ? '' : `host ${JSON.stringify(r.host)}, `}path ${JSON.stringify(r.pathPrefix)}`;
    issues.push({ file: 'routes', path: ['routes', r.index], message: `duplicate route: same ${what} as routes[${first}]` });
  }
  return issues;
}

/** depends_on entries that name an unknown service or the service itself. */
export function checkDependencyNames(services: Services): CrossCheckIssue[] {
  const names = new Set(services.map((s) => s.name));
  return services.flatMap((s) =>
    s.dependsOn.flatMap((dep, i): CrossCheckIssue[] => {
      const path = ['services', s.name, 'depends_on', i];
      if (dep === null) return [];
      if (dep === s.name) return [{ file: 'services', path, message: 'a service cannot depend on itself' }];
      if (!names.has(dep)) {
        return [{ file: 'services', path, message: `unknown service ${JSON.stringify(dep)} (known: ${knownList(services)})` }];
      }
      return [];
    }),
  );
}

/** depends_on cycles found by a depth-first walk, each reported once at its first service: `a -> b -> a`. */
export function checkDependencyCycles(services: Services): CrossCheckIssue[] {
  const byName = new Map(services.map((s) => [s.name, s]));
  const done = new Set<string>();
  const issues: CrossCheckIssue[] = [];
  const visit = (name: string, stack: string[]): void => {
    if (done.has(name)) return;
    const loopAt = stack.indexOf(name);
    if (loopAt >= 0) {
      const cycle = stack.slice(loopAt);
      const [first = name, second = name] = cycle;
      const depIndex = byName.get(first)?.dependsOn.indexOf(second) ?? 0;
      issues.push({
        file: 'services',
        path: ['services', first, 'depends_on', depIndex],
        message: `dependency cycle: ${[...cycle, name].join(' -> ')}`,
      });
      return;
    }
    for (const dep of byName.get(name)?.dependsOn ?? []) {
      if (dep !== null && dep !== name && byName.has(dep)) visit(dep, [...stack, name]);
    }
    done.add(name);
  };
  for (const s of services) visit(s.name, []);
  return issues;
}

/** Two services that claim the same container. */
export function checkDuplicateContainers(services: Services): CrossCheckIssue[] {
  const owner = new Map<string, string>();
  const issues: CrossCheckIssue[] = [];
  for (const s of services) {
    const refs = s.instances ?? [s.container];
    const listed = refs.length > 1 || refs[0] !== s.container;
    for (const [index, ref] of refs.entries()) {
      if (ref === null) continue;
      const first = owner.get(ref);
      if (first === undefined) owner.set(ref, s.name);
      else if (first !== s.name) {
        issues.push({
          file: 'services',
          path: listed ? ['services', s.name, 'containers', index] : ['services', s.name, 'container'],
          message: `container ${JSON.stringify(ref)} is already used by service ${JSON.stringify(first)}`,
        });
      }
    }
  }
  return issues;
}

/** Every check that needs services.yml only. */
export function crossCheckServices(services: Services): CrossCheckIssue[] {
  return [...checkDependencyNames(services), ...checkDependencyCycles(services), ...checkDuplicateContainers(services)];
}

/** Every check that needs routes.yml (and services.yml for references; null when it is unreadable). */
export function crossCheckRoutes(routes: readonly RouteOutline[], services: Services | null): CrossCheckIssue[] {
  // No services at all is its own error in services.yml; every route would repeat it.
  const references =
    services === null || services.length === 0 ? [] : [...checkRouteServices(routes, services), ...checkRoutePorts(routes, services)];
  return [...references, ...checkDuplicateRoutes(routes)];
}
