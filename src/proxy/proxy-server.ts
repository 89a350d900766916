/**
 * The proxy listener: a node:http server whose 'request', 'checkContinue' and 'upgrade' events go
 * through the route table, the hold and the forwarder.
 *
 * Policy:
 * - `requestTimeout` is off: Node's default (300 s) counts the time a request is held, and a hold
 *   is already bounded (health_check.timeout, client abort). `headersTimeout` stays at 60 s
 *   against clients that never finish their headers.
 * - `checkContinue` is handled, so Node does not answer `100 Continue` by itself: the client
 *   sends its body only when the request is about to be forwarded, never while it is held.
 * - Only WebSocket upgrades take the upgrade path. Other upgrade offers (`h2c`) are served as
 *   plain HTTP/1.1 requests with the offer dropped, as RFC 9110 allows (Node >= 24.9; older Node
 *   sends them to the upgrade path, where http-proxy-3 closes them).
 * - Clients that half-close after their request are answered (half-open.ts). Every listener is
 *   guarded (listener-guard.ts): a request that makes a handler throw gets 500, the process lives.
 * - After start-up, a burst or load, memory is given back once the proxy is quiet (heap-reclaim.ts).
 * - The listen backlog is LISTEN_BACKLOG, not Node's 511: a burst of new connections is queued,
 *   not dropped.
 * - close() is two-phase: stop accepting and answer held requests 503 at once, let in-flight
 *   responses finish for `drainTimeoutMs`, then cut what is left (open WebSockets, endless SSE)
 *   and close the upstream pools. Connections with nothing in flight are closed at once (idle
 *   keep-alive ones, and spare ones a client opened but never sent a byte on: browsers and
 *   undici pre-connect, which Node's closeIdleConnections() leaves open); the others right after
 *   the response they carry.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { systemClock, type Clock } from '../clock.ts';
import type { RouteConfig } from '../config/routes-schema.ts';
import type { ServiceDirectory } from '../lifecycle/service-handle.ts';
import type { Logger } from '../logging/logger.ts';
import { MethodNotAllowedError } from '../errors.ts';
import { toProblem, writeProblemToSocket } from './error-response.ts';
import { createForwardAuthListener } from './forward-auth.ts';
import { Forwarder, type ForwarderOptions } from './forward.ts';
import { createHeapReclaimer } from './heap-reclaim.ts';
import { RequestHolder } from './hold.ts';
import { allowHalfOpenClients } from './half-open.ts';
import { createHttpListener } from './http-listener.ts';
import { guardRequestListener, guardUpgradeListener } from './listener-guard.ts';
import type { EdgeContext, ResponseRecorder } from './request-plan.ts';
import { createRouteTable } from './route-table.ts';
import { createUpgradeListener } from './upgrade-listener.ts';

/** What the proxy listener is built from. */
export interface ProxyServerOptions {
  readonly routes: readonly RouteConfig[];
  readonly directory: ServiceDirectory;
  readonly logger: Logger;
  readonly forwarderOptions?: ForwarderOptions;
  /** How long close() lets in-flight responses finish before cutting them. Default DEFAULT_DRAIN_TIMEOUT_MS. */
  readonly drainTimeoutMs?: number;
  /** Source of time for durations and the drain deadline. Default systemClock. */
  readonly clock?: Clock;
  /** Told about every finished HTTP exchange (metrics). */
  readonly recorder?: ResponseRecorder;
  /** One info line per request with service, status, duration and wake time. Default false. */
  readonly accessLog?: boolean;
}

/**
 * Default drain: 10 s, at least as long as `docker stop`'s default grace (the drain ends early
 * when the last response does). Stoppers should allow a few seconds more (README: Shutdown).
 */
export const DEFAULT_DRAIN_TIMEOUT_MS = 10_000;

/** A proxy listener, not listening until listen() is called. */
export interface ProxyServer {
  readonly server: http.Server;
  /** Starts listening; resolves with the bound address (port 0 picks a free port). */
  listen(port: number, host: string): Promise<AddressInfo>;
  /** Starts the forward-auth listener (forward-auth.ts) on its own port; resolves with its address. */
  listenForwardAuth(port: number, host: string): Promise<AddressInfo>;
  /** Routes new requests by these routes from now on (a reload); requests in flight are untouched. */
  setRoutes(routes: readonly RouteConfig[]): void;
  /** Requests held now for a service (waiting for its wake). */
  heldCount(service: string): number;
  /** Stops accepting, drains, then closes the upstream pools; safe to call twice. */
  close(): Promise<void>;
}

/** True for a WebSocket opening handshake, the only upgrade wake-proxy forwards. */
export function isWebSocketUpgrade(req: http.IncomingMessage): boolean {
  return req.headers.upgrade?.toLowerCase() === 'websocket';
}

