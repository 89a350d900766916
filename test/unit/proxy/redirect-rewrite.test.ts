import { describe, expect, it } from 'vitest';
import { rewriteCookiePath, rewriteReference, rewriteRefresh, rewriteResponseHeaders } from '../../../src/proxy/redirect-rewrite.ts';

const rules = { prefix: '/app', host: 'proxy.example:8080' };

describe('rewriteReference', () => {
  it.each([
    ['/links', '/app/links'],
    ['/', '/app/'],
    ['/links?x=1#top', '/app/links?x=1#top'],
    ['/app/links', '/app/links'],
    ['/app', '/app'],
    ['/application', '/app/application'],
    ['links', 'links'],
    ['../up', '../up'],
    ['//cdn.example/x', '//cdn.example/x'],
    ['http://proxy.example:8080/links', 'http://proxy.example:8080/app/links'],
    ['https://PROXY.example:8080', 'https://PROXY.example:8080/app/'],
    ['http://proxy.example:8080/app/x', 'http://proxy.example:8080/app/x'],
    ['http://elsewhere.example/links', 'http://elsewhere.example/links'],
    ['mailto:someone@example.com', 'mailto:someone@example.com'],
  ])('%s → %s', (value, expected) => {
    expect(rewriteReference(value, rules)).toBe(expected);
  });

  it('leaves absolute URLs alone when the client sent no Host', () => {
    expect(rewriteReference('http://proxy.example:8080/links', { prefix: '/app', host: undefined })).toBe('http://proxy.example:8080/links');
  });
});

describe('rewriteRefresh and rewriteCookiePath', () => {
  it.each([
    ['0; url=/links', '0; url=/app/links'],
    ['5;URL="/links"', '5;URL="/app/links"'],
    ['5', '5'],
  ])('Refresh %s → %s', (value, expected) => {
    expect(rewriteRefresh(value, rules)).toBe(expected);
  });

  it.each([
    ['sid=1; Path=/; HttpOnly', 'sid=1; Path=/app; HttpOnly'],
    ['sid=1; path=/cart', 'sid=1; path=/app/cart'],
    ['sid=1; Path=/app/cart', 'sid=1; Path=/app/cart'],
    ['sid=1; HttpOnly', 'sid=1; HttpOnly'],
  ])('Set-Cookie %s → %s', (value, expected) => {
    expect(rewriteCookiePath(value, '/app')).toBe(expected);
  });
});

describe('rewriteResponseHeaders', () => {
  const headers = { location: '/links', refresh: '1; url=/x', 'set-cookie': ['a=1; Path=/'], 'content-type': 'text/html' };

  it('rewrites redirects, and cookie paths only when asked', () => {
    expect(rewriteResponseHeaders(headers, { ...rules, location: true, cookiePath: false })).toEqual({
      ...headers,
      location: '/app/links',
      refresh: '1; url=/app/x',
    });
    expect(rewriteResponseHeaders(headers, { ...rules, location: false, cookiePath: true })).toEqual({ ...headers, 'set-cookie': ['a=1; Path=/app'] });
  });

  it('does not change the headers it was given', () => {
    rewriteResponseHeaders(headers, { ...rules, location: true, cookiePath: true });
    expect(headers.location).toBe('/links');
  });
});
