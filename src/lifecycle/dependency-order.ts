/**
 * Order over the depends_on graph. Services in one level do not depend on each other, so a level
 * can be woken concurrently once the levels before it are up; sleeping goes in reverse level order
 * (dependents before their dependencies).
 *
 * Policy: the config loader rejects cycles and unknown names with file locations; this module
 * still refuses them (ConfigError) rather than guess an order, so a bug upstream cannot turn into
 * a wake that waits for itself.
 */
import { ConfigError } from '../errors.ts';

/** The part of a service config this module reads. */
export interface DependencyNode {
  readonly name: string;
  readonly dependsOn: readonly string[];
}

/** Finds one depends_on cycle and returns it as a path (`[a, b, a]`), or null when there is none. */
export function findDependencyCycle(nodes: readonly DependencyNode[]): string[] | null {
  const deps = new Map(nodes.map((n) => [n.name, n.dependsOn]));
  const done = new Set<string>();
  const path: string[] = [];
  const visit = (name: string): string[] | null => {
    const at = path.indexOf(name);
    if (at >= 0) return [...path.slice(at), name];
    if (done.has(name)) return null;
    path.push(name);
    for (const dep of deps.get(name) ?? []) {
      const cycle = visit(dep);
      if (cycle) return cycle;
    }
    path.pop();
    done.add(name);
    return null;
  };
  for (const n of nodes) {
    const cycle = visit(n.name);
    if (cycle) return cycle;
  }
  return null;
}

/**
 * Topological levels: level 0 has no dependencies; every other service sits one level above its
 * deepest dependency. Names keep their config order inside a level. Throws ConfigError on a cycle
 * or a dependency on an unknown service.
 */
export function dependencyLevels(nodes: readonly DependencyNode[]): string[][] {
  const known = new Set(nodes.map((n) => n.name));
  const unknown = nodes.flatMap((n) => n.dependsOn.filter((d) => !known.has(d)).map((d) => `${n.name} -> ${d}`));
  if (unknown.length > 0) throw new ConfigError(unknown.map((u) => `depends_on names an unknown service: ${u}`));
  const cycle = findDependencyCycle(nodes);
  if (cycle) throw new ConfigError([`depends_on cycle: ${cycle.join(' -> ')}`]);
  const deps = new Map(nodes.map((n) => [n.name, n.dependsOn]));
  const level = new Map<string, number>();
  const levelOf = (name: string): number => {
    const cached = level.get(name);
    if (cached !== undefined) return cached;
    const value = Math.max(-1, ...(deps.get(name) ?? []).map(levelOf)) + 1;
    level.set(name, value);
    return value;
  };
  const levels: string[][] = [];
  for (const n of nodes) (levels[levelOf(n.name)] ??= []).push(n.name);
  return levels;
}

/** For every service, the services that list it in depends_on (config order). */
export function dependentsMap(nodes: readonly DependencyNode[]): Map<string, string[]> {
  const map = new Map<string, string[]>(nodes.map((n) => [n.name, []]));
  for (const n of nodes) {
    for (const dep of n.dependsOn) map.get(dep)?.push(n.name);
  }
  return map;
}
