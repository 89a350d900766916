/**
 * The only place that maps errors to HTTP.
 *
 * Policy: a stable error code decides the status (STATUS_BY_CODE); anything that is not a
 * WakeProxyError, or is a bug (WP_INVALID_TRANSITION), or is config (WP_CONFIG_INVALID), is 500.
 * Bodies are short `application/problem+json` documents (RFC 9457). They never carry internal
 * addresses: container IPs, upstream ports and the Docker endpoint stay in the logs. Errors that
 * only the runtime can explain get a fixed detail; 500s say nothing about their cause.
 * "Come back later" answers (hold queue full, asleep) carry Retry-After; a 401 from the admin API
 * carries `WWW-Authenticate: Bearer`.
 */
import { STATUS_CODES, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  AdminUnauthorizedError,
  HoldQueueFullError,
  MethodNotAllowedError,
  ServiceAsleepError,
  WakeProxyError,
  type ErrorCode,
} from '../errors.ts';
import { prefersHtml, renderErrorPage } from './error-page.ts';
import type { ProblemBody } from './problem-body.ts';

/** The HTTP status of every error code. */
export const STATUS_BY_CODE: Readonly<Record<ErrorCode, number>> = Object.freeze({
  WP_CONFIG_INVALID: 500,
  WP_ROUTE_NOT_FOUND: 404,
  WP_BAD_REQUEST_PATH: 400,
  WP_METHOD_NOT_ALLOWED: 405,
  WP_BAD_REQUEST: 400,
  WP_HTTP_VERSION: 505,
  WP_WAKE_TIMEOUT: 504,
  WP_WAKE_FAILED: 503,
  WP_PROVIDER_UNAVAILABLE: 503,
  WP_CONTAINER_NOT_FOUND: 503,
  WP_IMAGE_NOT_FOUND: 503,
  WP_CONTAINER_AMBIGUOUS: 503,
  WP_CONTAINER_OUT_OF_SCOPE: 503,
  WP_PROVIDER_FAILED: 503,
  WP_HOLD_QUEUE_FULL: 503,
  WP_SERVICE_ASLEEP: 503,
  WP_UPSTREAM_UNREACHABLE: 502,
  WP_UPSTREAM_TIMEOUT: 504,
  WP_INVALID_TRANSITION: 500,
  WP_SERVICE_BUSY: 409,
  WP_BAD_REQUEST_BODY: 400,
  WP_SHUTTING_DOWN: 503,
  WP_ADMIN_UNAUTHORIZED: 401,
  WP_ADMIN_FORBIDDEN: 403,
  WP_INTERNAL: 500,
});

const RUNTIME_DETAIL = 'the container runtime could not bring the service up';
/** Codes whose message names runtime internals (endpoint, container) and is replaced for clients. */
const FIXED_DETAIL: Partial<Record<ErrorCode, string>> = {
  WP_PROVIDER_UNAVAILABLE: RUNTIME_DETAIL,
  WP_CONTAINER_NOT_FOUND: RUNTIME_DETAIL,
  WP_IMAGE_NOT_FOUND: RUNTIME_DETAIL,
  WP_CONTAINER_AMBIGUOUS: RUNTIME_DETAIL,
  WP_CONTAINER_OUT_OF_SCOPE: RUNTIME_DETAIL,
  WP_PROVIDER_FAILED: RUNTIME_DETAIL,
};

/** A status, body and extra headers ready to send. */
export type Problem = {
  readonly status: number;
  readonly body: ProblemBody;
  readonly headers: Readonly<Record<string, string>>;
};

/** Codes whose message only repeats what the client sent (its Host, its path): shown as sent. */
const CLIENT_WORDS: ReadonlySet<ErrorCode> = new Set(['WP_ROUTE_NOT_FOUND', 'WP_BAD_REQUEST_PATH', 'WP_METHOD_NOT_ALLOWED']);

const IPV4 = /\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b/g;
const IPV6 = /\[?\b[0-9a-fA-F]{0,4}(?::[0-9a-fA-F]{0,4}){2,7}\]?(?::\d+)?/g;
const ENDPOINT = /\b(?:unix|tcp|npipe|https?):\/\/\S+/g;

/** Replaces IP addresses, host:port pairs and endpoint URLs in a message with `<internal>`. */
export function scrubAddresses(message: string): string {
  return message.replace(ENDPOINT, '<internal>').replace(IPV4, '<internal>').replace(IPV6, '<internal>');
}

function isKnownCode(code: string): code is ErrorCode {
  return Object.hasOwn(STATUS_BY_CODE, code);
}

/** Maps any thrown value to the problem the client gets. */
export function toProblem(err: unknown): Problem {
  const code = err instanceof WakeProxyError && isKnownCode(err.code) ? err.code : null;
  const status = code === null ? 500 : STATUS_BY_CODE[code];
  const message = (err as Error).message;
  const detail =
    code === null || status === 500
      ? 'internal error'
      : (FIXED_DETAIL[code] ?? (CLIENT_WORDS.has(code) ? message : scrubAddresses(message)));
  const headers: Record<string, string> = {};
  if (err instanceof HoldQueueFullError || err instanceof ServiceAsleepError) {
    headers['retry-after'] = String(err.retryAfterSeconds);
  }
  if (err instanceof AdminUnauthorizedError) headers['www-authenticate'] = 'Bearer realm="wake-proxy admin"';
  if (err instanceof MethodNotAllowedError) headers['allow'] = MethodNotAllowedError.ALLOW;
  const body: ProblemBody = {
    type: 'about:blank',
    title: STATUS_CODES[status] ?? 'Error',
    status,
    code: code ?? 'WP_INTERNAL',
    detail,
  };
  return { status, body, headers };
}

function serialize(problem: Problem): string {
  return `${JSON.stringify(problem.body)}\n`;
}

/**
 * Writes a problem as the whole response: an HTML page for a client that prefers one
 * (error-page.ts), else problem+json. The caller checks `res.headersSent` first.
 */
export function sendProblem(res: ServerResponse, problem: Problem): void {
  const html = prefersHtml(res.req?.headers.accept);
  const text = html ? renderErrorPage(problem.body, problem.headers['retry-after']) : serialize(problem);
  res.writeHead(problem.status, {
    ...problem.headers,
    'content-type': html ? 'text/html; charset=utf-8' : 'application/problem+json',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
}

/** Answers an upgrade request on its raw socket with a minimal HTTP/1.1 response, then closes it. */
export function writeProblemToSocket(socket: Duplex, problem: Problem): void {
  if (socket.destroyed || !socket.writable) {
    socket.destroy();
    return;
  }
  const text = serialize(problem);
  const extra = Object.entries(problem.headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  socket.end(
    `HTTP/1.1 ${problem.status} ${problem.body.title}\r\n` +
      `content-type: application/problem+json\r\ncontent-length: ${Buffer.byteLength(text)}\r\n` +
      `cache-control: no-store\r\nconnection: close\r\n${extra}\r\n${text}`,
    () => socket.destroy(),
  );
}
