/**
 * What went wrong between the proxy and an upstream, in the catalogue's terms.
 *
 * Policy: a deadline that passed waiting for the upstream (response headers, or a silent body)
 * is a timeout (504); everything else that prevents or breaks the exchange (refused, reset,
 * closed early, unroutable, connect timeout) means the upstream is unreachable (502). The
 * original error stays the `cause` for the logs; the message names no address, because it may
 * reach the client.
 */
import { UpstreamTimeoutError, UpstreamUnreachableError, type WakeProxyError } from '../errors.ts';

const TIMEOUT_REASONS: Readonly<Record<string, string>> = {
  UND_ERR_HEADERS_TIMEOUT: 'no response headers before the deadline',
  UND_ERR_BODY_TIMEOUT: 'response body stalled past the deadline',
};

const UNREACHABLE_REASONS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed while sending',
  UND_ERR_SOCKET: 'connection closed by the upstream',
  UND_ERR_CLOSED: 'connection closed',
  UND_ERR_CONNECT_TIMEOUT: 'connect timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connect timed out',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host lookup failed',
};

/** The first `code` found on an error, its AggregateError members, or its cause. */
export function errorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const own = (err as { code?: unknown }).code;
  if (typeof own === 'string') return own;
  if (err instanceof AggregateError) return errorCode(err.errors[0]);
  return errorCode((err as { cause?: unknown }).cause);
}

/** Maps an error from the upstream exchange to UpstreamTimeoutError or UpstreamUnreachableError. */
export function toUpstreamError(err: unknown, service: string): WakeProxyError {
  const code = errorCode(err) ?? 'unknown';
  const timeout = TIMEOUT_REASONS[code];
  if (timeout !== undefined) return new UpstreamTimeoutError(service, timeout, { cause: err });
  return new UpstreamUnreachableError(service, UNREACHABLE_REASONS[code] ?? `exchange failed (${code})`, {
    cause: err,
  });
}

const CLIENT_GONE_CODES: ReadonlySet<string> = new Set(['ERR_STREAM_PREMATURE_CLOSE', 'UND_ERR_ABORTED', 'ABORT_ERR']);

/** True when the error only says that the client went away (the proxy aborted the exchange). */
export function isClientGone(err: unknown): boolean {
  if (err instanceof Error && err.name === 'AbortError') return true;
  const code = errorCode(err);
  return code !== undefined && CLIENT_GONE_CODES.has(code);
}
