import { describe, expect, it } from 'vitest';
import {
  forwardedHeaders,
  listToObject,
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
  it('sets Host first, drops hop-by-hop and Expect, adds X-Forwarded-*, as one flat list', () => {
    const out = toUpstreamHeaders(
      { host: 'app.example', connection: 'keep-alive', expect: '100-continue', 'content-length': '5', 'user-agent': 'curl' },
      { ...plain, strippedPrefix: '/app' },
      'app.example',
    );
    expect(out).toEqual([
      'host', 'app.example',
      'content-length', '5',
      'user-agent', 'curl',
      'x-forwarded-for', '10.0.0.7',
      'x-forwarded-proto', 'http',
      'x-forwarded-host', 'app.example',
      'x-forwarded-prefix', '/app',
    ]);
  });

  it('replaces what this hop sets, keeps a client X-Forwarded-Prefix when nothing was stripped', () => {
    const out = toUpstreamHeaders(
      { host: 'a', 'x-forwarded-for': '1.2.3.4', 'x-forwarded-host': 'evil', 'x-forwarded-prefix': '/outer', constructor: 'kept' },
      plain,
      'upstream-authority',
    );
    expect(listToObject(out)).toEqual({
      'x-forwarded-prefix': '/outer',
      constructor: 'kept',
      'x-forwarded-for': '1.2.3.4, 10.0.0.7',
      'x-forwarded-proto': 'http',
      'x-forwarded-host': 'a',
      host: 'upstream-authority',
    });
    expect(out.filter((_v, i) => i % 2 === 0 && out[i] === 'host')).toHaveLength(1);
  });

  it('sends a repeated header once per value', () => {
    const out = toUpstreamHeaders({ host: 'a', 'x-multi': ['1', '2'] }, plain, 'a');
    expect(out.slice(0, 6)).toEqual(['host', 'a', 'x-multi', '1', 'x-multi', '2']);
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
  it('strips hop-by-hop headers from the upstream response and keeps the rest, as one flat list', () => {
    const out = toClientHeaders({
      'content-type': 'text/plain', 'transfer-encoding': 'chunked', connection: 'keep-alive', 'keep-alive': 'timeout=5', 'set-cookie': ['a=1', 'b=2'],
    });
    expect(out).toEqual(['content-type', 'text/plain', 'set-cookie', 'a=1', 'set-cookie', 'b=2']);
  });

  it.each(['close', 'Keep-Alive', 'keep-alive, x-private', 'X-Private'])('drops what Connection: %s lists', (connection) => {
    const out = listToObject(toClientHeaders({ connection, 'x-private': 'p', 'x-kept': 'k' }));
    expect(out).toEqual(connection.toLowerCase().includes('x-private') ? { 'x-kept': 'k' } : { 'x-private': 'p', 'x-kept': 'k' });
  });
});

describe('listToObject', () => {
  it('joins a repeated name into one array, in order', () => {
    expect(listToObject(['a', '1', 'b', '2', 'a', '3', 'a', '4'])).toEqual({ a: ['1', '3', '4'], b: '2' });
  });
});
