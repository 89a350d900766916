/**
 * The 'upgrade' listener (WebSocket): admit() with the raw socket as the exchange, then
 * http-proxy-3 takes the socket.
 *
 * Policy: the socket's 'close' ends the exchange, so an open WebSocket counts as in-flight work
 * and keeps its service awake. Errors before the 101 are answered on the raw socket with a
 * minimal HTTP/1.1 response; after it, the socket is closed (WebSocket frames are flowing).
 * Unlike a plain request, an upgrade whose client half-closes (FIN) before it is forwarded is
 * over: a WebSocket needs both directions, so the socket is destroyed, its hold dropped and its
 * activity released, instead of being forwarded to a client that can never speak.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { UpstreamUnreachableError } from '../errors.ts';
import { admit, type Exchange } from './admit.ts';
import { toProblem, writeProblemToSocket } from './error-response.ts';
import { logFailure, type EdgeContext } from './request-plan.ts';

/** Creates the listener for the server's 'upgrade' event. */
export function createUpgradeListener(ctx: EdgeContext): (req: IncomingMessage, socket: Duplex, head: Buffer) => void {
  return (req, socket, head) => {
    // A client may reset its socket at any time, held or not; that must not crash the process.
    socket.on('error', () => socket.destroy());
    const onEndBeforeForward = (): void => {
      socket.destroy();
    };
    socket.once('end', onEndBeforeForward);
    const exchange: Exchange = {
      reqId: ctx.nextReqId(),
      closer: socket,
      isClosed: () => socket.destroyed,
      fail(err, fields) {
        const problem = toProblem(err);
        logFailure(ctx.log, fields, problem.status, err);
        writeProblemToSocket(socket, problem);
      },
      forward(plan, upstream, _waitedForWakeMs, end) {
        socket.off('end', onEndBeforeForward);
        const fields = { reqId: exchange.reqId, route: plan.route, service: plan.handle.name };
        const target = { service: plan.handle.name, upstream, path: plan.upstreamPath, strippedPrefix: plan.strippedPrefix, rewrite: plan.rewrite, authority: plan.authority };
        ctx.forwarder.ws(req, socket, head, target, (err, upgraded) => {
          end?.(!upgraded && err instanceof UpstreamUnreachableError);
          if (!upgraded) return exchange.fail(err, fields);
          logFailure(ctx.log, fields, 502, err);
          socket.destroy();
        });
      },
    };
    admit(ctx, req, exchange);
  };
}
