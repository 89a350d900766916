import { describe, expect, it } from 'vitest';
import { BadRequestPathError } from '../../../src/errors.ts';
import { decodePathSegment, hasSegmentPrefix, parseRequestTarget, stripPrefix } from '../../../src/proxy/request-path.ts';

describe('parseRequestTarget', () => {
  it.each([
    ['/', '/', ''],
    ['/api/items', '/api/items', ''],
    ['/api/items?x=1&y=%2F..', '/api/items', '?x=1&y=%2F..'],
    ['/.well-known/acme', '/.well-known/acme', ''],
    ['/files/a..b/...', '/files/a..b/...', ''],
    ['/caf%C3%A9', '/caf%C3%A9', ''],
    ['/a//b', '/a//b', ''],
    ["/a:b@c!$&'()*+,;=~", "/a:b@c!$&'()*+,;=~", ''],
  ])('accepts %s', (url, path, search) => {
    expect(parseRequestTarget(url)).toEqual({ path, search });
  });

  it.each([
    [undefined, 'empty'],
    ['', 'empty'],
    ['*', 'origin-form'],
    ['http://other.example/', 'origin-form'],
    ['other.example:443', 'origin-form'],
    ['/..', 'dot segment'],
    ['/api/../admin', 'dot segment'],
    ['/api/./x', 'dot segment'],
    ['/api/.', 'dot segment'],
    ['/api/%2e%2e/admin', 'dot segment'],
    ['/api/%2E./admin', 'dot segment'],
    ['/api/.%2e', 'dot segment'],
    ['/api%2fadmin', 'encoded slash'],
    ['/api%2Fadmin', 'encoded slash'],
    ['/api%5cadmin', 'encoded slash'],
    ['/api%00', 'encoded slash, backslash or NUL'],
    ['/api\\admin', 'normalisation'],
    ['/api\0', 'normalisation'],
    ['/a b', 'normalisation'],
    ['/café', 'normalisation'],
    ['/a#frag', 'normalisation'],
    ['/a%zz', 'malformed'],
    ['/a%2', 'malformed'],
  ])('refuses %j (%s)', (url, reason) => {
    let caught: unknown;
    try {
      parseRequestTarget(url);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(BadRequestPathError);
    expect((caught as Error).message).toContain(reason);
  });
});

describe('stripPrefix', () => {
  it.each([
    ['/api', '/api', '/'],
    ['/api/', '/api', '/'],
    ['/api/x', '/api', '/x'],
    ['/api/x?y=1', '/api', '/x?y=1'],
    ['/api?y=1', '/api', '/?y=1'],
    ['/apix', '/api', '/apix'],
    ['/other', '/api', '/other'],
    ['/x?y', '/', '/x?y'],
    ['/a/b/c', '/a/b', '/c'],
  ])('strips %s with prefix %s to %s', (target, prefix, expected) => {
    expect(stripPrefix(target, prefix)).toBe(expected);
  });
});

describe('hasSegmentPrefix', () => {
  it.each([
    ['/api', '/api', true],
    ['/api/', '/api', true],
    ['/api/x', '/api', true],
    ['/apix', '/api', false],
    ['/anything', '/', true],
    ['/health/live', '/health/', true],
    ['/health', '/health/', true],
    ['/healthz', '/health/', false],
    ['/ap', '/api', false],
  ])('%s under %s is %s', (path, prefix, expected) => {
    expect(hasSegmentPrefix(path, prefix)).toBe(expected);
  });
});

describe('decodePathSegment', () => {
  it.each([
    ['api', 'api'],
    ['%61pi', 'api'],
    ['caf%C3%A9', 'café'],
  ])('decodes %s to %s', (segment, expected) => {
    expect(decodePathSegment(segment)).toBe(expected);
  });

  it.each(['%zz', '%E0%A4%A', '%', '%E0%A4', '%FF'])('refuses %s with WP_BAD_REQUEST_PATH', (segment) => {
    expect(() => decodePathSegment(segment)).toThrow(expect.objectContaining({ code: 'WP_BAD_REQUEST_PATH' }));
  });
});
