/**
 * The decisions taken for every request before any I/O: is the target safe, which route and
 * service serve it, may it wake the service and does it count as activity, and what path goes
 * upstream. Used by admit() for plain requests and upgrades alike, so both follow the same rules.
 */
import type { IncomingMessage } from 'node:http';
import type { RouteConfig } from '../config/routes-schema.ts';
import { MethodNotAllowedError, RouteNotFoundError, WakeProxyError } from '../errors.ts';
import type { ServiceDirectory, ServiceHandle } from '../lifecycle/service-handle.ts';
import type { Logger } from '../logging/logger.ts';
import type { Forwarder } from './forward.ts';
import type { RequestHolder } from './hold.ts';
import type { Clock } from '../clock.ts';
import { prefersHtml } from './error-page.ts';
import type { RewriteRules } from './redirect-rewrite.ts';
import { checkRequestHead } from './request-head.ts';
import { parseRequestTarget, stripPrefix } from './request-path.ts';
import { decideRequest, type RequestDecision } from './request-rules.ts';
import type { RouteTable } from './route-table.ts';

/** Where the edge reports each finished HTTP exchange (metrics); owned by the proxy, wired by app.ts. */
export interface ResponseRecorder {
  /**
   * One HTTP exchange ended. `service` is null when no route matched; `status` is 499 when the
   * client went away before a status was sent; `code` is the WP_ code of a refusal, else null.
   */
  response(service: string | null, status: number, code: string | null): void;
}

/** What the listeners share: built once by createProxyServer. */
export interface EdgeContext {
  /** Replaced as a whole on reload (setRoutes): a request in flight keeps the route it matched. */
  table: RouteTable;
  readonly directory: ServiceDirectory;
  readonly forwarder: Forwarder;
  readonly holder: RequestHolder;
  readonly log: Logger;
  /** Null when nothing records responses. */
  readonly recorder: ResponseRecorder | null;
  /** Write one info line per request (`--access-log`); otherwise access lines are debug only. */
  readonly accessLog: boolean;
  /** Aborts when the server starts closing: held requests then get 503. */
  readonly shutdown: AbortSignal;
  /** True once the server started closing: `shutdown.aborted` without the getter's cost per request. */
  isShuttingDown(): boolean;
  /** A cheap, unique request id. */
  nextReqId(): number;
  /** Epoch ms (the injected clock). */
  now(): number;
  /** The injected clock, for timers. */
  readonly clock: Clock;
}

/** Everything decided about one request. */
export interface RequestPlan {
  readonly route: RouteConfig;
  readonly handle: ServiceHandle;
  readonly decision: RequestDecision;
  /** The target sent upstream (prefix stripped when the route says so; query kept). */
  readonly upstreamPath: string;
  /** The prefix removed, or null. */
  readonly strippedPrefix: string | null;
  /** Response headers to put back under the stripped prefix, or null. */
  readonly rewrite: RewriteRules | null;
  /** Hold this long, then answer with the loading page (a browser navigation with loading_page); else null. */
  readonly loadingPageAfterMs: number | null;
  /** The Host sent upstream: the client's, or the address it connected to when it sent none. */
  readonly authority: string;
}

/**
 * Plans a request; throws HttpVersionNotSupportedError, BadRequestError, BadRequestPathError,
 * RouteNotFoundError, or a plain Error when the
 * route names a service the directory does not know (config cross-check makes that a bug).
 */
export function planRequest(ctx: EdgeContext, req: IncomingMessage): RequestPlan {
  if (req.method === 'TRACE' || req.method === 'CONNECT') throw new MethodNotAllowedError(req.method);
  const authority = checkRequestHead(req);
  const url = req.url;
  const target = parseRequestTarget(url);
  const host = req.headers.host;
  const route = ctx.table.match(host, target.path);
  if (route === null) throw new RouteNotFoundError(host ?? '', target.path);
  const handle = ctx.directory.get(route.service);
  if (handle === undefined) throw new Error(`route to unknown service "${route.service}"`);
  const decision = decideRequest(route, handle.config, {
    method: req.method ?? 'GET',
    path: target.path,
    userAgent: req.headers['user-agent'],
  });
  const strip = route.stripPrefix && route.pathPrefix !== '/';
  const loadingPage = route.loadingPage ?? handle.config.loadingPage;
  return {
    route,
    handle,
    decision,
    upstreamPath: strip ? stripPrefix(url as string, route.pathPrefix) : (url as string),
    strippedPrefix: strip ? route.pathPrefix : null,
    rewrite:
      strip && (route.rewriteLocation || route.rewriteCookiePath)
        ? { prefix: route.pathPrefix, host, location: route.rewriteLocation, cookiePath: route.rewriteCookiePath }
        : null,
    loadingPageAfterMs: loadingPage !== null && isBrowserNavigation(req) ? loadingPage.afterMs : null,
    authority,
  };
}

/** A GET that prefers an HTML page and is no upgrade: what a loading page can stand in for. */
function isBrowserNavigation(req: IncomingMessage): boolean {
  return req.method === 'GET' && req.headers.upgrade === undefined && prefersHtml(req.headers.accept);
}

/** The route's name in logs: `host/prefix` or `/prefix`. */
export function routeLabel(route: RouteConfig | undefined): string | undefined {
  if (route === undefined) return undefined;
  return route.host === null ? route.pathPrefix : `${route.host}${route.pathPrefix}`;
}

/** Log fields of a failed request. */
export interface FailureFields {
  readonly reqId: number;
  readonly route?: RouteConfig | undefined;
  readonly service?: string | undefined;
}

/** Codes a wake raises: the wake's own "wake failed" line explains them once for all its requests. */
const WAKE_CODES: ReadonlySet<string> = new Set([
  'WP_WAKE_TIMEOUT',
  'WP_WAKE_FAILED',
  'WP_CONTAINER_NOT_FOUND',
  'WP_PROVIDER_UNAVAILABLE',
  'WP_PROVIDER_FAILED',
]);

/**
 * Logs a request that ended in an error response, once. A bug (500) is an error with its stack.
 * An expected failure is one line with its code and reason, no stack: a request failed by a wake
 * at debug (the wake logged why, once, however many requests it held), other 5xx at warn, 4xx at
 * info.
 */
export function logFailure(log: Logger, fields: FailureFields, status: number, err: unknown): void {
  const known = err instanceof WakeProxyError;
  const code = known ? err.code : 'WP_INTERNAL';
  const base = { reqId: fields.reqId, route: routeLabel(fields.route), service: fields.service, status, code };
  if (status === 500 || !known) return log.error({ ...base, err }, 'request failed');
  const line = { ...base, reason: err.message };
  if (WAKE_CODES.has(code)) log.debug(line, 'request failed');
  else if (status > 500) log.warn(line, 'request failed');
  else log.info(line, 'request refused');
}
