/**
 * The 'request' (and 'checkContinue') listener: admit() with a ServerResponse as the exchange.
 *
 * Policy: a held request that is forwarded tells the client how long it waited
 * (X-Wake-Proxy-Wake-Ms). Errors are answered with a problem document while nothing has been
 * written, else the connection is cut. While shutting down, connections are not kept alive.
 * Access lines are info with `--access-log`, else debug; with neither (and no metrics) they cost nothing.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ShuttingDownError, UpstreamUnreachableError } from '../errors.ts';
import type { ExchangeEnd } from '../lifecycle/service-handle.ts';
import type { Upstream } from '../providers/container-provider.ts';
import { admit, type Exchange } from './admit.ts';
import { sendProblem, toProblem } from './error-response.ts';
import type { ForwardTarget } from './forward.ts';
import { retryAfterSeconds, type HoldResult } from './hold.ts';
import { hasRequestBody } from './request-head.ts';
import { serveLoadingPage } from './loading-page.ts';
import { logFailure, routeLabel, type EdgeContext, type FailureFields, type RequestPlan } from './request-plan.ts';
import { errorCode } from './upstream-error.ts';

/** Response header carrying how long a held request waited for its service to wake. */
export const WAKE_MS_HEADER = 'x-wake-proxy-wake-ms';

function fail(ex: HttpExchange, err: unknown, fields: FailureFields): void {
  const { ctx, res } = ex;
  const problem = toProblem(err);
  ex.service ??= fields.service ?? null;
  ex.code = problem.body.code;
  logFailure(ctx.log, fields, problem.status, err);
  if (ctx.isShuttingDown()) res.shouldKeepAlive = false;
  if (res.headersSent || res.destroyed) res.destroy();
  else sendProblem(res, problem);
}

/**
 * One 'close' listener per exchange, and only when something reads it: the access log
 * (`--access-log`: info; else debug when enabled) or metrics.
 */
function onClosed(ex: HttpExchange): void {
  const { ctx, req, res } = ex;
  const level = ctx.accessLog ? 'info' : ctx.log.isLevelEnabled('debug') ? 'debug' : null;
  const recorder = ctx.recorder;
  if (level === null && recorder === null) return;
  const startedAt = level === null ? 0 : ctx.now();
  res.on('close', () => {
    const status = res.headersSent ? res.statusCode : 499;
    recorder?.response(ex.service, status, ex.code);
    if (level === null) return;
    const line = {
      reqId: ex.reqId,
      method: req.method,
      url: req.url,
      service: ex.service,
      status,
      durationMs: ctx.now() - startedAt,
      wakeMs: ex.wakeMs,
    };
    ctx.log[level](line, 'request done');
  });
}

const RETRYABLE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Codes of a connection the upstream closed under the request (a kept-alive one it timed out). */
const CLOSED_UNDER_REQUEST: ReadonlySet<string> = new Set(['UND_ERR_SOCKET', 'ECONNRESET']);

/** Where a failed exchange may be sent once more: only to another instance, to any, or nowhere. */
type RetryTo = 'another-instance' | 'any-instance' | null;

/**
 * Retry policy: only a GET, HEAD or OPTIONS without a body, before any response started, once.
 * - Its instance refused the connection: it reached no application, so it goes to another
 *   instance if one is eligible (services of several containers).
 * - The connection was closed or reset before any response: most often a kept-alive connection
 *   that the upstream closed as it was reused (its keep-alive timeout and the request crossed).
 *   It goes to any ready instance, the same one included, on a new connection, as nginx does for
 *   a cached upstream connection.
 * Nothing else is retried: the request may have had effects.
 */
function retryTo(req: IncomingMessage, res: ServerResponse, err: unknown): RetryTo {
  if (res.headersSent || !(err instanceof UpstreamUnreachableError)) return null;
  if (!RETRYABLE_METHODS.has(req.method ?? '') || hasRequestBody(req)) return null;
  const code = errorCode(err.cause);
  if (code === 'ECONNREFUSED') return 'another-instance';
  return code !== undefined && CLOSED_UNDER_REQUEST.has(code) ? 'any-instance' : null;
}

/** How an exchange sent during a wake ends when the wake fails, and what it measures. */
type DuringWake = Pick<ForwardTarget, 'abandon' | 'beforeResponse'>;

