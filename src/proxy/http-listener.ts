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
import type { ExchangeEnd } from '../lifecycle/instance-set.ts';
import type { Upstream } from '../providers/container-provider.ts';
import { admit, type Exchange } from './admit.ts';
import { sendProblem, toProblem } from './error-response.ts';
import type { ForwardTarget } from './forward.ts';
import { retryAfterSeconds } from './hold.ts';
import { hasRequestBody } from './request-head.ts';
import { serveLoadingPage } from './loading-page.ts';
import { logFailure, routeLabel, type EdgeContext, type FailureFields, type RequestPlan } from './request-plan.ts';
import { errorCode } from './upstream-error.ts';

/** Response header carrying how long a held request waited for its service to wake. */
export const WAKE_MS_HEADER = 'x-wake-proxy-wake-ms';

/** What one exchange reports when it closes: the service it was for and the code of a refusal. */
interface Outcome {
  service: string | null;
  code: string | null;
  /** How long the request was held for a wake, or null when it was not. */
  wakeMs: number | null;
}

function fail(ctx: EdgeContext, res: ServerResponse, err: unknown, fields: FailureFields, outcome: Outcome): void {
  const problem = toProblem(err);
  outcome.service ??= fields.service ?? null;
  outcome.code = problem.body.code;
  logFailure(ctx.log, fields, problem.status, err);
  if (ctx.shutdown.aborted) res.shouldKeepAlive = false;
  if (res.headersSent || res.destroyed) res.destroy();
  else sendProblem(res, problem);
}

/**
 * One 'close' listener per exchange, and only when something reads it: the access log
 * (`--access-log`: info; else debug when enabled) or metrics.
 */
function onClosed(ctx: EdgeContext, req: IncomingMessage, res: ServerResponse, reqId: number, outcome: Outcome): void {
  const level = ctx.accessLog ? 'info' : ctx.log.isLevelEnabled('debug') ? 'debug' : null;
  const recorder = ctx.recorder;
  if (level === null && recorder === null) return;
  const startedAt = level === null ? 0 : ctx.now();
  res.on('close', () => {
    const status = res.headersSent ? res.statusCode : 499;
    recorder?.response(outcome.service, status, outcome.code);
    if (level === null) return;
    const line = {
      reqId,
      method: req.method,
      url: req.url,
      service: outcome.service,
      status,
      durationMs: ctx.now() - startedAt,
      wakeMs: outcome.wakeMs,
    };
    ctx.log[level](line, 'request done');
  });
}

const RETRYABLE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Retry policy (services of several containers only): a GET, HEAD or OPTIONS without a body whose
 * instance refused the connection reached no application, so it is sent once more, to another
 * instance if one is eligible. Nothing else is retried: the request may have had effects.
 */
function mayRetry(req: IncomingMessage, res: ServerResponse, err: unknown): boolean {
  if (res.headersSent || !(err instanceof UpstreamUnreachableError) || errorCode(err.cause) !== 'ECONNREFUSED') return false;
  return RETRYABLE_METHODS.has(req.method ?? '') && !hasRequestBody(req);
}

function send(
  ctx: EdgeContext,
  req: IncomingMessage,
  res: ServerResponse,
  plan: RequestPlan,
  upstream: Upstream,
  end: ExchangeEnd | null,
  onFailure: (err: unknown) => void,
  retried = false,
  duringWake: Pick<ForwardTarget, 'abandon' | 'beforeResponse'> | null = null,
): void {
  const service = plan.handle.name;
  const base = { service, upstream, path: plan.upstreamPath, strippedPrefix: plan.strippedPrefix, rewrite: plan.rewrite, authority: plan.authority };
  const target: ForwardTarget = duringWake === null ? base : { ...base, ...duringWake };
  ctx.forwarder.web(req, res, target, (err: unknown) => {
    if (end === null) return onFailure(err);
    end(err instanceof UpstreamUnreachableError && !res.headersSent);
    const next = !retried && mayRetry(req, res, err) ? plan.handle.readyUpstream() : null;
    if (next === null || (next.host === upstream.host && next.port === upstream.port)) return onFailure(err);
    const nextEnd = plan.handle.beginExchange(next);
    if (nextEnd !== null) res.once('close', () => nextEnd(false));
    send(ctx, req, res, plan, next, nextEnd, onFailure, true);
  });
}

/** Creates the listener for the server's 'request' and 'checkContinue' events. */
export function createHttpListener(ctx: EdgeContext): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const reqId = ctx.nextReqId();
    const outcome: Outcome = { service: null, code: null, wakeMs: null };
    onClosed(ctx, req, res, reqId, outcome);
    const exchange: Exchange = {
      reqId,
      closer: res,
      isClosed: () => res.destroyed,
      fail: (err, fields) => fail(ctx, res, err, fields, outcome),
      showLoadingPage(plan, wait, stopWaiting) {
        outcome.service = plan.handle.name;
        ctx.log.info({ reqId, route: routeLabel(plan.route), service: plan.handle.name }, 'loading page shown');
        serveLoadingPage(res, {
          service: plan.handle.name,
          progress: () => plan.handle.wakeProgress(),
          wait,
          clock: ctx.clock,
          retryAfterSeconds: retryAfterSeconds(plan.handle.config.healthCheck.timeoutMs),
          onClose: stopWaiting,
        });
      },
      forward(plan, upstream, waitedForWakeMs, end) {
        if (waitedForWakeMs !== null) res.setHeader(WAKE_MS_HEADER, String(waitedForWakeMs));
        outcome.wakeMs = waitedForWakeMs;
        if (ctx.shutdown.aborted) res.shouldKeepAlive = false;
        outcome.service = plan.handle.name;
        send(ctx, req, res, plan, upstream, end, (err) => fail(ctx, res, err, { reqId, route: plan.route, service: plan.handle.name }, outcome));
      },
      forwardDuringWake(plan, upstream, wake) {
        const service = plan.handle.name;
        outcome.service = service;
        if (ctx.shutdown.aborted) res.shouldKeepAlive = false;
        const sentAt = ctx.now();
        const abandon = new AbortController();
        wake.then(
          (held) => {
            if (held === null) abandon.abort(new ShuttingDownError());
            else outcome.wakeMs = held.waitedForWakeMs;
          },
          (err: unknown) => abandon.abort(err),
        );
        // The client waited from here to the response head: that is its wake time.
        const beforeResponse = (): void => {
          const waited = Math.max(1, Math.round(ctx.now() - sentAt));
          res.setHeader(WAKE_MS_HEADER, String(waited));
          outcome.wakeMs ??= waited;
        };
        const onFailure = (err: unknown): void => {
          if (res.destroyed) return;
          fail(ctx, res, err, { reqId, route: plan.route, service }, outcome);
        };
        send(ctx, req, res, plan, upstream, null, onFailure, false, { abandon: abandon.signal, beforeResponse });
      },
    };
    admit(ctx, req, exchange);
  };
}
