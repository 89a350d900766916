/**
 * Issue 3: a path that changes under normalisation (`..` segments, encoded dots or slashes) is
 * refused with 400 before it can reach a backend; the backend is never hit.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../support/docker-fixture.ts';
import { backendListening, backendStats, startProxy, type ProxyHarness } from '../support/proxy-harness.ts';

let backend: Backend;
let proxy: ProxyHarness;

beforeAll(async () => {
  backend = await createBackend({ name: 'wp-traversal' });
  await backendListening(backend.name);
  proxy = await startProxy({
    routes: 'routes:\n  - path: /api\n    service: api\n    strip_prefix: true\n',
    services: `services:\n  api:\n    container: ${backend.name}\n    port: 8080\n    health_check:\n      path: /health\n`,
  });
});

afterAll(async () => {
  await proxy?.close();
  await backend?.remove();
});

/** Sends `path` exactly as written (fetch and URL would normalise it first). */
function rawGet(path: string): Promise<{ status: number; type: string | undefined; body: string }> {
  const { port } = new URL(proxy.url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method: 'GET', timeout: 10_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], body }));
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${path} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

describe('path traversal through the proxy', () => {
  it.each(['/api/../secret', '/api/%2e%2e/x', '/api/%2E%2E/x', '/api/a%2fb', '/api/a%5cb', '/api/./x'])(
    'refuses %s with 400 and never reaches the backend',
    async (path) => {
      const before = (await backendStats(backend.name)).requests;

      const res = await rawGet(path);

      expect(res.status).toBe(400);
      expect(res.type).toBe('application/problem+json');
      expect(JSON.parse(res.body)).toMatchObject({ status: 400, code: 'WP_BAD_REQUEST_PATH' });
      expect((await backendStats(backend.name)).requests).toBe(before);
    },
  );

  it('forwards a plain path under the prefix (the control case)', async () => {
    const before = (await backendStats(backend.name)).requests;
    const res = await rawGet('/api/echo?q=1');
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ path: '/echo?q=1' });
    expect((await backendStats(backend.name)).requests).toBe(before + 1);
  });
});
