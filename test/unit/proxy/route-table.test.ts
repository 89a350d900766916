import { describe, expect, it } from 'vitest';
import type { RouteConfig } from '../../../src/config/routes-schema.ts';
import { createRouteTable, toHostKey } from '../../../src/proxy/route-table.ts';

function route(service: string, pathPrefix: string, host: string | null = null): RouteConfig {
  return { index: 0, pathPrefix, host, service, stripPrefix: false,
  rewriteLocation: true,
  rewriteCookiePath: false,
  loadingPage: null, requestRules: [] };
}

const table = createRouteTable([
  route('root', '/'),
  route('api', '/api'),
  route('api-v2', '/api/v2'),
  route('grafana', '/', 'grafana.example.com'),
  route('grafana-api', '/api', 'grafana.example.com'),
  route('other-host-only', '/only', 'other.example.com'),
]);

describe('createRouteTable', () => {
  it.each([
    [undefined, '/', 'root'],
    [undefined, '/anything/deep', 'root'],
    [undefined, '/api', 'api'],
    [undefined, '/api/', 'api'],
    [undefined, '/api/x', 'api'],
    [undefined, '/apix', 'root'],
    [undefined, '/api/v2', 'api-v2'],
    [undefined, '/api/v2/items/1', 'api-v2'],
    [undefined, '/api/v20', 'api'],
    [undefined, '/api//x', 'api'],
    ['unknown.example.com', '/api/x', 'api'],
    ['grafana.example.com', '/dashboards', 'grafana'],
    ['GRAFANA.Example.COM', '/dashboards', 'grafana'],
    ['grafana.example.com:8080', '/api/x', 'grafana-api'],
    ['grafana.example.com.', '/', 'grafana'],
    ['other.example.com', '/only/x', 'other-host-only'],
    ['other.example.com', '/api', 'api'],
    ['other.example.com', '/', 'root'],
  ])('routes host %s path %s to %s', (host, path, service) => {
    expect(table.match(host, path)?.service).toBe(service);
  });

  it('returns null when no route covers the path', () => {
    const narrow = createRouteTable([route('api', '/api'), route('h', '/', 'h.example')]);
    expect(narrow.match(undefined, '/other')).toBeNull();
    expect(narrow.match('x.example', '/apix')).toBeNull();
  });

  it('keeps the first of two routes with the same host and prefix', () => {
    const dup = createRouteTable([route('first', '/a'), route('second', '/a')]);
    expect(dup.match(undefined, '/a')?.service).toBe('first');
  });

  it('finds the right route among 500 routes of both kinds', () => {
    const routes = Array.from({ length: 500 }, (_, i) =>
      i % 2 === 0 ? route(`svc-${i}`, `/svc-${i}`) : route(`host-${i}`, `/svc-${i}`, `h${i}.example`),
    );
    const big = createRouteTable(routes);
    expect(big.match(undefined, '/svc-498/x/y')?.service).toBe('svc-498');
    expect(big.match('h499.example', '/svc-499')?.service).toBe('host-499');
    expect(big.match('h499.example', '/svc-2/z')?.service).toBe('svc-2');
    expect(big.match(undefined, '/svc-499')).toBeNull();
  });
});

describe('toHostKey', () => {
  it.each([
    ['Example.COM', 'example.com'],
    ['example.com:443', 'example.com'],
    ['[::1]:8080', '[::1]'],
    ['[::1]', '[::1]'],
    ['example.com.', 'example.com'],
    ['', ''],
  ])('turns %j into %j', (host, key) => {
    expect(toHostKey(host)).toBe(key);
  });
});
