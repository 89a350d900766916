/**
 * The request target, checked before anything else looks at it.
 *
 * Policy: refuse rather than repair. A path the upstream could read differently from the proxy
 * (a `..` or `.` segment, an encoded `/` or `\`, a backslash, a NUL, raw bytes a URL parser would
 * re-encode, a malformed `%` escape) gets 400, because route matching and `strip_prefix` decide on
 * the text the proxy sees, and the upstream must see that same text. Only origin-form targets
 * (`/path?query`) are accepted: absolute-form (`GET http://other/`) and `*` are refused, so
 * wake-proxy can never be used as an open forward proxy. The query string is passed on untouched.
 * Whoever needs a decoded segment (the admin API's service names) decodes it with
 * decodePathSegment, the one decoder, which refuses what decodeURIComponent would throw on.
 */
import { BadRequestPathError } from '../errors.ts';

/** A validated origin-form request target. */
export interface RequestTarget {
  /** The path only, e.g. `/api/items`; the text routing and request rules look at. */
  readonly path: string;
  /** `?` and the query, or `''`; forwarded as received. */
  readonly search: string;
}

// RFC 3986 pchar plus "/" and "%" (escapes are checked separately). Anything else (space, quote,
// "<", "\", "#", control bytes, non-ASCII) would be changed by a URL normaliser.
const SAFE_PATH = /^[A-Za-z0-9\-._~!$&'()*+,;=:@/%]*$/;
const PERCENT = /%(?![0-9A-Fa-f]{2})/;
const FORBIDDEN_ESCAPE = /%(?:2[fF]|5[cC]|00)/;
const DOT_SEGMENT = /\/(?:\.|%2[eE]){1,2}(?=\/|$)/;

/** Validates a raw request target (`req.url`); throws BadRequestPathError when it is unsafe. */
export function parseRequestTarget(url: string | undefined): RequestTarget {
  if (url === undefined || url.length === 0) throw new BadRequestPathError('empty request target');
  if (url.charCodeAt(0) !== 47 /* / */) {
    throw new BadRequestPathError('only origin-form targets ("/path") are accepted');
  }
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  if (!SAFE_PATH.test(path)) throw new BadRequestPathError('path has characters that change under normalisation');
  if (path.includes('%')) {
    if (PERCENT.test(path)) throw new BadRequestPathError('malformed percent escape');
    if (FORBIDDEN_ESCAPE.test(path)) throw new BadRequestPathError('encoded slash, backslash or NUL');
  }
  if (path.includes('.') || path.includes('%')) {
    if (DOT_SEGMENT.test(path)) throw new BadRequestPathError('dot segment');
  }
  return { path, search: q === -1 ? '' : url.slice(q) };
}

/**
 * Decodes one path segment (`%61pi` → `api`). Throws BadRequestPathError (400) for a malformed
 * escape (`%zz`, `%A` at the end) or escapes that are not UTF-8 (`%E0%A4`), where
 * decodeURIComponent would throw a URIError.
 */
export function decodePathSegment(segment: string): string {
  if (!segment.includes('%')) return segment;
  if (PERCENT.test(segment)) throw new BadRequestPathError('malformed percent escape');
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new BadRequestPathError('percent escapes are not UTF-8');
  }
}

/**
 * True when `path` starts with `prefix` on whole segments: `/api` matches `/api`, `/api/` and
 * `/api/x` but not `/apix`; `/` matches every path. A trailing `/` on the prefix is ignored.
 */
export function hasSegmentPrefix(path: string, prefix: string): boolean {
  const p = prefix.length > 1 && prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
  if (p === '/') return true;
  if (!path.startsWith(p)) return false;
  return path.length === p.length || path.charCodeAt(p.length) === 47;
}

/**
 * Removes a route prefix from a validated target, keeping the query: with prefix `/api`,
 * `/api` → `/`, `/api/x?y` → `/x?y`, `/api?y` → `/?y`. A target the prefix does not cover, or
 * the prefix `/`, is returned unchanged.
 */
export function stripPrefix(target: string, prefix: string): string {
  if (prefix === '/' || !target.startsWith(prefix)) return target;
  const rest = target.slice(prefix.length);
  if (rest.length === 0) return '/';
  const next = rest.charCodeAt(0);
  if (next === 47 /* / */) return rest;
  if (next === 63 /* ? */) return `/${rest}`;
  return target;
}
