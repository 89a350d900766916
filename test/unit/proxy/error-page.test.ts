import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { escapeHtml, prefersHtml, renderErrorPage } from '../../../src/proxy/error-page.ts';
import { FakeServiceHandle } from '../../support/fake-service-handle.ts';
import { startUpstream, type TestUpstream } from '../../support/upstream.ts';
import { rawExchange, startProxy, type TestProxy } from './harness.ts';

const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';

describe('prefersHtml', () => {
  it.each<[string | undefined, boolean]>([
    [BROWSER, true],
    ['text/html', true],
    ['*/*', false],
    [undefined, false],
    ['application/json', false],
    ['application/json, text/html;q=0.5', false],
    ['text/html;q=0.9, application/problem+json;q=0.9', true],
    ['text/html;q=0', false],
  ])('%s → %s', (accept, expected) => {
    expect(prefersHtml(accept)).toBe(expected);
  });
});

describe('renderErrorPage', () => {
  it('escapes everything and says when to retry', () => {
    const page = renderErrorPage({ type: 'about:blank', title: 'Service Unavailable', status: 503, code: 'WP_HOLD_QUEUE_FULL', detail: 'host "<x>" & more' }, '3');
    expect(page).toContain('<h1>503 Service Unavailable</h1>');
    expect(page).toContain('host &quot;&lt;x&gt;&quot; &amp; more');
    expect(page).toContain('Try again in 3 seconds.');
    expect(escapeHtml(`<'">&`)).toBe('&lt;&#39;&quot;&gt;&amp;');
  });
});

let upstream: TestUpstream;
let proxy: TestProxy | null = null;

beforeEach(async () => {
  upstream = await startUpstream();
  const handle = new FakeServiceHandle('api', upstream.upstream);
  handle.wakeNow();
  proxy = await startProxy([{ path: '/api', service: 'api' }], [handle]);
});

afterEach(async () => {
  await proxy?.close();
  proxy = null;
  await upstream.close();
});

describe('errors at the proxy edge', () => {
  it('gives a browser an HTML page and an API client problem+json, both showing the Host it sent', async () => {
    const port = proxy?.port ?? 0;
    const page = await rawExchange(port, `GET /nowhere HTTP/1.1\r\nHost: shop.example\r\nAccept: ${BROWSER}\r\nConnection: close\r\n\r\n`);
    expect(page).toMatch(/^HTTP\/1\.1 404 /);
    expect(page).toMatch(/\r\ncontent-type: text\/html; charset=utf-8\r\n/i);
    expect(page).toContain('no route for host &quot;shop.example&quot;');
    const api = await rawExchange(port, 'GET /nowhere HTTP/1.1\r\nHost: 10.1.2.3:8080\r\nConnection: close\r\n\r\n');
    expect(api).toMatch(/\r\ncontent-type: application\/problem\+json\r\n/i);
    expect(api).toContain('"detail":"no route for host \\"10.1.2.3:8080\\" and path \\"/nowhere\\""');
  });

  it('answers CONNECT with 405 and an Allow header instead of closing the connection', async () => {
    const answer = await rawExchange(proxy?.port ?? 0, 'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 405 Method Not Allowed\r\n/);
    expect(answer).toMatch(/\r\nallow: GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS\r\n/i);
    expect(answer).toContain('"code":"WP_METHOD_NOT_ALLOWED"');
  });

  it('refuses TRACE with 405 and never forwards it', async () => {
    const answer = await rawExchange(proxy?.port ?? 0, 'TRACE /api/x HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 405 /);
    expect(upstream.hits()).toBe(0);
  });
});
