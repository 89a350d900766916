import { describe, expect, it } from 'vitest';
import { outlineRoutes, outlineServices } from '../../../src/config/config-outline.ts';
import { checkDependencyNames, checkDuplicateContainers, checkDuplicateRoutes } from '../../../src/config/cross-check.ts';

describe('outlineRoutes', () => {
  it.each([
    ['no data', undefined, []],
    ['routes not a list', { routes: 'x' }, []],
    ['a normalised entry', { routes: [{ path: '/api/', host: 'X.io', service: 'api' }] }, [{ index: 0, pathPrefix: '/api', host: 'x.io', service: 'api' }]],
    ['defaults: path "/", no host', { routes: [{ service: 'web' }] }, [{ index: 0, pathPrefix: '/', host: null, service: 'web' }]],
    ['invalid fields are null', { routes: [{ path: 'api', service: 3 }] }, [{ index: 0, pathPrefix: null, host: null, service: null }]],
    ['an invalid host drops the prefix (no false duplicate)', { routes: [{ host: 'a b', service: 'x' }] }, [{ index: 0, pathPrefix: null, host: null, service: 'x' }]],
    ['an entry that is not a mapping', { routes: ['x'] }, [{ index: 0, pathPrefix: null, host: null, service: null }]],
  ] as const)('%s', (_name, data, expected) => {
    expect(outlineRoutes(data)).toEqual(expected);
  });
});

describe('outlineServices', () => {
  it.each([
    ['no data', undefined, null],
    ['services not a mapping', { services: [] }, null],
    ['names, containers and dependencies', { services: { a: { container: 'c', depends_on: ['b', 7, ''] }, b: 'x' } }, [
      { name: 'a', container: 'c', dependsOn: ['b', null, null], portless: true },
      { name: 'b', container: null, dependsOn: [], portless: false },
    ]],
  ] as const)('%s', (_name, data, expected) => {
    expect(outlineServices(data)).toEqual(expected);
  });
});

describe('cross-checks on outlines with invalid fields', () => {
  it('skips null fields, keeping the indexes of the valid ones', () => {
    const services = [
      { name: 'a', container: null, dependsOn: [null, 'zz'] },
      { name: 'b', container: null, dependsOn: [] },
    ];
    expect(checkDependencyNames(services).map((i) => i.path)).toEqual([['services', 'a', 'depends_on', 1]]);
    expect(checkDuplicateContainers(services)).toEqual([]);
    expect(checkDuplicateRoutes([
      { index: 0, pathPrefix: null, host: null, service: 'a' },
      { index: 1, pathPrefix: null, host: null, service: 'a' },
    ])).toEqual([]);
  });
});
