import { describe, expect, it } from 'vitest';
import { generatedServices, renderConfig } from '../../../bench/config-files.ts';
import { parseConfigTexts } from '../../../src/config/load-config.ts';

function parse(services: Parameters<typeof renderConfig>[0]) {
  const pair = renderConfig(services);
  return parseConfigTexts({ routes: { name: 'routes.yml', text: pair.routes }, services: { name: 'services.yml', text: pair.services } });
}

describe('renderConfig', () => {
  it('renders files the real config loader accepts, with sleep turned off and an HTTP probe', () => {
    const config = parse([{ name: 'app', container: 'wake-proxy-bench-app-1a2b', port: 8080, pathPrefix: '/' }]);
    expect(config.routes).toHaveLength(1);
    expect(config.routes[0]).toMatchObject({ pathPrefix: '/', service: 'app', host: null });
    expect(config.services[0]).toMatchObject({ name: 'app', container: 'wake-proxy-bench-app-1a2b', port: 8080 });
    expect(config.services[0]?.sleepPolicy.enabled).toBe(false);
    expect(config.services[0]?.healthCheck.path).toBe('/health');
  });
});

describe('generatedServices', () => {
  it('makes 500 services and routes that load, each under its own prefix', () => {
    const config = parse(generatedServices(500));
    expect(config.services).toHaveLength(500);
    expect(new Set(config.routes.map((r) => r.pathPrefix)).size).toBe(500);
    expect(config.routes[499]).toMatchObject({ pathPrefix: '/svc-499', service: 'svc-499' });
  });
});
