import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors.ts';
import {
  dependencyLevels,
  dependentsMap,
  findDependencyCycle,
  type DependencyNode,
} from '../../../src/lifecycle/dependency-order.ts';

function graph(spec: Record<string, readonly string[]>): DependencyNode[] {
  return Object.entries(spec).map(([name, dependsOn]) => ({ name, dependsOn }));
}

describe('dependencyLevels', () => {
  it.each<[string, Record<string, readonly string[]>, string[][]]>([
    ['no services', {}, []],
    ['independent services', { a: [], b: [] }, [['a', 'b']]],
    ['a chain', { app: ['api'], api: ['db'], db: [] }, [['db'], ['api'], ['app']]],
    ['a diamond', { web: ['api', 'auth'], api: ['db'], auth: ['db'], db: [] }, [['db'], ['api', 'auth'], ['web']]],
    ['uneven branches', { web: ['db', 'api'], api: ['cache'], cache: [], db: [] }, [['cache', 'db'], ['api'], ['web']]],
  ])('orders %s', (_label, spec, levels) => {
    expect(dependencyLevels(graph(spec))).toEqual(levels);
  });

  it('refuses a cycle and names it', () => {
    const nodes = graph({ a: ['b'], b: ['c'], c: ['a'] });
    expect(() => dependencyLevels(nodes)).toThrow(ConfigError);
    expect(() => dependencyLevels(nodes)).toThrow('depends_on cycle: a -> b -> c -> a');
  });

  it('refuses a dependency on an unknown service', () => {
    expect(() => dependencyLevels(graph({ a: ['ghost'] }))).toThrow('depends_on names an unknown service: a -> ghost');
  });
});

describe('findDependencyCycle', () => {
  it.each<[string, Record<string, readonly string[]>, string[] | null]>([
    ['a self-dependency', { a: ['a'] }, ['a', 'a']],
    ['a cycle behind a chain', { x: ['a'], a: ['b'], b: ['a'] }, ['a', 'b', 'a']],
    ['a diamond', { web: ['api', 'auth'], api: ['db'], auth: ['db'], db: [] }, null],
  ])('finds %s', (_label, spec, cycle) => {
    expect(findDependencyCycle(graph(spec))).toEqual(cycle);
  });
});

describe('dependentsMap', () => {
  it('lists, for each service, the services that depend on it', () => {
    const map = dependentsMap(graph({ web: ['api', 'db'], api: ['db'], db: [] }));
    expect(Object.fromEntries(map)).toEqual({ web: [], api: ['web'], db: ['web', 'api'] });
  });
});
