/**
 * Issue 14: configuration changed without a restart. Editing routes.yml adds a route that is
 * served at once (the file is watched); a broken edit keeps the running configuration and logs
 * the problem with its file, line and column; POST /config/reload answers what changed; a service
 * removed from services.yml is left running, never stopped by the reload. SIGHUP reloads a real
 * `wake-proxy` process the same way.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerState, createBackend, type Backend } from '../support/docker-fixture.ts';
import { eventually } from '../support/eventually.ts';
import { freePort } from '../support/free-port.ts';
import { backendListening, startProxy, type LogLine, type ProxyHarness } from '../support/proxy-harness.ts';

const ROOT = join(import.meta.dirname, '../..');
let web: Backend;
let extra: Backend;
let dir: string;
let proxy: ProxyHarness;

const services = (names: Record<string, string>): string =>
  `services:\n${Object.entries(names)
    .map(([name, container]) => `  ${name}:\n    container: ${container}\n    port: 8080\n    health_check:\n      path: /health\n`)
    .join('')}`;

async function status(path: string): Promise<number> {
  const res = await fetch(`${proxy.url}${path}`);
  await res.arrayBuffer();
  return res.status;
}

beforeAll(async () => {
  [web, extra] = await Promise.all([createBackend({ name: 'wp-reload-web' }), createBackend({ name: 'wp-reload-extra' })]);
  await Promise.all([backendListening(web.name), backendListening(extra.name)]);
  dir = await mkdtemp(join(tmpdir(), 'wake-proxy-reload-'));
  proxy = await startProxy({
    configDir: dir,
    routes: 'routes:\n  - path: /web\n    service: web\n',
    services: services({ web: web.name }),
    logLevel: 'info',
  });
});

afterAll(async () => {
  await proxy?.close();
  await Promise.all([web?.remove(), extra?.remove()]);
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('a running proxy whose files change', () => {
  it('serves a route added to routes.yml, with a service added to services.yml, without a restart', async () => {
    expect(await status('/extra')).toBe(404);
    await writeFile(join(dir, 'services.yml'), services({ web: web.name, extra: extra.name }));
    await writeFile(join(dir, 'routes.yml'), 'routes:\n  - path: /web\n    service: web\n  - path: /extra\n    service: extra\n');
    await eventually(async () => expect(await status('/extra')).toBe(200), { timeoutMs: 10_000, intervalMs: 100 });
    const reloaded = proxy.logsWith('configuration reloaded').at(-1);
    expect(reloaded).toMatchObject({ cause: 'file', routesAdded: ['/extra'] });
  });

  it('keeps serving the old configuration after a broken edit, and logs where the problem is', async () => {
    const before = proxy.logsWith('configuration reload refused: the running configuration stays').length;
    await writeFile(join(dir, 'services.yml'), services({ web: web.name, extra: extra.name }).replace('port: 8080', 'port: eighty'));
    const refused = await eventually(
      () => {
        const line = proxy.logsWith('configuration reload refused: the running configuration stays')[before];
        if (line === undefined) throw new Error('no refusal logged yet');
        return line;
      },
      { timeoutMs: 10_000, intervalMs: 100 },
    );
    expect((refused['issues'] as string[]).join('\n')).toMatch(/services\.yml:\d+:\d+ services\.web\.port: /);
    expect(await status('/web')).toBe(200);
    expect(await status('/extra')).toBe(200);
  });

  it('answers POST /config/reload with what changed, and leaves a removed service running', async () => {
    await writeFile(join(dir, 'services.yml'), services({ web: web.name }));
    await writeFile(join(dir, 'routes.yml'), 'routes:\n  - path: /web\n    service: web\n');
    const res = await fetch(`${proxy.adminUrl}/config/reload`, { method: 'POST' });
    const body = (await res.json()) as { ok: boolean };
    expect(res.status).toBe(200);
    expect(body.ok).toBe(true);
    await eventually(async () => expect(await status('/extra')).toBe(404), { timeoutMs: 10_000, intervalMs: 100 });
    expect(await containerState(extra.name)).toBe('running');
    expect(proxy.calls.count('stop', extra.name) + proxy.calls.count('pause', extra.name)).toBe(0);
  });
});

describe('SIGHUP to a real wake-proxy process', () => {
  let child: ChildProcess | undefined;
  const lines: LogLine[] = [];

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child?.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  });

  it('reloads the files, keeps the old configuration on a broken edit, and keeps running', async () => {
    const hupDir = await mkdtemp(join(tmpdir(), 'wake-proxy-hup-'));
    const routes = join(hupDir, 'routes.yml');
    const servicesPath = join(hupDir, 'services.yml');
    await writeFile(routes, 'routes:\n  - path: /web\n    service: web\n');
    await writeFile(servicesPath, services({ web: web.name }));
    child = spawn(
      join(ROOT, 'node_modules/.bin/node'),
      [join(ROOT, 'src/main.ts'), '--routes', routes, '--services', servicesPath, '--port', String(await freePort()), '--admin-port', '0', '--host', '127.0.0.1'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    let buffer = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let end: number;
      while ((end = buffer.indexOf('\n')) !== -1) {
        const text = buffer.slice(0, end);
        buffer = buffer.slice(end + 1);
        if (text.startsWith('{')) lines.push(JSON.parse(text) as LogLine);
      }
    });
    const listening = await eventually(
      () => {
        const line = lines.find((l) => l.msg === 'wake-proxy listening');
        if (line === undefined) throw new Error(`not listening yet ${stderr}`);
        return line;
      },
      { timeoutMs: 20_000, intervalMs: 100 },
    );
    const url = `http://127.0.0.1:${String(listening['port'])}`;
    await writeFile(routes, 'routes:\n  - path: /web\n    service: web\n  - path: /also\n    service: web\n');
    child.kill('SIGHUP');
    await eventually(async () => expect((await fetch(`${url}/also`)).status).toBe(200), { timeoutMs: 10_000, intervalMs: 100 });
    await writeFile(routes, 'routes:\n  - path: /web\n    servce: web\n');
    child.kill('SIGHUP');
    await eventually(() => expect(lines.some((l) => l.msg === 'configuration reload refused: the running configuration stays')).toBe(true), {
      timeoutMs: 10_000,
      intervalMs: 100,
    });
    expect((await fetch(`${url}/also`)).status).toBe(200);
    expect(child.exitCode).toBeNull();
    await rm(hupDir, { recursive: true, force: true });
  });
});
