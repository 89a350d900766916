/**
 * Issue 11: the opt-in loading page in a real headless Chromium. A browser navigation to a service
 * with a slow cold start gets the loading page after `loading_page.after`, and the real page
 * replaces it by itself (no click) once the service is ready. Redirects from an app behind
 * strip_prefix stay under the prefix.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../support/docker-fixture.ts';
import { backendListening, startProxy, stopByHand, type ProxyHarness } from '../support/proxy-harness.ts';

const OUTPUT = join(import.meta.dirname, '../../test-results');
let slow: Backend;
let proxy: ProxyHarness;
let browser: Browser;

beforeAll(async () => {
  slow = await createBackend({ name: 'wp-loading', env: { READY_AFTER_MS: '2500' } });
  await backendListening(slow.name);
  await stopByHand(slow.name);
  proxy = await startProxy({
    routes: 'routes:\n  - path: /app\n    service: app\n    strip_prefix: true\n  - path: /shop\n    service: app\n    strip_prefix: true\n    rewrite_cookie_path: true\n  - path: /\n    service: app\n',
    services: `services:\n  app:\n    container: ${slow.name}\n    port: 8080\n    health_check:\n      path: /health\n    loading_page:\n      after: 300ms\n`,
    logLevel: 'info',
  });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
});

afterAll(async () => {
  await browser?.close();
  await proxy?.close();
  await slow?.remove();
});

describe('a browser navigating to a service that is still starting', () => {
  it('sees the loading page, then the real page replaces it without a click', async () => {
    const page = await browser.newPage();
    const statuses: number[] = [];
    page.on('response', (r) => statuses.push(r.status()));
    await page.goto(`${proxy.url}/page`, { waitUntil: 'commit' });
    await expect.poll(() => page.title(), { timeout: 10_000 }).toBe('Starting app…');
    await mkdir(OUTPUT, { recursive: true });
    await page.screenshot({ path: join(OUTPUT, 'loading-page.png') });
    await page.waitForSelector('#real', { timeout: 30_000 });
    expect(await page.title()).toBe('real page');
    expect(page.url()).toBe(`${proxy.url}/page`);
    expect(statuses).toEqual([503, 200]);
    expect(proxy.logsWith('loading page shown', 'app')).toHaveLength(1);
    await page.close();
  });
});

describe('an app behind strip_prefix that redirects to its own paths', () => {
  it('is kept under the prefix: Location and Refresh are rewritten, cookie paths only when asked', async () => {
    const app = await fetch(`${proxy.url}/app/redirect?to=/links&refresh=1`, { redirect: 'manual' });
    expect(app.status).toBe(302);
    expect(app.headers.get('location')).toBe('/app/links');
    expect(app.headers.get('refresh')).toBe('0; url=/app/links');
    expect(app.headers.get('set-cookie')).toBe('sid=1; Path=/; HttpOnly');
    const shop = await fetch(`${proxy.url}/shop/redirect?to=/cart`, { redirect: 'manual' });
    expect(shop.headers.get('location')).toBe('/shop/cart');
    expect(shop.headers.get('set-cookie')).toBe('sid=1; Path=/shop; HttpOnly');
  });

  it('leaves a redirect that already honours X-Forwarded-Prefix alone', async () => {
    const res = await fetch(`${proxy.url}/app/redirect?to=/app/links`, { redirect: 'manual' });
    expect(res.headers.get('location')).toBe('/app/links');
  });
});
