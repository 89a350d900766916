import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALLOWED_ENGINE_ENDPOINTS, haproxyConfig } from '../support/socket-proxy/haproxy-socket-proxy.ts';

describe('the Engine API endpoints wake-proxy needs', () => {
  it('are exactly those the README lists and the socket-proxy test allows', async () => {
    const readme = await readFile(join(import.meta.dirname, '../../README.md'), 'utf8');
    const table = /<!-- engine-endpoints:start -->([\s\S]*?)<!-- engine-endpoints:end -->/.exec(readme)?.[1] ?? '';
    const rows = [...table.matchAll(/^\| `([A-Z]+)` \| `([^`]+)` \|/gm)].map((m) => [m[1], m[2]]);
    expect(rows).toEqual(ALLOWED_ENGINE_ENDPOINTS.map(([method, path]) => [method, path]));
  });

  it('become one HAProxy allow rule each, and everything else is denied', () => {
    const config = haproxyConfig(2375, '/var/run/docker.sock');
    expect(config.match(/acl e\d+ path_reg/g)).toHaveLength(ALLOWED_ENGINE_ENDPOINTS.length);
    expect(config).toContain('acl e1 path_reg ^(/v[0-9.]+)?/containers/[a-zA-Z0-9_.-]+/json$');
    expect(config).toMatch(/http-request deny deny_status 403\n/);
  });
});
