import { describe, expect, it } from 'vitest';
import {
  forwardedHeaders,
  toClientHeaders,
  toUpgradeHeaders,
  toUpstreamHeaders,
  withoutHopByHop,
  type ForwardedContext,
} from '../../../src/proxy/headers.ts';

const plain: ForwardedContext = { clientAddress: '10.0.0.7', proto: 'http', strippedPrefix: null };

describe('withoutHopByHop', () => {
  it.each([
    ['connection', 'keep-alive'],
    ['keep-alive', 'timeout=5'],
    ['proxy-connection', 'keep-alive'],
    ['transfer-encoding', 'chunked'],
    ['te', 'trailers'],
    ['trailer', 'x-checksum'],
    ['upgrade', 'h2c'],
    ['proxy-authorization', 'Basic eA=='],
    ['proxy-authenticate', 'Basic'],
    ['http2-settings', 'AAMAAABkAAQAAP__'],
    ['expect', '100-continue'],
  ])('drops %s', (name, value) => {
    expect(withoutHopByHop({ [name]: value, accept: '*/*' })).toEqual({ accept: '*/*' });
  });

  it('drops every header the Connection header names, in any case and spacing', () => {
    const out = withoutHopByHop({ connection: 'close, X-Private ,x-other', 'x-private': 'a', 'x-other': 'b', 'x-kept': 'c' });
    expect(out).toEqual({ 'x-kept': 'c' });
  });

  it('keeps end-to-end headers, arrays included, and lower-cases names', () => {
    const out = withoutHopByHop({ Host: 'a.example', 'set-cookie': ['a=1', 'b=2'], 'content-length': '3', skip: undefined });
    expect(out).toEqual({ host: 'a.example', 'set-cookie': ['a=1', 'b=2'], 'content-length': '3' });
  });
});

describe('forwardedHeaders', () => {
  it.each<[string, Record<string, string | string[]>, ForwardedContext, Record<string, string>]>([
    ['sets all from scratch', { host: 'app.example:8080' }, plain, {
      'x-forwarded-for': '10.0.0.7', 'x-forwarded-proto': 'http', 'x-forwarded-host': 'app.example:8080',
    }],
    ['appends to an existing X-Forwarded-For chain', { host: 'h', 'x-forwarded-for': '1.1.1.1, 2.2.2.2' }, plain, {
      'x-forwarded-for': '1.1.1.1, 2.2.2.2, 10.0.0.7', 'x-forwarded-proto': 'http', 'x-forwarded-host': 'h',
    }],
    ['keeps https set by a TLS proxy in front', { host: 'h', 'x-forwarded-proto': 'HTTPS' }, plain, {
      'x-forwarded-for': '10.0.0.7', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'h',
    }],
    ['ignores a nonsense proto', { host: 'h', 'x-forwarded-proto': 'gopher' }, plain, {
      'x-forwarded-for': '10.0.0.7', 'x-forwarded-proto': 'http', 'x-forwarded-host': 'h',
    }],
    ['replaces a client-sent X-Forwarded-Host with the Host header', { host: 'h', 'x-forwarded-host': 'evil.example' }, plain, {
      'x-forwarded-for': '10.0.0.7', 'x-forwarded-proto': 'http', 'x-forwarded-host': 'h',
    }],
    ['adds the stripped prefix', { host: 'h' }, { ...plain, strippedPrefix: '/api' }, {
      'x-forwarded-for': '10.0.0.7', 'x-forwarded-proto': 'http', 'x-forwarded-host': 'h', 'x-forwarded-prefix': '/api',
    }],
    ['names an unknown client', { host: 'h' }, { ...plain, clientAddress: undefined }, {
      'x-forwarded-for': 'unknown', 'x-forwarded-proto': 'http', 'x-forwarded-host': 'h',
    }],
  ])('%s', (_name, incoming, ctx, expected) => {
    expect(forwardedHeaders(incoming, ctx)).toEqual(expected);
  });
});

describe('toUpstreamHeaders', () => {
  it('keeps Host, drops hop-by-hop and Expect, adds X-Forwarded-*', () => {
    const out = toUpstreamHeaders(
      { host: 'app.example', connection: 'keep-alive', expect: '100-continue', 'content-length': '5', 'user-agent': 'curl' },
      { ...plain, strippedPrefix: '/app' },
    );
    expect(out).toEqual({
      host: 'app.example',
      'content-length': '5',
      'user-agent': 'curl',
      'x-forwarded-for': '10.0.0.7',
      'x-forwarded-proto': 'http',
      'x-forwarded-host': 'app.example',
      'x-forwarded-prefix': '/app',
    });
  });
});

describe('toUpgradeHeaders', () => {
  it('keeps the upgrade request itself and drops the other hop-by-hop headers', () => {
    const out = toUpgradeHeaders({
      host: 'h', connection: 'keep-alive, Upgrade', upgrade: 'websocket', 'proxy-authorization': 'x', 'sec-websocket-key': 'k',
    });
    expect(out).toEqual({ host: 'h', connection: 'upgrade', upgrade: 'websocket', 'sec-websocket-key': 'k' });
  });
});

describe('toClientHeaders', () => {
  it('strips hop-by-hop headers from the upstream response and keeps the rest', () => {
    const out = toClientHeaders({
      'content-type': 'text/plain', 'transfer-encoding': 'chunked', connection: 'keep-alive', 'keep-alive': 'timeout=5', 'set-cookie': ['a=1'],
    });
    expect(out).toEqual({ 'content-type': 'text/plain', 'set-cookie': ['a=1'] });
  });
});
