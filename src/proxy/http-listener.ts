/**
 * The 'request' (and 'checkContinue') listener: admit() with a ServerResponse as the exchange.
 *
 * Policy: a held request that is forwarded tells the client how long it waited
 * (X-Wake-Proxy-Wake-Ms). Errors are answered with a problem document while nothing has been
 * written, else the connection is cut. While shutting down, connections are not kept alive.
 * Access lines are written at debug level only, and cost nothing when debug is off.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { admit, type Exchange } from './admit.ts';
import { sendProblem, toProblem } from './error-response.ts';
import { logFailure, type EdgeContext, type FailureFields } from './request-plan.ts';

/** Response header carrying how long a held request waited for its service to wake. */
export const WAKE_MS_HEADER = 'x-wake-proxy-wake-ms';

function fail(ctx: EdgeContext, res: ServerResponse, err: unknown, fields: FailureFields): void {
  const problem = toProblem(err);
  logFailure(ctx.log, fields, problem.status, err);
  if (ctx.shutdown.aborted) res.shouldKeepAlive = false;
  if (res.headersSent || res.destroyed) res.destroy();
  else sendProblem(res, problem);
}

function logAccess(ctx: EdgeContext, req: IncomingMessage, res: ServerResponse, reqId: number): void {
  const startedAt = ctx.now();
  res.once('close', () => {
    const line = { reqId, method: req.method, url: req.url, status: res.statusCode, durationMs: ctx.now() - startedAt };
    ctx.log.debug(line, 'request done');
  });
}

/** Creates the listener for the server's 'request' and 'checkContinue' events. */
export function createHttpListener(ctx: EdgeContext): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const reqId = ctx.nextReqId();
    if (ctx.log.isLevelEnabled('debug')) logAccess(ctx, req, res, reqId);
    const exchange: Exchange = {
      reqId,
      closer: res,
      isClosed: () => res.destroyed,
      fail: (err, fields) => fail(ctx, res, err, fields),
      forward(plan, upstream, waitedForWakeMs) {
        if (waitedForWakeMs !== null) res.setHeader(WAKE_MS_HEADER, String(waitedForWakeMs));
        if (ctx.shutdown.aborted) res.shouldKeepAlive = false;
        const service = plan.handle.name;
        const target = { service, upstream, path: plan.upstreamPath, strippedPrefix: plan.strippedPrefix };
        ctx.forwarder.web(req, res, target).catch((err: unknown) => {
          fail(ctx, res, err, { reqId, route: plan.route, service });
        });
      },
    };
    admit(ctx, req, exchange);
  };
}
