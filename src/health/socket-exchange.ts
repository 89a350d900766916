/**
 * The one TCP conversation the protocol probes (tcp, postgres, redis, mysql) have with a server:
 * connect, optionally send a greeting, read until the server's answer can be judged, close.
 *
 * Policy:
 * - A fresh connection per check, destroyed as soon as the answer is judged: a probe never keeps
 *   a socket that could go stale while the container is paused or restarted.
 * - Bounded: the whole exchange by `timeoutMs` (a stopped container's old bridge IP hangs rather
 *   than refuses), the answer read by MAX_ANSWER_BYTES (a judge that wants more than that is
 *   answered "not ready").
 * - A failure is reported, never thrown: `ECONNREFUSED`, `ECONNRESET`, `connection closed before
 *   an answer`, `timeout after 1000 ms`. It rejects only when the caller's signal aborts, with its
 *   reason.
 */
import { connect } from 'node:net';
import type { Upstream } from '../providers/container-provider.ts';
import { probeFailure, type ProbeResult } from './readiness-probe.ts';

/** The most bytes of an answer a probe reads before giving up on judging it. */
export const MAX_ANSWER_BYTES = 64 * 1024;

/** Judges what the server sent so far: a result, or null to read more. */
export type AnswerJudge = (received: Buffer) => ProbeResult | null;

/** One exchange: what to send once connected, how to judge the answer (null: connected is ready). */
export interface SocketExchange {
  readonly greeting: Buffer | null;
  readonly judge: AnswerJudge | null;
  readonly timeoutMs: number;
}

/** Runs one exchange with `upstream`; see the module header for the policy. */
export function exchange(upstream: Upstream, how: SocketExchange, signal: AbortSignal): Promise<ProbeResult> {
  return new Promise<ProbeResult>((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const socket = connect({ host: upstream.host, port: upstream.port });
    let received = Buffer.alloc(0);
    let settled = false;
    const finish = (settle: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      settle();
    };
    const report = (result: ProbeResult): void => finish(() => resolve(result));
    const onAbort = (): void => finish(() => reject(signal.reason));
    const timer = setTimeout(() => report({ ready: false, detail: `timeout after ${how.timeoutMs} ms` }), how.timeoutMs);
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => {
      if (how.judge === null) return report({ ready: true, detail: 'connected' });
      if (how.greeting !== null) socket.write(how.greeting);
    });
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const result = how.judge?.(received) ?? null;
      if (result !== null) report(result);
      else if (received.length > MAX_ANSWER_BYTES) report({ ready: false, detail: 'answer too long to judge' });
    });
    socket.once('end', () => report({ ready: false, detail: 'connection closed before an answer' }));
    socket.once('close', () => report({ ready: false, detail: 'connection closed before an answer' }));
    socket.on('error', (err: NodeJS.ErrnoException) => report(probeFailure(err.code ?? err.message)));
  });
}
