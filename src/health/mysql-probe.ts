/**
 * MySQL and MariaDB readiness probe: the server speaks first, so the probe connects and judges the
 * first packet (3-byte length, sequence number, payload).
 *
 * Policy: an initial handshake packet (protocol version 10, the first payload byte) is ready; an
 * error packet (0xff: too many connections, host blocked, server shutting down) is not, and its
 * message is the detail, with one exception: 1130 (ER_HOST_NOT_PRIVILEGED, "Host … is not allowed
 * to connect"), which a server that takes sessions sends to a host no account names. That is
 * MariaDB's answer out of the box to a proxy on another address (its accounts are all
 * @localhost): like a role error for PostgreSQL, it means the server is up. The probe sends
 * nothing and closes before logging in.
 */
import type { ProbeResult, ReadinessProbe } from './readiness-probe.ts';
import { exchange } from './socket-exchange.ts';

const HANDSHAKE_V10 = 0x0a;
const ERROR_PACKET = 0xff;
/** ER_HOST_NOT_PRIVILEGED: the server is up, and refuses this host only. */
const HOST_NOT_PRIVILEGED = 1130;

/** What the mysql probe needs from the health_check config. */
export interface MysqlProbeOptions {
  readonly probeTimeoutMs: number;
}

/** Judges the server's first packet; null until it is whole. */
export function judgeMysqlAnswer(received: Buffer): ProbeResult | null {
  if (received.length < 5) return null;
  const length = received.readUIntLE(0, 3);
  if (received.length < 4 + length) return null;
  const payload = received.subarray(4, 4 + length);
  if (payload[0] === HANDSHAKE_V10) {
    const version = payload.toString('latin1', 1, Math.max(1, payload.indexOf(0, 1)));
    return { ready: true, detail: `mysql handshake ${version}` };
  }
  if (payload[0] === ERROR_PACKET && payload.length >= 3) {
    const code = payload.readUInt16LE(1);
    // 4.1+ error packets carry '#' and a 5-character SQLSTATE before the message.
    const messageAt = payload[3] === 0x23 ? 9 : 3;
    const message = payload.toString('utf8', messageAt, Math.min(payload.length, messageAt + 200));
    return { ready: code === HOST_NOT_PRIVILEGED, detail: `mysql error ${code}: ${message}` };
  }
  return { ready: false, detail: `mysql answered packet 0x${(payload[0] ?? 0).toString(16)}` };
}

/** Creates a MySQL/MariaDB readiness probe. */
export function createMysqlProbe(options: MysqlProbeOptions): ReadinessProbe {
  const how = { greeting: null, judge: judgeMysqlAnswer, timeoutMs: options.probeTimeoutMs };
  return {
    async check(upstream, signal) {
      signal.throwIfAborted();
      if (upstream === null) return { ready: false, detail: 'no address' };
      return exchange(upstream, how, signal);
    },
  };
}
