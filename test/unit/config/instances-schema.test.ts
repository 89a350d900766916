import { describe, expect, it } from 'vitest';
import { parseConfigTexts } from '../../../src/config/load-config.ts';
import { ConfigError } from '../../../src/errors.ts';

const ROUTES = 'routes:\n  - path: /api\n    service: api\n';

function services(entry: string): { routes: { name: string; text: string }; services: { name: string; text: string } } {
  return { routes: { name: 'routes.yml', text: ROUTES }, services: { name: 'services.yml', text: `services:\n  api:\n${entry}` } };
}

function issuesOf(entry: string): readonly string[] {
  try {
    parseConfigTexts(services(entry));
  } catch (err) {
    if (err instanceof ConfigError) return err.issues;
    throw err;
  }
  return [];
}

describe('services of several instances in services.yml', () => {
  it('containers: the first is the primary container; breaker defaults apply', () => {
    const config = parseConfigTexts(services('    containers: [api-1, api-2, api-3]\n    port: 8080\n'));
    const api = config.services[0];
    expect(api).toMatchObject({
      container: 'api-1',
      instances: ['api-1', 'api-2', 'api-3'],
      composeScale: false,
      circuitBreaker: { failures: 3, openForMs: 5_000 },
    });
  });

  it('container alone is one instance', () => {
    const api = parseConfigTexts(services('    container: api\n    port: 8080\n')).services[0];
    expect(api).toMatchObject({ container: 'api', instances: ['api'], composeScale: false });
  });

  it('compose_scale keeps the compose service name until the instances are listed', () => {
    const api = parseConfigTexts(services('    container: api\n    compose_scale: true\n    port: 8080\n')).services[0];
    expect(api).toMatchObject({ container: 'api', instances: ['api'], composeScale: true });
  });

  it('circuit_breaker takes durations', () => {
    const api = parseConfigTexts(services('    containers: [a, b]\n    port: 8080\n    circuit_breaker: { failures: 5, open_for: 2m }\n')).services[0];
    expect(api?.circuitBreaker).toEqual({ failures: 5, openForMs: 120_000 });
  });

  it.each([
    ['neither container nor containers', '    port: 8080\n', 'services.yml:3:5 services.api.container: required (or containers for several instances, or swarm_service)'],
    ['a container listed twice', '    containers: [a, a]\n    port: 8080\n', 'services.yml:3:17 services.api.containers: a container is listed twice'],
    ['an empty list', '    containers: []\n    port: 8080\n', 'services.yml:3:17 services.api.containers: expected at least 1 item(s)'],
    ['a fixed upstream', '    containers: [a, b]\n    port: 8080\n    upstream: http://127.0.0.1:1\n', 'services.yml:5:15 services.api.upstream: a fixed upstream is one address: each instance of containers or compose_scale has its own'],
    ['failures below 1', '    containers: [a, b]\n    port: 8080\n    circuit_breaker: { failures: 0 }\n', 'services.yml:5:34 services.api.circuit_breaker.failures: expected a number >= 1, got 0'],
  ])('refuses %s with a located error', (_name, entry, expected) => {
    expect(issuesOf(entry)).toEqual([expected]);
  });
});

describe('containers claimed twice', () => {
  it('refuses an instance that another service already uses, at its place in the list', () => {
    const texts = {
      routes: { name: 'routes.yml', text: ROUTES },
      services: { name: 'services.yml', text: 'services:\n  api:\n    containers: [a, b]\n    port: 8080\n  other:\n    container: b\n    port: 80\n' },
    };
    let issues: readonly string[] = [];
    try {
      parseConfigTexts(texts);
    } catch (err) {
      if (err instanceof ConfigError) issues = err.issues;
      else throw err;
    }
    expect(issues).toEqual(['services.yml:6:16 services.other.container: container "b" is already used by service "api"']);
  });
});