/** Creates the proxy listener; no I/O until listen(). */
export function createProxyServer(options: ProxyServerOptions): ProxyServer {
  const clock = options.clock ?? systemClock;
  const shutdown = new AbortController();
  const forwarder = new Forwarder(options.forwarderOptions);
  let reqSeq = 0;
  let shuttingDown = false;
  const ctx: EdgeContext = {
    table: createRouteTable(options.routes),
    directory: options.directory,
    forwarder,
    holder: new RequestHolder(),
    log: options.logger.child({ component: 'proxy' }),
    recorder: options.recorder ?? null,
    accessLog: options.accessLog ?? false,
    shutdown: shutdown.signal,
    isShuttingDown: () => shuttingDown,
    nextReqId: () => ++reqSeq,
    now: () => clock.now(),
    clock,
  };
  const server = http.createServer({
    requestTimeout: 0,
    headersTimeout: 60_000,
    keepAliveTimeout: 5_000,
    shouldUpgradeCallback: isWebSocketUpgrade,
  });
  allowHalfOpenClients(server);
  const onRequest = guardRequestListener(createHttpListener(ctx), ctx.log);
  const onUpgrade = guardUpgradeListener(createUpgradeListener(ctx), ctx.log);
  const upgraded = new Set<Duplex>();
  const connections = new Set<Socket>();
  const reclaimer = createHeapReclaimer({ clock, log: ctx.log });
  server.on('connection', (socket: Socket) => {
    connections.add(socket);
    reclaimer.connectionsChanged(connections.size);
    socket.once('close', () => {
      connections.delete(socket);
      reclaimer.connectionsChanged(connections.size);
    });
  });
  // CONNECT would otherwise get its connection closed with no answer: wake-proxy is no tunnel.
  server.on('connect', (req: http.IncomingMessage, socket: Duplex) => {
    const problem = toProblem(new MethodNotAllowedError('CONNECT'));
    ctx.log.info({ method: 'CONNECT', url: req.url, status: problem.status, code: problem.body.code }, 'request refused');
    writeProblemToSocket(socket, problem);
  });
  server.on('request', onRequest);
  server.on('checkContinue', onRequest);
  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    upgraded.add(socket);
    socket.once('close', () => upgraded.delete(socket));
    onUpgrade(req, socket, head);
  });

  let forwardAuth: http.Server | null = null;

  async function closeForwardAuth(): Promise<void> {
    const auth = forwardAuth;
    if (auth === null) return;
    await new Promise<void>((resolve) => {
      auth.close(() => resolve());
      auth.closeAllConnections();
    });
  }

  async function drainAndClose(): Promise<void> {
    shuttingDown = true;
    shutdown.abort();
    await closeForwardAuth();
    reclaimer.close();
    // A connection whose response finishes during the drain is closed right after it, instead of
    // idling for keepAliveTimeout (Node reads the value when each response finishes).
    server.keepAliveTimeout = 1;
    server.keepAliveTimeoutBuffer = 0;
    await new Promise<void>((resolve) => {
      const cut = clock.setTimeout(() => {
        server.closeAllConnections();
        for (const socket of upgraded) socket.destroy();
      }, options.drainTimeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS);
      server.close(() => {
        cut.cancel();
        resolve();
      });
      server.closeIdleConnections();
      for (const socket of connections) if (socket.bytesRead === 0) socket.destroy();
    });
    await forwarder.close();
  }

  let closing: Promise<void> | null = null;
  return {
    server,
    listenForwardAuth: (port, host) => {
      if (forwardAuth === null) {
        const listener = guardRequestListener(createForwardAuthListener(ctx), ctx.log);
        forwardAuth = http.createServer({ requestTimeout: 0, headersTimeout: 60_000, keepAliveTimeout: 5_000 }, listener);
        allowHalfOpenClients(forwardAuth);
      }
      return listenOn(forwardAuth, port, host);
    },
    listen: (port, host) => listenOn(server, port, host),
    setRoutes: (routes) => {
      ctx.table = createRouteTable(routes);
    },
    heldCount: (service) => ctx.holder.heldCount(service),
    close: () => (closing ??= drainAndClose()),
  };
}

/**
 * The listen backlog of the proxy and forward-auth listeners. Node's default (511) let a burst of
 * 1,000 fresh connections overflow the accept queue while the proxy was busy: the kernel dropped
 * SYNs, and those clients waited a second for their retransmit (seen as 5 of 1,000 connects past
 * the benchmark's 1 s deadline). The kernel caps it at net.core.somaxconn (4096 by default).
 */
export const LISTEN_BACKLOG = 4096;

function listenOn(server: http.Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host, backlog: LISTEN_BACKLOG }, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}