function send(ex: HttpExchange, plan: RequestPlan, upstream: Upstream, end: ExchangeEnd | null, retried: boolean, duringWake: DuringWake | null): void {
  const { req, res } = ex;
  if (ex.ctx.isShuttingDown()) res.shouldKeepAlive = false;
  const target: ForwardTarget = {
    service: plan.handle.name,
    upstream,
    path: plan.upstreamPath,
    strippedPrefix: plan.strippedPrefix,
    rewrite: plan.rewrite,
    authority: plan.authority,
    abandon: duringWake?.abandon,
    beforeResponse: duringWake?.beforeResponse,
  };
  ex.ctx.forwarder.web(req, res, target, (err: unknown) => {
    // Sent during a wake: a client already gone has nothing to be told, and the wake logged why.
    if (duringWake !== null) return res.destroyed ? undefined : ex.failForward(err, plan);
    end?.(err instanceof UpstreamUnreachableError && !res.headersSent);
    const to = retried ? null : retryTo(req, res, err);
    const next = to === null ? null : plan.handle.readyUpstream();
    if (next === null || (to === 'another-instance' && next.host === upstream.host && next.port === upstream.port)) return ex.failForward(err, plan);
    const nextEnd = plan.handle.beginExchange(next);
    if (nextEnd !== null) res.once('close', () => nextEnd(false));
    send(ex, plan, next, nextEnd, true, null);
  });
}

/**
 * One HTTP exchange: a class rather than an object of closures, so a request allocates one object
 * for it (issue 12: the request path's allocations are its GC cost). It also carries what the
 * exchange reports when it closes: the service it was for, the code of a refusal, and how long it
 * was held for a wake (null when it was not).
 */
class HttpExchange implements Exchange {
  readonly ctx: EdgeContext;
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly reqId: number;
  service: string | null = null;
  code: string | null = null;
  wakeMs: number | null = null;

  constructor(ctx: EdgeContext, req: IncomingMessage, res: ServerResponse) {
    this.ctx = ctx;
    this.req = req;
    this.res = res;
    this.reqId = ctx.nextReqId();
  }

  get closer(): ServerResponse {
    return this.res;
  }

  isClosed(): boolean {
    return this.res.destroyed;
  }

  fail(err: unknown, fields: FailureFields): void {
    fail(this, err, fields);
  }

  /** A forward failed (upstream error, or the wake it was sent during). */
  failForward(err: unknown, plan: RequestPlan): void {
    fail(this, err, { reqId: this.reqId, route: plan.route, service: plan.handle.name });
  }

  showLoadingPage(plan: RequestPlan, wait: Promise<unknown>, stopWaiting: () => void): void {
    const { ctx } = this;
    this.service = plan.handle.name;
    ctx.log.info({ reqId: this.reqId, route: routeLabel(plan.route), service: plan.handle.name }, 'loading page shown');
    serveLoadingPage(this.res, {
      service: plan.handle.name,
      progress: () => plan.handle.wakeProgress(),
      wait,
      clock: ctx.clock,
      retryAfterSeconds: retryAfterSeconds(plan.handle.config.healthCheck.timeoutMs),
      onClose: stopWaiting,
    });
  }

  forward(plan: RequestPlan, upstream: Upstream, waitedForWakeMs: number | null, end: ExchangeEnd | null): void {
    if (waitedForWakeMs !== null) this.res.setHeader(WAKE_MS_HEADER, String(waitedForWakeMs));
    this.wakeMs = waitedForWakeMs;
    this.service = plan.handle.name;
    send(this, plan, upstream, end, false, null);
  }

  forwardDuringWake(plan: RequestPlan, upstream: Upstream, wake: Promise<HoldResult | null>): void {
    const { ctx, res } = this;
    this.service = plan.handle.name;
    const sentAt = ctx.now();
    const abandon = new AbortController();
    wake.then(
      (held) => {
        if (held === null) abandon.abort(new ShuttingDownError());
        else this.wakeMs = held.waitedForWakeMs;
      },
      (err: unknown) => abandon.abort(err),
    );
    // The client waited from here to the response head: that is its wake time.
    const beforeResponse = (): void => {
      const waited = Math.max(1, Math.round(ctx.now() - sentAt));
      res.setHeader(WAKE_MS_HEADER, String(waited));
      this.wakeMs ??= waited;
    };
    send(this, plan, upstream, null, false, { abandon: abandon.signal, beforeResponse });
  }
}

/** Creates the listener for the server's 'request' and 'checkContinue' events. */
export function createHttpListener(ctx: EdgeContext): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const exchange = new HttpExchange(ctx, req, res);
    onClosed(exchange);
    admit(ctx, req, exchange);
  };
}
