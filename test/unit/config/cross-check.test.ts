import { describe, expect, it } from 'vitest';
import {
  checkDependencyCycles,
  checkDependencyNames,
  checkDuplicateContainers,
  checkDuplicateRoutes,
  checkRouteServices,
} from '../../../src/config/cross-check.ts';
import type { RouteConfig } from '../../../src/config/routes-schema.ts';
import { ServicesFileSchema, type ServiceConfig } from '../../../src/config/services-schema.ts';

/** Builds services from `name: [container, ...depends_on]` shorthand through the real schema. */
function services(spec: Record<string, readonly string[]>): ServiceConfig[] {
  const entries = Object.entries(spec).map(([name, [container = name, ...dependsOn]], i) => [
    name,
    { container, port: 1000 + i, depends_on: dependsOn },
  ]);
  return ServicesFileSchema.parse({ services: Object.fromEntries(entries) });
}

function route(index: number, pathPrefix: string, service: string, host: string | null = null): RouteConfig {
  return { index, pathPrefix, host, service, stripPrefix: false,
  rewriteLocation: true,
  rewriteCookiePath: false,
  loadingPage: null, requestRules: [] };
}

describe('checkRouteServices', () => {
  it('flags a route to an unknown service and lists the known ones', () => {
    expect(checkRouteServices([route(0, '/', 'web'), route(1, '/api', 'apii')], services({ web: [], api: [] }))).toEqual([
      { file: 'routes', path: ['routes', 1, 'service'], message: 'unknown service "apii" (known: api, web)' },
    ]);
  });
});

describe('checkDuplicateRoutes', () => {
  it.each([
    ['same path, no host', [route(0, '/api', 'a'), route(1, '/api', 'b')], ['routes[1] same path "/api" as routes[0]']],
    ['same host and path', [route(0, '/', 'a', 'x.io'), route(1, '/', 'b', 'x.io')], ['routes[1] same host "x.io", path "/" as routes[0]']],
    ['same path, different hosts', [route(0, '/', 'a', 'x.io'), route(1, '/', 'b', 'y.io')], []],
    ['same path, one host-less', [route(0, '/', 'a'), route(1, '/', 'b', 'y.io')], []],
    ['three copies', [route(0, '/a', 'a'), route(1, '/a', 'b'), route(2, '/a', 'c')], ['routes[1] same path "/a" as routes[0]', 'routes[2] same path "/a" as routes[0]']],
  ] as const)('%s', (_name, routes, expected) => {
    const found = checkDuplicateRoutes(routes).map((i) => `routes[${String(i.path[1])}] ${i.message.replace('duplicate route: ', '')}`);
    expect(found).toEqual(expected);
  });
});

describe('checkDependencyNames', () => {
  it.each([
    ['known dependencies', { a: ['a', 'b'], b: [] }, []],
    ['an unknown dependency', { a: ['a', 'zz'], b: [] }, ['services.a.depends_on.0: unknown service "zz" (known: a, b)']],
    ['a self-dependency', { a: ['a', 'b', 'a'], b: [] }, ['services.a.depends_on.1: a service cannot depend on itself']],
  ] as const)('%s', (_name, spec, expected) => {
    expect(checkDependencyNames(services(spec)).map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual(expected);
  });
});

describe('checkDependencyCycles', () => {
  it.each([
    ['no cycle (a diamond)', { a: ['a', 'b', 'c'], b: ['b', 'd'], c: ['c', 'd'], d: [] }, []],
    ['a two-service cycle', { a: ['a', 'b'], b: ['b', 'a'] }, ['services.a.depends_on.0: dependency cycle: a -> b -> a']],
    ['a three-service cycle', { x: ['x'], a: ['a', 'b'], b: ['b', 'c'], c: ['c', 'x', 'a'] }, ['services.a.depends_on.0: dependency cycle: a -> b -> c -> a']],
    ['a cycle reached from outside it', { top: ['top', 'a'], a: ['a', 'b'], b: ['b', 'a'] }, ['services.a.depends_on.0: dependency cycle: a -> b -> a']],
    ['two separate cycles', { a: ['a', 'b'], b: ['b', 'a'], c: ['c', 'd'], d: ['d', 'c'] }, ['services.a.depends_on.0: dependency cycle: a -> b -> a', 'services.c.depends_on.0: dependency cycle: c -> d -> c']],
    ['self and unknown edges are left to checkDependencyNames', { a: ['a', 'a', 'zz'] }, []],
  ] as const)('%s', (_name, spec, expected) => {
    expect(checkDependencyCycles(services(spec)).map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual(expected);
  });
});

describe('checkDuplicateContainers', () => {
  it('flags every service after the first that claims a container', () => {
    const found = checkDuplicateContainers(services({ a: ['box'], b: ['other'], c: ['box'], d: ['box'] }));
    expect(found.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([
      'services.c.container: container "box" is already used by service "a"',
      'services.d.container: container "box" is already used by service "a"',
    ]);
  });
});
