import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { checkRequestHead } from '../../../src/proxy/request-head.ts';

function request(version: string, rawHeaders: string[]): IncomingMessage {
  const [major, minor] = version.split('.').map(Number);
  const headers: Record<string, string> = {};
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] ?? '').toLowerCase();
    headers[name] ??= rawHeaders[i + 1] ?? '';
  }
  return {
    httpVersion: version,
    httpVersionMajor: major,
    httpVersionMinor: minor,
    rawHeaders,
    headers,
    socket: { localAddress: '127.0.0.1', localPort: 8080 },
  } as unknown as IncomingMessage;
}

describe('checkRequestHead', () => {
  it.each([
    ['1.1', ['Host', 'example.com'], 'example.com'],
    ['1.1', ['host', 'example.com:8080'], 'example.com:8080'],
    ['1.1', ['Host', '[::1]:8080'], '[::1]:8080'],
    ['1.1', ['Host', '10.0.0.1'], '10.0.0.1'],
    ['1.0', [], '127.0.0.1:8080'],
    ['1.1', ['Host', ''], '127.0.0.1:8080'],
  ])('HTTP/%s with %j sends Host %s upstream', (version, raw, expected) => {
    expect(checkRequestHead(request(version, raw))).toBe(expected);
  });

  it.each([
    ['1.1', ['Host', '[::1']],
    ['1.1', ['Host', 'a b']],
    ['1.1', ['Host', 'user@example.com']],
    ['1.1', ['Host', 'example.com:80x']],
    ['1.1', ['Host', 'a', 'Host', 'b']],
    ['1.1', ['Host', 'a', 'HOST', 'a']],
  ])('HTTP/%s with %j is refused with WP_BAD_REQUEST', (version, raw) => {
    expect(() => checkRequestHead(request(version, raw))).toThrow(expect.objectContaining({ code: 'WP_BAD_REQUEST' }));
  });

  it.each(['0.9', '2.0', '1.2'])('HTTP/%s is refused with WP_HTTP_VERSION', (version) => {
    expect(() => checkRequestHead(request(version, ['Host', 'a']))).toThrow(
      expect.objectContaining({ code: 'WP_HTTP_VERSION' }),
    );
  });
});
