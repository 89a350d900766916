/**
 * Issue 15: the status page at GET / on the admin port, in a real headless Chromium (Debian's
 * chromium, driven by playwright-core). It lists the services, follows the event stream so a wake
 * through the proxy shows up without a reload, and its buttons act. A screenshot is written to
 * test-results/status-page.png.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerState, createBackend, type Backend } from '../support/docker-fixture.ts';
import { eventually } from '../support/eventually.ts';
import { backendListening, pauseByHand, startProxy, type ProxyHarness } from '../support/proxy-harness.ts';

const OUTPUT = join(import.meta.dirname, '../../test-results');
let backend: Backend;
let proxy: ProxyHarness;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  backend = await createBackend({ name: 'wp-page' });
  await backendListening(backend.name);
  await pauseByHand(backend.name);
  proxy = await startProxy({
    routes: 'routes:\n  - path: /\n    service: app\n',
    services: `services:\n  app:\n    container: ${backend.name}\n    port: 8080\n    health_check:\n      path: /health\n`,
    logLevel: 'info',
  });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  page = await browser.newPage({ viewport: { width: 1280, height: 400 } });
});

afterAll(async () => {
  await browser?.close();
  await proxy?.close();
  await backend?.remove();
});

const stateCell = (): ReturnType<Page['locator']> => page.locator('tr[data-service="app"] .state');

describe('the status page', () => {
  it('lists the services with their state', async () => {
    await page.goto(proxy.adminUrl);
    await expect.poll(() => stateCell().textContent(), { timeout: 5_000 }).toBe('SLEEPING');
    await expect.poll(() => page.locator('#live').textContent(), { timeout: 5_000 }).toBe('live');
  });

  it('shows a wake made through the proxy without a reload', async () => {
    const navigations: string[] = [];
    page.on('framenavigated', (frame) => navigations.push(frame.url()));
    const res = await fetch(`${proxy.url}/from-the-outside`);
    expect(res.status).toBe(200);
    await res.arrayBuffer();
    // The page's fallback refresh runs every 5 s: only the event stream can show it sooner.
    await expect.poll(() => stateCell().textContent(), { timeout: 3_000, interval: 50 }).toBe('RUNNING');
    // The transition arrives first (state RUNNING); the wake's own event, with its figures, right after.
    const lastWake = page.locator('tr[data-service="app"] td').nth(3);
    await expect.poll(() => lastWake.textContent(), { timeout: 3_000, interval: 50 }).toMatch(/from SLEEPING/);
    expect(navigations).toEqual([]);
    await mkdir(OUTPUT, { recursive: true });
    await page.screenshot({ path: join(OUTPUT, 'status-page.png'), fullPage: true });
  });

  it('puts the service to sleep with its sleep button', async () => {
    await page.locator('tr[data-service="app"] button[data-verb="sleep"]').click();
    await eventually(async () => expect(await containerState(backend.name)).toBe('paused'), { timeoutMs: 10_000 });
    await expect.poll(() => stateCell().textContent(), { timeout: 5_000 }).toBe('SLEEPING');
  });

  it('shows the last of several events that arrive while it reads the services', async () => {
    // A page whose clock stands still has no fallback refresh. One read of /services is answered
    // from before the wake and only after it: the wake's events all arrive while that read is in
    // flight, and the page must read again to show them.
    const slow = await browser.newPage({ viewport: { width: 1280, height: 400 } });
    try {
      await slow.clock.install();
      let holdNext: Promise<unknown> | null = null;
      await slow.route('**/services', async (route) => {
        const response = await route.fetch();
        const hold = holdNext;
        holdNext = null;
        if (hold !== null) await hold;
        await route.fulfill({ response });
      });
      await slow.goto(proxy.adminUrl);
      await slow.clock.pauseAt(Date.now() + 600_000);
      await expect.poll(() => slow.locator('#live').textContent(), { timeout: 5_000 }).toBe('live');
      const counts = slow.locator('tr[data-service="app"] td').nth(6);
      await expect.poll(() => counts.textContent(), { timeout: 5_000 }).toBe('1 / 1 / 0');

      let woken!: () => void;
      holdNext = new Promise<void>((resolve) => (woken = resolve));
      const held = slow.waitForRequest('**/services');
      await slow.evaluate('void refresh()');
      await held;
      const res = await fetch(`${proxy.url}/once-more`);
      expect(res.status).toBe(200);
      await res.arrayBuffer();
      // The wake's events reach the page over the stream; give them a moment before the stale answer.
      await new Promise((resolve) => setTimeout(resolve, 500));
      woken();
      await expect.poll(() => counts.textContent(), { timeout: 5_000, interval: 50 }).toBe('2 / 1 / 0');
      expect(await slow.locator('tr[data-service="app"] .state').textContent()).toBe('RUNNING');
    } finally {
      await slow.close();
    }
  });
});
