/**
 * Redis readiness probe: sends `PING` and judges the first reply line.
 *
 * Policy: `+PONG` is ready, and so is an authentication error (`-NOAUTH`, `-WRONGPASS`, `-NOPERM`):
 * the server is up and would serve an authenticated client, and the probe holds no password.
 * `-LOADING` (the dataset is still being loaded from disk), `-BUSY` (a script is running) and
 * `-MASTERDOWN` (a replica that serves no stale data) are not ready, nor is any other reply.
 */
import type { ProbeResult, ReadinessProbe } from './readiness-probe.ts';
import { exchange } from './socket-exchange.ts';

const PING = Buffer.from('*1\r\n$4\r\nPING\r\n', 'latin1');
const AUTH_ERRORS = /^-(NOAUTH|WRONGPASS|NOPERM)\b/;

/** What the redis probe needs from the health_check config. */
export interface RedisProbeOptions {
  readonly probeTimeoutMs: number;
}

/** Judges the reply to PING; null until a whole line has arrived. */
export function judgeRedisAnswer(received: Buffer): ProbeResult | null {
  const end = received.indexOf('\r\n');
  if (end < 0) return null;
  const line = received.toString('utf8', 0, Math.min(end, 200));
  if (line === '+PONG') return { ready: true, detail: 'redis PONG' };
  if (AUTH_ERRORS.test(line)) return { ready: true, detail: `redis ${line}` };
  return { ready: false, detail: `redis ${line}` };
}

/** Creates a Redis readiness probe. */
export function createRedisProbe(options: RedisProbeOptions): ReadinessProbe {
  const how = { greeting: PING, judge: judgeRedisAnswer, timeoutMs: options.probeTimeoutMs };
  return {
    async check(upstream, signal) {
      signal.throwIfAborted();
      if (upstream === null) return { ready: false, detail: 'no address' };
      return exchange(upstream, how, signal);
    },
  };
}
