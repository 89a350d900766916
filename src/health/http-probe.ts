/**
 * HTTP readiness probe: `GET http://host:port<path>`, ready when the status is in the configured
 * range. The only health module that uses undici (through undici-lean.ts).
 *
 * Policy:
 * - Each check opens a fresh connection on its own Client and destroys it afterwards. A probe
 *   must never reuse a socket that went stale while the container was paused or restarted, and a
 *   wake is rare enough that connection setup costs nothing worth saving.
 * - Connect, headers and body are each bounded by `probeTimeoutMs`, and the whole check is bounded
 *   by it too, so one probe never outlives its budget whatever stage hangs.
 * - The body is always read to the end (`body.dump()`) so undici can release the socket.
 * - A failure is reported, never thrown: `HTTP 503`, `ECONNREFUSED`, `ECONNRESET`,
 *   `timeout after 1000 ms`. The check rejects only when the caller's signal aborts, with its reason.
 */
import { Client, request } from '../undici-lean.ts';
import type { Upstream } from '../providers/container-provider.ts';
import { probeFailure, type ProbeResult, type ReadinessProbe } from './readiness-probe.ts';

/** What the HTTP probe needs from the health_check config. */
export interface HttpProbeOptions {
  readonly path: string;
  readonly status: { readonly min: number; readonly max: number };
  readonly probeTimeoutMs: number;
}

const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/** Creates an HTTP probe; it never keeps a connection between checks. */
export function createHttpProbe(options: HttpProbeOptions): ReadinessProbe {
  return {
    check: (upstream, signal) => checkHttp(options, upstream, signal),
  };
}

async function checkHttp(options: HttpProbeOptions, upstream: Upstream | null, signal: AbortSignal): Promise<ProbeResult> {
  signal.throwIfAborted();
  if (upstream === null) return { ready: false, detail: 'no address' };
  const timeoutMs = options.probeTimeoutMs;
  const timeout = AbortSignal.timeout(timeoutMs);
  const client = new Client(toOrigin(upstream), {
    connectTimeout: timeoutMs,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    pipelining: 1,
  });
  try {
    const res = await request(client, {
      method: 'GET',
      path: options.path,
      headers: { 'user-agent': 'wake-proxy-probe' },
      signal: AbortSignal.any([signal, timeout]),
    });
    await res.body.dump();
    const ready = res.statusCode >= options.status.min && res.statusCode <= options.status.max;
    return { ready, detail: `HTTP ${res.statusCode}` };
  } catch (err) {
    if (signal.aborted) throw signal.reason;
    return probeFailure(describeFailure(err, timeout.aborted, timeoutMs));
  } finally {
    await client.destroy().catch(() => undefined);
  }
}

/** `http://host:port`, with brackets around an IPv6 literal. */
function toOrigin(upstream: Upstream): string {
  const host = upstream.host.includes(':') ? `[${upstream.host}]` : upstream.host;
  return `http://${host}:${upstream.port}`;
}

/** A short, log-friendly reason for a failed check. */
export function describeFailure(err: unknown, timedOut: boolean, timeoutMs: number): string {
  const code = errorCode(err);
  if (timedOut || (code !== undefined && TIMEOUT_CODES.has(code))) return `timeout after ${timeoutMs} ms`;
  const causeCode = errorCode(err instanceof Error ? err.cause : undefined);
  if (causeCode?.startsWith('E')) return causeCode;
  if (code?.startsWith('E')) return code;
  if (code === 'UND_ERR_SOCKET') return 'ECONNRESET';
  return err instanceof Error ? err.message : String(err);
}

function errorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null || !('code' in err)) return undefined;
  return typeof err.code === 'string' ? err.code : undefined;
}
