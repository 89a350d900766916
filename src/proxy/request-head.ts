/**
 * The request's version and Host, checked before routing, and so before any wake; and whether it
 * carries a body (which decides what may be forwarded early, retried, or streamed upstream).
 *
 * Policy (RFC 9112 §2.3, §3.2): only HTTP/1.0 and HTTP/1.1 are served (`GET /x` with no version
 * is HTTP/0.9; an `HTTP/2.0` text request line is not HTTP/2) → 505. A request with more than one
 * Host header, or a Host that is not `host[:port]` (an unclosed `[`, a space, userinfo) → 400,
 * because the route chosen and the upstream's idea of the origin must come from one unambiguous
 * name; Node's parser keeps the first of two Hosts and accepts any bytes. HTTP/1.1 without Host
 * is already refused by Node (`requireHostHeader`). HTTP/1.0 without Host (or an empty Host) is
 * valid: the authority sent upstream is then the address the client connected to, never the
 * container's address that the HTTP client would otherwise fill in.
 */
import type { IncomingMessage } from 'node:http';
import { BadRequestError, HttpVersionNotSupportedError } from '../errors.ts';

// uri-host [ ":" port ]: an IP literal in brackets, or a reg-name / IPv4 (RFC 3986 §3.2.2).
const HOST = /^(?:\[[0-9A-Fa-f:.]+\]|\[v[0-9A-Fa-f]+\.[A-Za-z0-9\-._~!$&'()*+,;=:]+\]|[A-Za-z0-9\-._~!$&'()*+,;=%]+)(?::\d{0,5})?$/;

function hostHeaderCount(raw: readonly string[]): number {
  let count = 0;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    if (name.length === 4 && name.toLowerCase() === 'host') count += 1;
  }
  return count;
}

function localAuthority(req: IncomingMessage): string {
  const { localAddress, localPort } = req.socket;
  if (localAddress === undefined) return 'localhost';
  const host = localAddress.includes(':') ? `[${localAddress}]` : localAddress;
  return localPort === undefined ? host : `${host}:${localPort}`;
}

/**
 * Checks the request's version and Host; returns the authority to send upstream as Host.
 * Throws HttpVersionNotSupportedError (505) or BadRequestError (400).
 */
export function checkRequestHead(req: IncomingMessage): string {
  if (req.httpVersionMajor !== 1 || (req.httpVersionMinor !== 0 && req.httpVersionMinor !== 1)) {
    throw new HttpVersionNotSupportedError(req.httpVersion);
  }
  const count = hostHeaderCount(req.rawHeaders);
  if (count > 1) throw new BadRequestError('more than one Host header');
  const host = req.headers.host;
  if (host === undefined || host === '') return localAuthority(req);
  if (!HOST.test(host)) throw new BadRequestError('Host is not a valid host[:port]');
  return host;
}

/** True when the request carries a body: a Transfer-Encoding, or a Content-Length other than 0. */
export function hasRequestBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}
