/**
 * undici-lean.ts loads undici's classes by path. In a process that never loads the undici index
 * (like wake-proxy itself) they must still work: checked in a child process, which also checks
 * that the index was not loaded behind its back.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as undici from 'undici';
import { describe, expect, it } from 'vitest';
import { Client, Pool } from '../../src/undici-lean.ts';

const run = promisify(execFile);
const LEAN = join(import.meta.dirname, '..', '..', 'src', 'undici-lean.ts');

const CHILD = `
import http from 'node:http';
import { createRequire } from 'node:module';
const { Client, Pool, request } = await import(${JSON.stringify(LEAN)});
const server = http.createServer((req, res) => res.end('hello ' + req.url));
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const origin = 'http://127.0.0.1:' + server.address().port;
const client = new Client(origin);
const viaRequest = await request(client, { method: 'GET', path: '/probe' });
const probeBody = await viaRequest.body.text();
const pool = new Pool(origin);
const dispatched = await new Promise((resolve, reject) => {
  let body = '';
  pool.dispatch({ method: 'GET', path: '/pool' }, {
    onRequestStart() {},
    onResponseStart(_c, status) { body += status + ' '; },
    onResponseData(_c, chunk) { body += chunk; },
    onResponseEnd() { resolve(body); },
    onResponseError(_c, err) { reject(err); },
  });
});
await client.close(); await pool.close(); server.close();
const indexLoaded = Object.keys(createRequire(import.meta.url).cache).some((k) => k.endsWith('/undici/index.js'));
process.stdout.write(JSON.stringify({ probeBody, dispatched, indexLoaded }));
`;

describe('undici-lean', () => {
  it('loads the same Pool and Client classes that the undici index exports', () => {
    expect(Pool).toBe(undici.Pool);
    expect(Client).toBe(undici.Client);
  });

  it('requests and dispatches in a process that never loads the undici index', async () => {
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', CHILD], { timeout: 20_000 });
    expect(JSON.parse(stdout)).toEqual({ probeBody: 'hello /probe', dispatched: '200 hello /pool', indexLoaded: false });
  });
});
