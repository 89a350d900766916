/**
 * Issue 9: the admin API answers a client that is not on loopback only with the bearer token.
 * The client is a real container on the default bridge network calling the proxy's admin listener
 * through the bridge's gateway address; the listener listens on 0.0.0.0 for this test only, and
 * the only traffic is between this machine and that container.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend, testDocker, type Backend } from '../support/docker-fixture.ts';
import { backendListening, startProxy, type ProxyHarness } from '../support/proxy-harness.ts';

const run = promisify(execFile);
const TOKEN = 'it-is-a-long-admin-token-0123456789';

let client: Backend;
let gateway: string;
let withToken: ProxyHarness;
let withoutToken: ProxyHarness;

interface Answer {
  readonly status: number;
  readonly wwwAuthenticate: string | null;
  readonly contentType: string | null;
  readonly body: string;
}

/** Runs fetch inside the client container (the backend image has Node) and returns what it saw. */
async function fromContainer(url: string, init: { method?: string; token?: string } = {}): Promise<Answer> {
  const script = `
    const [url, method, token] = process.argv.slice(1);
    const headers = token ? { authorization: 'Bearer ' + token } : {};
    fetch(url, { method, headers, signal: AbortSignal.timeout(5000) }).then(async (r) => {
      process.stdout.write(JSON.stringify({ status: r.status, wwwAuthenticate: r.headers.get('www-authenticate'),
        contentType: r.headers.get('content-type'), body: await r.text() }));
    }, (e) => { process.stdout.write(JSON.stringify({ status: 0, body: String(e.cause ?? e) })); });`;
  const { stdout } = await run('docker', ['exec', client.name, 'node', '-e', script, url, init.method ?? 'GET', init.token ?? ''], {
    timeout: 15_000,
  });
  return JSON.parse(stdout) as Answer;
}

function adminPort(proxy: ProxyHarness): string {
  return new URL(proxy.adminUrl).port;
}

beforeAll(async () => {
  client = await createBackend({ name: 'wp-admin-client' });
  await backendListening(client.name);
  const info = await testDocker().getContainer(client.name).inspect();
  gateway = info.NetworkSettings.Networks['bridge']?.Gateway ?? '';
  expect(gateway).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
  const config = {
    routes: 'routes:\n  - path: /\n    service: app\n',
    services: `services:\n  app:\n    container: ${client.name}\n    port: 8080\n    sleep_policy:\n      enabled: false\n`,
    adminHost: '0.0.0.0',
  };
  withToken = await startProxy({ ...config, adminToken: TOKEN });
  withoutToken = await startProxy(config);
});

afterAll(async () => {
  await withToken?.close();
  await withoutToken?.close();
  await client?.remove();
});

describe('the admin API seen from another container', () => {
  it('refuses a call without the token with 401 problem+json and WWW-Authenticate: Bearer', async () => {
    const answer = await fromContainer(`http://${gateway}:${adminPort(withToken)}/services/app/stop`, { method: 'POST' });
    expect(answer.status).toBe(401);
    expect(answer.wwwAuthenticate).toMatch(/^Bearer\b/);
    expect(answer.contentType).toBe('application/problem+json');
    expect(JSON.parse(answer.body)).toMatchObject({ status: 401, code: 'WP_ADMIN_UNAUTHORIZED' });
    expect((await withToken.snapshot('app')).state).toBe('RUNNING');
  });

  it('refuses a wrong token', async () => {
    const answer = await fromContainer(`http://${gateway}:${adminPort(withToken)}/services`, { token: `${TOKEN}-not` });
    expect(answer.status).toBe(401);
  });

  it('answers 200 with the token', async () => {
    const answer = await fromContainer(`http://${gateway}:${adminPort(withToken)}/services/app`, { token: TOKEN });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ name: 'app', state: 'RUNNING' });
  });

  it('leaves GET /healthz open', async () => {
    const answer = await fromContainer(`http://${gateway}:${adminPort(withToken)}/healthz`);
    expect(answer.status).toBe(200);
  });

  it('refuses every remote call with 403 when no token is configured, and says so at start', async () => {
    const answer = await fromContainer(`http://${gateway}:${adminPort(withoutToken)}/services`, { token: TOKEN });
    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.body)).toMatchObject({ code: 'WP_ADMIN_FORBIDDEN' });
    expect(withoutToken.logsWith('admin API answers loopback clients only: no admin token configured')).toHaveLength(1);
  });
});

describe('the admin API seen from loopback', () => {
  it('needs no token', async () => {
    const res = await fetch(`${withToken.adminUrl}/services`);
    expect(res.status).toBe(200);
    await res.arrayBuffer();
  });

  it('never writes the token to the log', () => {
    expect(withToken.logsWith('admin request refused').length).toBeGreaterThan(0);
    expect(JSON.stringify(withToken.logLines())).not.toContain(TOKEN);
  });
});
