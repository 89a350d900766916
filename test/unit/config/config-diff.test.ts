import { describe, expect, it } from 'vitest';
import { diffConfig, isEmptyDiff } from '../../../src/config/config-diff.ts';
import { parseConfigTexts } from '../../../src/config/load-config.ts';

function config(routes: string, services: string) {
  return parseConfigTexts({ routes: { name: 'routes.yml', text: routes }, services: { name: 'services.yml', text: services } });
}

const ROUTES = 'routes:\n  - path: /\n    service: web\n  - path: /api\n    service: api\n';
const SERVICES = 'services:\n  web:\n    container: web\n    port: 80\n  api:\n    container: api\n    port: 8080\n';

describe('diffConfig', () => {
  it('finds nothing between equal files', () => {
    const diff = diffConfig(config(ROUTES, SERVICES), config(ROUTES, SERVICES));
    expect(isEmptyDiff(diff)).toBe(true);
  });

  it('tells soft changes from changes that need a new state machine', () => {
    const next = SERVICES.replace('  api:\n    container: api\n    port: 8080\n', '  api:\n    container: api\n    port: 8080\n    sleep_policy:\n      idle_timeout: 10m\n').replace(
      '  web:\n    container: web\n    port: 80\n',
      '  web:\n    container: web2\n    port: 80\n',
    );
    const diff = diffConfig(config(ROUTES, SERVICES), config(ROUTES, next));
    expect(diff.servicesChanged).toEqual(['api']);
    expect(diff.servicesReplaced).toEqual(['web']);
  });

  it('lists services and routes added, removed and changed', () => {
    const nextRoutes = 'routes:\n  - path: /\n    service: web\n    strip_prefix: true\n  - path: /new\n    service: extra\n';
    const nextServices = 'services:\n  web:\n    container: web\n    port: 80\n  extra:\n    container: extra\n    port: 81\n';
    expect(diffConfig(config(ROUTES, SERVICES), config(nextRoutes, nextServices))).toEqual({
      servicesAdded: ['extra'],
      servicesRemoved: ['api'],
      servicesChanged: [],
      servicesReplaced: [],
      routesAdded: ['/new'],
      routesRemoved: ['/api'],
      routesChanged: ['/'],
    });
  });

  it('ignores the order of routes', () => {
    const reordered = 'routes:\n  - path: /api\n    service: api\n  - path: /\n    service: web\n';
    expect(isEmptyDiff(diffConfig(config(ROUTES, SERVICES), config(reordered, SERVICES)))).toBe(true);
  });
});
