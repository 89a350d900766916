/**
 * PostgreSQL readiness probe: speaks the first message of the wire protocol (a StartupMessage for
 * user and database `postgres`, protocol 3.0, no credentials) and judges the server's first answer.
 *
 * Policy: PostgreSQL accepts TCP connections before it accepts sessions: during start-up or crash
 * recovery it answers `FATAL: the database system is starting up` (DOCKER-FACTS.md), so a connect
 * is not readiness. Ready is a server that would run a session:
 * - `R` (an authentication request, or AuthenticationOk under trust auth): ready; the probe then
 *   closes without authenticating, which the server does not log as an error;
 * - `E` with any SQLSTATE but those of a server that cannot take sessions now (57P03
 *   cannot_connect_now: starting up, shutting down, in recovery; 57P01/57P02 shutdown): ready, so
 *   a role, database or password error still means the server is up;
 * - `v` (NegotiateProtocolVersion): ready; anything else is not.
 */
import type { ProbeResult, ReadinessProbe } from './readiness-probe.ts';
import { exchange } from './socket-exchange.ts';

/** SQLSTATEs of a server that is up but takes no sessions yet (or any more). */
export const NOT_READY_SQLSTATES: ReadonlySet<string> = new Set(['57P03', '57P01', '57P02']);

const PROTOCOL_3_0 = 196_608;

/** What the postgres probe needs from the health_check config. */
export interface PostgresProbeOptions {
  readonly probeTimeoutMs: number;
}

/** The StartupMessage the probe sends: protocol 3.0, user and database `postgres`. */
export function startupMessage(): Buffer {
  const params = Buffer.from('user\0postgres\0database\0postgres\0application_name\0wake-proxy-probe\0\0', 'latin1');
  const head = Buffer.alloc(8);
  head.writeInt32BE(8 + params.length, 0);
  head.writeInt32BE(PROTOCOL_3_0, 4);
  return Buffer.concat([head, params]);
}

/** Judges the server's first message; null while it is incomplete. */
export function judgePostgresAnswer(received: Buffer): ProbeResult | null {
  if (received.length < 1) return null;
  const type = String.fromCharCode(received[0] as number);
  if (type === 'R') return { ready: true, detail: 'postgres accepts sessions' };
  if (type === 'v') return { ready: true, detail: 'postgres negotiates the protocol' };
  if (type !== 'E') return { ready: false, detail: `postgres answered message ${JSON.stringify(type)}` };
  if (received.length < 5) return null;
  const length = received.readInt32BE(1);
  if (length < 4 || length > 16_384) return { ready: false, detail: 'postgres answered a malformed error' };
  if (received.length < 1 + length) return null;
  const fields = errorFields(received.subarray(5, 1 + length));
  const code = fields.get('C') ?? '';
  const message = fields.get('M') ?? '';
  const detail = `postgres ${code}${message === '' ? '' : `: ${message}`}`;
  return { ready: !NOT_READY_SQLSTATES.has(code) && code !== '', detail };
}

/** The fields of an ErrorResponse body: a type byte, a NUL-terminated string, …, then a NUL. */
function errorFields(body: Buffer): Map<string, string> {
  const fields = new Map<string, string>();
  let at = 0;
  while (at < body.length && body[at] !== 0) {
    const type = String.fromCharCode(body[at] as number);
    const end = body.indexOf(0, at + 1);
    if (end < 0) break;
    fields.set(type, body.toString('utf8', at + 1, end));
    at = end + 1;
  }
  return fields;
}

/** Creates a PostgreSQL readiness probe. */
export function createPostgresProbe(options: PostgresProbeOptions): ReadinessProbe {
  const how = { greeting: startupMessage(), judge: judgePostgresAnswer, timeoutMs: options.probeTimeoutMs };
  return {
    async check(upstream, signal) {
      signal.throwIfAborted();
      if (upstream === null) return { ready: false, detail: 'no address' };
      return exchange(upstream, how, signal);
    },
  };
}
