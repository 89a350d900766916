/**
 * undici's Pool and Client, loaded without the rest of undici. The only runtime importer of
 * undici: forward.ts and health/http-probe.ts take the classes from here and only types from
 * the package.
 *
 * Why: `import { Pool } from 'undici'` runs undici's index, which loads fetch, WebSocket,
 * EventSource, the cache and mock layers and more, none of which wake-proxy uses. Measured on
 * Node 24 (RssAnon + RssFile of a fresh process after node:http): the index adds 7.2 + 6.5 MB,
 * `lib/dispatcher/pool.js` alone 2.2 + 0.5 MB, so every wake-proxy process is ~11 MB smaller.
 * The two files are loaded by path, which undici's package allows (it declares no `exports`);
 * undici is pinned to an exact version, and test/unit/undici-lean.test.ts checks that these are
 * the very classes the index exports, so an upgrade that moves them fails a test, not a deploy.
 * llhttp's WebAssembly is compiled on the first connection either way.
 * The index also copies the request/stream/pipeline API onto every dispatcher's prototype, so
 * without it `client.request()` does not exist: request() below calls lib/api/api-request.js
 * (0.35 MB) on a dispatcher instead.
 */
import { createRequire } from 'node:module';
import type { Client as UndiciClient, Dispatcher, Pool as UndiciPool } from 'undici';

const load = createRequire(import.meta.url);

/** undici's Pool class (lib/dispatcher/pool.js). */
export const Pool = load('undici/lib/dispatcher/pool.js') as typeof UndiciPool;
/** undici's Client class (lib/dispatcher/client.js). */
export const Client = load('undici/lib/dispatcher/client.js') as typeof UndiciClient;
/** An instance of Pool. */
export type Pool = UndiciPool;
/** An instance of Client. */
export type Client = UndiciClient;

const requestApi = load('undici/lib/api/api-request.js') as (this: Dispatcher, options: Dispatcher.RequestOptions) => Promise<Dispatcher.ResponseData>;

/** `dispatcher.request(options)` as the undici index would provide it. */
export function request(dispatcher: Dispatcher, options: Dispatcher.RequestOptions): Promise<Dispatcher.ResponseData> {
  return requestApi.call(dispatcher, options);
}
