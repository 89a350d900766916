import { describe, expect, it } from 'vitest';
import { matchAdminRoute } from '../../../src/admin/admin-routes.ts';

describe('matchAdminRoute', () => {
  it.each([
    ['GET', '/healthz', { kind: 'healthz' }],
    ['GET', '/metrics', { kind: 'metrics' }],
    ['GET', '/services', { kind: 'list' }],
    ['GET', '/services/', { kind: 'list' }],
    ['GET', '/services/api', { kind: 'show', service: 'api' }],
    ['GET', '/services/api?x=1', { kind: 'show', service: 'api' }],
    ['POST', '/services/api/wake', { kind: 'wake', service: 'api' }],
    ['POST', '/services/api/sleep', { kind: 'sleep', service: 'api' }],
    ['POST', '/services/api/stop', { kind: 'stop', service: 'api' }],
    ['GET', '/services/api/wake', { kind: 'method-not-allowed', allow: 'POST' }],
    ['POST', '/services', { kind: 'method-not-allowed', allow: 'GET, HEAD' }],
    ['POST', '/services/api/explode', { kind: 'not-found' }],
    ['GET', '/', { kind: 'page' }],
    ['GET', '/events', { kind: 'events' }],
    ['POST', '/services/sleep-all', { kind: 'sleep-all' }],
    ['POST', '/services/wake-all', { kind: 'wake-all' }],
    ['GET', '/services/wake-all', { kind: 'show', service: 'wake-all' }],
    ['POST', '/idle-check', { kind: 'idle-check' }],
    ['GET', '/config', { kind: 'config' }],
    ['POST', '/config/reload', { kind: 'reload' }],
    ['GET', '/config/reload', { kind: 'method-not-allowed', allow: 'POST' }],
    ['PUT', '/services/api/policy', { kind: 'set-policy', service: 'api' }],
    ['POST', '/services/api/policy', { kind: 'method-not-allowed', allow: 'PUT' }],
    ['GET', '/health/containers', { kind: 'seed-containers' }],
    ['GET', '/health/services', { kind: 'seed-services' }],
    ['GET', '/health/automation', { kind: 'seed-automation' }],
    ['POST', '/health/automation/idle-check', { kind: 'seed-idle-check' }],
    ['POST', '/health/containers/grafana/start', { kind: 'wake', service: 'grafana' }],
    ['POST', '/health/containers/grafana/stop', { kind: 'stop', service: 'grafana' }],
    ['GET', '/health/nope', { kind: 'not-found' }],
    ['GET', '/idle-check', { kind: 'method-not-allowed', allow: 'POST' }],
    ['GET', '/nope', { kind: 'not-found' }],
  ])('maps %s %s', (method, url, expected) => {
    expect(matchAdminRoute(method, url)).toEqual(expected);
  });
});

describe('matchAdminRoute with malformed escapes', () => {
  it.each(['/services/%zz', '/services/%E0%A4%A', '/services/%/wake', '/services/%E0%A4', '/services/a%'])(
    'refuses %s with WP_BAD_REQUEST_PATH instead of throwing a URIError',
    (url) => {
      expect(() => matchAdminRoute('GET', url)).toThrow(expect.objectContaining({ code: 'WP_BAD_REQUEST_PATH' }));
    },
  );

  it('decodes a well-formed escape in a service name', () => {
    expect(matchAdminRoute('GET', '/services/%61pi')).toEqual({ kind: 'show', service: 'api' });
  });
});
