/**
 * The data path: HTTP requests through undici, WebSocket upgrades through http-proxy-3. The only
 * importer of http-proxy-3, and the only user of undici's Pool (loaded by undici-lean.ts).
 *
 * Why `pool.dispatch` with a ResponseRelay (response-relay.ts): each upstream chunk goes straight
 * into the client's ServerResponse and the upstream socket pauses when `res.write` returns false,
 * with no extra stream, AbortController or lifecycle tracker per request in between.
 * `pool.stream()` did the same job at a higher CPU cost per request (issue 12, measured in the
 * benchmark); `pool.request` + `pipeline` would add a BodyReadable on top.
 *
 * Policy:
 * - One keep-alive `Pool` per upstream origin, created on first use and closed in close().
 * - The client's body is streamed, never buffered, through a PassThrough: undici destroys the
 *   body it was given when the exchange fails, and destroying `req` itself would kill the
 *   client's socket before it could be told 502.
 * - `100 Continue` is sent only here, when the request is about to be forwarded.
 * - Failure before the response started → UpstreamUnreachableError / UpstreamTimeoutError for the
 *   caller to answer; after it started → the client's socket is destroyed (a second status line
 *   is impossible) and the error is still reported, for the log (response-relay.ts).
 * - A client that goes away aborts its upstream exchange; that is not an error.
 * - Response bodies have no idle deadline by default: SSE and long polls may be silent for long.
 * - WebSocket upgrades get their X-Forwarded-* from headers.ts, not http-proxy-3's `xfwd`, so
 *   both paths follow one policy (xfwd would trust a client-sent X-Forwarded-Host).
 *
 * Over 150 lines because it is the single user of both engines (architecture.test.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { PassThrough } from 'node:stream';
import { createProxyServer, type ProxyServer } from 'http-proxy-3';
import { Pool } from '../undici-lean.ts';
import type { WakeProxyError } from '../errors.ts';
import type { Upstream } from '../providers/container-provider.ts';
import { forwardedHeaders, toClientHeaders, toUpstreamHeaders, toUpgradeHeaders, withoutHopByHop } from './headers.ts';
import { rewriteResponseHeaders, type RewriteRules } from './redirect-rewrite.ts';
import { hasRequestBody } from './request-head.ts';
import { ResponseRelay } from './response-relay.ts';
import { isClientGone, toUpstreamError } from './upstream-error.ts';

/** Tuning of the upstream connections. */
export interface ForwarderOptions {
  /** Deadline for the upstream's response headers (→ 504). Default 60 000. */
  readonly headersTimeoutMs?: number;
  /** Deadline for a TCP connect to the upstream (→ 502). Default 10 000. */
  readonly connectTimeoutMs?: number;
  /** Longest silence inside a response body; 0 = none (SSE, long polls). Default 0. */
  readonly bodyTimeoutMs?: number;
  /** Most connections per upstream origin. Default 128. */
  readonly connections?: number;
}

/** Where and how to forward one request. */
export interface ForwardTarget {
  readonly service: string;
  readonly upstream: Upstream;
  /** The request target sent upstream: prefix stripped if the route says so, query kept. */
  readonly path: string;
  /** The prefix removed from the path, or null. */
  readonly strippedPrefix: string | null;
  /** Response headers to put back under the stripped prefix, or null (redirect-rewrite.ts). */
  readonly rewrite: RewriteRules | null;
  /** The Host sent upstream (request-head.ts decides it). */
  readonly authority: string;
  /**
   * For a request sent while its container is still being unpaused: when this aborts before the
   * response started, the exchange is given up and web() rejects with the signal's reason.
   */
  readonly abandon?: AbortSignal | undefined;
  /** Called just before the response head is written (e.g. to set a header measured until then). */
  readonly beforeResponse?: (() => void) | undefined;
}

/** Called at most once when a WebSocket forward fails; `upgraded` says the 101 was already sent. */
export type UpgradeErrorHandler = (err: WakeProxyError, upgraded: boolean) => void;

/** The upstream answered without reading the whole body: discard the rest, as Node would. */
function drainUnread(req: IncomingMessage, body: PassThrough | null): void {
  if (body === null || req.complete) return;
  req.unpipe(body);
  body.destroy();
  req.resume();
}

function originOf(upstream: Upstream): string {
  const host = upstream.host.includes(':') ? `[${upstream.host}]` : upstream.host;
  return `http://${host}:${upstream.port}`;
}

/** Forwards requests and upgrades to upstreams; owns the connection pools. */
export class Forwarder {
  readonly #pools = new Map<string, Pool>();
  readonly #options: Required<ForwarderOptions>;
  readonly #ws: ProxyServer;
  readonly #upgraded = new WeakSet<Duplex>();
  readonly #wsCalls = new WeakMap<IncomingMessage, { service: string; onError: UpgradeErrorHandler }>();

