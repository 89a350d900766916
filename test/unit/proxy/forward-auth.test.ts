import { describe, expect, it } from 'vitest';
import { describeCheck } from '../../../src/proxy/forward-auth.ts';

describe('describeCheck', () => {
  it.each([
    [
      'Traefik and Caddy: X-Forwarded-*',
      { url: '/', headers: { host: 'wake-proxy:9090', 'x-forwarded-host': 'shop.example', 'x-forwarded-uri': '/cart?x=1', 'x-forwarded-method': 'post' } },
      { host: 'shop.example', uri: '/cart?x=1', method: 'POST', service: null },
    ],
    [
      'nginx auth_request: Host and X-Original-URI',
      { url: '/_wake', headers: { host: 'shop.example', 'x-original-uri': '/cart', 'x-original-method': 'DELETE' } },
      { host: 'shop.example', uri: '/cart', method: 'DELETE', service: null },
    ],
    ['a service named directly', { url: '/?service=api', headers: { host: 'x' } }, { host: 'x', uri: '/', method: 'GET', service: 'api' }],
  ])('%s', (_name, req, expected) => {
    expect(describeCheck(req)).toEqual(expected);
  });
});
