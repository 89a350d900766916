/**
 * Issue 9: the real deployment. The project's Dockerfile, unchanged, is built on a base image this
 * machine assembles itself (test/support/images/node-base/), then docker-compose.example.yml runs
 * with Debian's docker-compose 1.29. The example is rewritten only where a shared CI engine needs
 * it: local stand-in images (the backend test image listening on each service's port), random
 * loopback host ports, test labels. Everything else (group_add, read-only, no published backend
 * ports, the /config mounts, the example routes.yml and services.yml) is the example's own.
 * The proxy container finds its compose project, wakes a paused and a stopped backend, turns
 * healthy, and on `docker stop` lets an in-flight response finish and answers a held request.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { ensureBackendImage, testDocker, testLabels, uniqueName } from '../support/docker-fixture.ts';
import { eventually } from '../support/eventually.ts';
import { buildAppImage } from '../support/images/app/build-app-image.ts';
import { ensureServersImage } from '../support/images/servers/build-servers-image.ts';

const run = promisify(execFile);
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const TOKEN = 'deployment-test-admin-token-0123';
/** Port each stand-in listens on: the ports the example services.yml names. */
const SERVICE_PORTS: Readonly<Record<string, string>> = { api: '8080', db: '5432', grafana: '3000', web: '80' };

type ComposeService = Record<string, unknown>;
let dir: string;
let composeFile: string;
const project = uniqueName('wpdeploy').replace(/-/g, '');
let env: NodeJS.ProcessEnv;
let proxyUrl: string;
let adminUrl: string;

function compose(...args: string[]): Promise<{ stdout: string }> {
  return run('docker-compose', ['-p', project, '-f', composeFile, '--project-directory', ROOT, ...args], {
    env,
    timeout: 120_000,
    maxBuffer: 16 * 1024 * 1024,
  });
}

async function containerOf(service: string): Promise<string> {
  const { stdout } = await compose('ps', '-q', service);
  const id = stdout.trim();
  if (id === '') throw new Error(`compose has no container for ${service}`);
  return id;
}

async function publishedUrl(port: string): Promise<string> {
  const { stdout } = await compose('port', 'wake-proxy', port);
  return `http://${stdout.trim()}`;
}

