/**
 * The last line of defence of both listeners (proxy and admin): no exception thrown while one
 * request is handled may reach the process, where it would end every other client's exchange.
 *
 * Policy: a listener that throws, or whose promise rejects, gets its request answered with the
 * problem toProblem() maps the error to (500 WP_INTERNAL for anything unexpected) while nothing
 * has been written yet; otherwise its socket is destroyed. The error is logged once, here, at
 * error level for a 500 (a bug) and info otherwise. Handlers still catch what they expect; this
 * only catches what they did not.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from '../logging/logger.ts';
import { sendProblem, toProblem, writeProblemToSocket } from './error-response.ts';

/** A 'request' listener that may be async. */
export type RequestListener = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;
/** An 'upgrade' listener that may be async. */
export type UpgradeListener = (req: IncomingMessage, socket: Duplex, head: Buffer) => void | Promise<void>;

function report(log: Logger, req: IncomingMessage, status: number, err: unknown): void {
  const line = { method: req.method, url: req.url, status, err };
  if (status === 500) log.error(line, 'request handler failed');
  else log.info(line, 'request refused');
}

function run(work: () => void | Promise<void>, onError: (err: unknown) => void): void {
  try {
    const result = work();
    if (result instanceof Promise) result.catch(onError);
  } catch (err) {
    onError(err);
  }
}

/** Wraps a 'request' listener so that nothing it throws or rejects with escapes. */
export function guardRequestListener(listener: RequestListener, log: Logger): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) =>
    run(
      () => listener(req, res),
      (err) => {
        const problem = toProblem(err);
        report(log, req, problem.status, err);
        if (res.headersSent || res.destroyed) res.destroy();
        else sendProblem(res, problem);
      },
    );
}

/** Wraps an 'upgrade' listener the same way; the answer goes on the raw socket. */
export function guardUpgradeListener(listener: UpgradeListener, log: Logger): (req: IncomingMessage, socket: Duplex, head: Buffer) => void {
  return (req, socket, head) =>
    run(
      () => listener(req, socket, head),
      (err) => {
        const problem = toProblem(err);
        report(log, req, problem.status, err);
        const written = (socket as Partial<{ bytesWritten: number }>).bytesWritten ?? 0;
        if (written === 0) writeProblemToSocket(socket, problem);
        else socket.destroy();
      },
    );
}
