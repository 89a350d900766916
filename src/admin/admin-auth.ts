/**
 * Who may use the admin API.
 *
 * Policy:
 * - `GET /healthz` (and HEAD) is open to everyone: orchestrators and the image's HEALTHCHECK
 *   probe it, and it tells nothing but "ok" or "terminating". So is `GET /`, the status page: it
 *   carries no data, and asks the user for the token when the API it reads answers 401.
 * - A client on loopback (127.0.0.0/8, ::1, ::ffff:127.x) needs no token: it already runs on the
 *   proxy's host, or inside its container.
 * - Any other client needs `Authorization: Bearer <token>` with the configured token. The token is
 *   compared in constant time (SHA-256 of both sides, then timingSafeEqual), so neither its content
 *   nor its length leaks through timing.
 * - With no token configured, non-loopback clients are refused outright (403): an admin API that
 *   can stop every service is never open to a network by accident.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { AdminAction } from './admin-routes.ts';

/** What the access check needs to know about one request. */
export interface AdminRequestFacts {
  readonly action: AdminAction;
  readonly method: string;
  /** The peer's address as node:net reports it (`req.socket.remoteAddress`). */
  readonly remoteAddress: string | undefined;
  /** The raw `Authorization` header, if any. */
  readonly authorization: string | undefined;
}

/** allowed, or why not: `token-required` (401: a token would help) or `remote-refused` (403: none is configured). */
export type AdminVerdict = 'allowed' | 'token-required' | 'remote-refused';

/** Checks a presented token against the configured one in constant time. */
export type TokenCheck = (presented: string) => boolean;

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/** A constant-time comparison against `token` (only its digest is kept). */
export function createTokenCheck(token: string): TokenCheck {
  const expected = digest(token);
  return (presented) => timingSafeEqual(digest(presented), expected);
}

/** True for loopback peers: 127.0.0.0/8, ::1 and their IPv4-mapped forms. */
export function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  return address === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

/** The token of an `Authorization: Bearer <token>` header, or null. */
export function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? '');
  return match?.[1] ?? null;
}

/** Decides whether a request may proceed; `check` is null when no token is configured. */
export function checkAdminAccess(facts: AdminRequestFacts, check: TokenCheck | null): AdminVerdict {
  const readOnly = facts.method === 'GET' || facts.method === 'HEAD';
  if ((facts.action.kind === 'healthz' || facts.action.kind === 'page') && readOnly) return 'allowed';
  if (isLoopback(facts.remoteAddress)) return 'allowed';
  if (check === null) return 'remote-refused';
  const presented = bearerToken(facts.authorization);
  return presented !== null && check(presented) ? 'allowed' : 'token-required';
}