async function admin(path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${adminUrl}${path}`, { ...init, headers: { authorization: `Bearer ${TOKEN}` }, signal: AbortSignal.timeout(10_000) });
}

async function stateOf(service: string): Promise<{ state: string; transition: string | null }> {
  const res = await admin(`/services/${service}`);
  return (await res.json()) as { state: string; transition: string | null };
}

/** The example with stand-in images, random loopback ports and test labels; nothing else changed. */
async function rewriteExample(appImage: string, backendImage: string, serversImage: string): Promise<string> {
  const doc = parse(await readFile(join(ROOT, 'docker-compose.example.yml'), 'utf8')) as { services: Record<string, ComposeService> };
  for (const [name, service] of Object.entries(doc.services)) {
    service['labels'] = testLabels();
    if (name === 'wake-proxy') {
      delete service['build'];
      service['image'] = appImage;
      service['ports'] = ['127.0.0.1::8080', '127.0.0.1::8081'];
      continue;
    }
    delete service['command'];
    delete service['deploy']; // the real software's limits, not the stand-in's
    service['init'] = true;
    if (name === 'db') {
      // db (port 5432) is probed as PostgreSQL: its stand-in is Debian's PostgreSQL.
      service['image'] = serversImage;
      service['environment'] = { SERVER: 'postgres' };
      continue;
    }
    service['image'] = backendImage;
    // grafana starts slowly, so a request to it is still held when the proxy is stopped.
    service['environment'] = { PORT: SERVICE_PORTS[name] ?? '8080', ...(name === 'grafana' ? { START_DELAY_MS: '2500' } : {}) };
  }
  return stringify(doc);
}

beforeAll(async () => {
  const [app, backendImage, serversImage] = await Promise.all([buildAppImage(), ensureBackendImage(), ensureServersImage()]);
  process.stderr.write(`container-deployment: base image ${app.baseMs} ms, docker build ${app.buildMs} ms\n`);
  dir = await mkdtemp(join(tmpdir(), 'wake-proxy-compose-'));
  composeFile = join(dir, 'docker-compose.yml');
  await writeFile(composeFile, await rewriteExample(app.tag, backendImage, serversImage));
  const gid = (await stat('/var/run/docker.sock')).gid;
  env = { ...process.env, DOCKER_GID: String(gid), WAKE_PROXY_ADMIN_TOKEN: TOKEN };
  await compose('up', '-d', '--no-build');
  proxyUrl = await publishedUrl('8080');
  adminUrl = await publishedUrl('8081');
  await eventually(
    async () => {
      const res = await fetch(`${adminUrl}/healthz`, { signal: AbortSignal.timeout(1_000) });
      if (res.status !== 200) throw new Error(`healthz ${res.status}`);
    },
    { timeoutMs: 30_000, intervalMs: 200 },
  );
}, 240_000);

afterAll(async () => {
  if (composeFile) await compose('down', '-v', '--remove-orphans', '-t', '2').catch(() => undefined);
  if (dir) await rm(dir, { recursive: true, force: true });
}, 60_000);

describe('the image built from the Dockerfile, run by docker-compose.example.yml', () => {
  it('runs as the unprivileged user node and logs the files it loaded and its compose project', async () => {
    const id = await containerOf('wake-proxy');
    const info = await testDocker().getContainer(id).inspect();
    expect(info.Config.User).toBe('node');
    const { stdout } = await run('docker', ['logs', id]);
    const lines = stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.find((l) => l['msg'] === 'configuration loaded')).toMatchObject({ routes: '/config/routes.yml', services: '/config/services.yml' });
    expect(lines.find((l) => l['msg'] === 'running in a container')).toMatchObject({ composeProject: project });
    // The image preloads jemalloc (README, "Memory"); the process's own mappings say it took.
    expect(lines.find((l) => l['msg'] === 'wake-proxy listening')).toMatchObject({ allocator: 'jemalloc' });
  });

  it('publishes no backend port', async () => {
    for (const service of Object.keys(SERVICE_PORTS)) {
      const info = await testDocker().getContainer(await containerOf(service)).inspect();
      expect(Object.values(info.NetworkSettings.Ports ?? {}).flat().filter(Boolean), service).toEqual([]);
    }
  });

  it('asks admin callers outside the container for the token', async () => {
    const res = await fetch(`${adminUrl}/services`);
    expect(res.status).toBe(401);
    await res.arrayBuffer();
    expect((await admin('/services')).status).toBe(200);
  });

  it('wakes a paused backend', async () => {
    await testDocker().getContainer(await containerOf('api')).pause();
    await eventually(async () => expect((await stateOf('api')).state).toBe('SLEEPING'), { timeoutMs: 10_000 });
    const res = await fetch(`${proxyUrl}/api/hello`);
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/^hello from /);
    expect((await stateOf('api')).state).toBe('RUNNING');
  });

  it('wakes a stopped backend', async () => {
    await testDocker().getContainer(await containerOf('grafana')).stop({ t: 2 });
    await eventually(async () => expect((await stateOf('grafana')).state).toBe('STOPPED'), { timeoutMs: 10_000 });
    const res = await fetch(`${proxyUrl}/grafana/hello`);
    expect(res.status).toBe(200);
    await res.text();
    expect((await stateOf('grafana')).state).toBe('RUNNING');
  });

  it('turns healthy by its HEALTHCHECK', async () => {
    const id = await containerOf('wake-proxy');
    await eventually(
      async () => {
        const info = await testDocker().getContainer(id).inspect();
        expect(info.State.Health?.Status).toBe('healthy');
      },
      { timeoutMs: 45_000, intervalMs: 500 },
    );
  });

  it('on docker stop, finishes an in-flight response, answers a held request and exits 0', async () => {
    await testDocker().getContainer(await containerOf('grafana')).stop({ t: 2 });
    await eventually(async () => expect((await stateOf('grafana')).state).toBe('STOPPED'), { timeoutMs: 10_000 });
    const inFlight = fetch(`${proxyUrl}/api/slow?ms=1500`).then(async (r) => [r.status, await r.text()] as const);
    const held = fetch(`${proxyUrl}/grafana/held`).then(async (r) => [r.status, await r.text()] as const);
    await eventually(async () => expect((await stateOf('grafana')).transition).toBe('waking'), { timeoutMs: 5_000, intervalMs: 50 });
    const id = await containerOf('wake-proxy');
    await testDocker().getContainer(id).stop({ t: 10 });
    expect(await inFlight).toEqual([200, 'slow done']);
    const [status, body] = await held;
    expect(status).toBe(503);
    expect(JSON.parse(body)).toMatchObject({ code: 'WP_SHUTTING_DOWN' });
    const info = await testDocker().getContainer(id).inspect();
    expect(info.State.ExitCode).toBe(0);
  });
});