  constructor(options: ForwarderOptions = {}) {
    this.#options = {
      headersTimeoutMs: options.headersTimeoutMs ?? 60_000,
      connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
      bodyTimeoutMs: options.bodyTimeoutMs ?? 0,
      connections: options.connections ?? 128,
    };
    this.#ws = createProxyServer({ ws: true, xfwd: false, connectTimeout: this.#options.connectTimeoutMs });
    this.#ws.on('proxyReqWs', (proxyReq, _req, socket) => {
      proxyReq.once('upgrade', () => this.#upgraded.add(socket));
    });
    // http-proxy crashes the process on an error nobody listens to; every ws() call also passes
    // its own callback, so this listener only catches what that callback did not.
    this.#ws.on('error', (err, req, resOrSocket) => this.#onWsError(err, req, resOrSocket));
  }

  /**
   * Forwards an HTTP request. `onFailure` is called at most once, when the exchange failed, with an
   * upstream error (or the abandon signal's reason); the response is untouched if
   * `res.headersSent` is false. Nothing is called when the response completes or the client left.
   */
  web(req: IncomingMessage, res: ServerResponse, target: ForwardTarget, onFailure: (err: unknown) => void): void {
    if (res.destroyed) return;
    if (req.headers.expect?.toLowerCase() === '100-continue') res.writeContinue();
    const headers = toUpstreamHeaders(req.headers, { clientAddress: req.socket.remoteAddress, proto: 'http', strippedPrefix: target.strippedPrefix }, target.authority);
    const body = hasRequestBody(req) ? req.pipe(new PassThrough()) : null;
    const rewrite = target.rewrite;
    const relay = new ResponseRelay(
      res,
      rewrite === null ? toClientHeaders : (upstream) => rewriteResponseHeaders(withoutHopByHop(upstream), rewrite),
      (outcome) => {
        drainUnread(req, body);
        if (outcome.error === null) return;
        onFailure(outcome.abandoned ? outcome.error : toUpstreamError(outcome.error, target.service));
      },
      target.beforeResponse ?? null,
    );
    const abandon = target.abandon;
    if (abandon !== undefined) {
      if (abandon.aborted) relay.abandon(abandon.reason);
      else abandon.addEventListener('abort', () => relay.abandon(abandon.reason), { once: true });
    }
    this.#pool(target.upstream).dispatch({ path: target.path, method: req.method ?? 'GET', headers, body }, relay);
  }

  /** Forwards a WebSocket upgrade; `onError` is called at most once, with the 101 status known. */
  ws(req: IncomingMessage, socket: Duplex, head: Buffer, target: ForwardTarget, onError: UpgradeErrorHandler): void {
    const extra = forwardedHeaders(req.headers, {
      clientAddress: req.socket.remoteAddress,
      proto: 'http',
      strippedPrefix: target.strippedPrefix,
    });
    req.headers = { ...toUpgradeHeaders(req.headers), host: target.authority };
    req.url = target.path;
    this.#wsCalls.set(req, { service: target.service, onError });
    const options = { target: { host: target.upstream.host, port: target.upstream.port }, headers: extra };
    this.#ws.ws(req, socket, head, options, (err, r, s) => this.#onWsError(err, r, s));
  }

  #onWsError(err: unknown, req: IncomingMessage, resOrSocket: ServerResponse | Duplex): void {
    const socket = 'writeHead' in resOrSocket ? resOrSocket.socket : resOrSocket;
    const call = this.#wsCalls.get(req);
    this.#wsCalls.delete(req);
    if (call === undefined || isClientGone(err)) {
      socket?.destroy();
      return;
    }
    call.onError(toUpstreamError(err, call.service), socket !== null && this.#upgraded.has(socket));
  }

  #pool(upstream: Upstream): Pool {
    const origin = originOf(upstream);
    let pool = this.#pools.get(origin);
    if (pool === undefined) {
      pool = new Pool(origin, {
        connections: this.#options.connections,
        pipelining: 1,
        headersTimeout: this.#options.headersTimeoutMs,
        bodyTimeout: this.#options.bodyTimeoutMs,
        connectTimeout: this.#options.connectTimeoutMs,
      });
      this.#pools.set(origin, pool);
    }
    return pool;
  }

  /** Closes every pool after its in-flight requests complete. */
  async close(): Promise<void> {
    const pools = [...this.#pools.values()];
    this.#pools.clear();
    await Promise.all(pools.map((pool) => pool.close()));
  }
}
