/**
 * The 'request' (and 'checkContinue') listener: admit() with a ServerResponse as the exchange.
 *
 * Policy: a held request that is forwarded tells the client how long it waited
 * (X-Wake-Proxy-Wake-Ms). Errors are answered with a problem document while nothing has been
 * written, else the connection is cut. While shutting down, connections are not kept alive.
 * Access lines are info with `--access-log`, else debug; with neither (and no metrics) they cost nothing.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { admit, type Exchange } from './admit.ts';
import { sendProblem, toProblem } from './error-response.ts';
import { retryAfterSeconds } from './hold.ts';
import { serveLoadingPage } from './loading-page.ts';
import { logFailure, routeLabel, type EdgeContext, type FailureFields } from './request-plan.ts';

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
  res.once('close', () => {
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
      forward(plan, upstream, waitedForWakeMs) {
        if (waitedForWakeMs !== null) res.setHeader(WAKE_MS_HEADER, String(waitedForWakeMs));
        outcome.wakeMs = waitedForWakeMs;
        if (ctx.shutdown.aborted) res.shouldKeepAlive = false;
        const service = plan.handle.name;
        outcome.service = service;
        const target = { service, upstream, path: plan.upstreamPath, strippedPrefix: plan.strippedPrefix, rewrite: plan.rewrite, authority: plan.authority };
        ctx.forwarder.web(req, res, target).catch((err: unknown) => {
          fail(ctx, res, err, { reqId, route: plan.route, service }, outcome);
        });
      },
    };
    admit(ctx, req, exchange);
  };
}
