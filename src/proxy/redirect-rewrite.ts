/**
 * Keeps redirects inside a stripped prefix. Behind `strip_prefix: true` the app sees `/links`
 * where the client asked for `/app/links`; a `Location: /links` it sends back would lead the
 * browser out of `/app` into another route. Like nginx's `proxy_redirect default`, such headers
 * are rewritten back under the prefix.
 *
 * Policy:
 * - `Location`, `Content-Location` and the `url=` of `Refresh` are rewritten when they point into
 *   the stripped space: a path-absolute reference (`/links`), or an absolute URL whose authority
 *   is the Host the client used (the app sees that Host, so it builds such URLs). A reference
 *   already under the prefix (an app that honours X-Forwarded-Prefix), a relative one (`links`,
 *   which the browser resolves under the prefix anyway), a network-path one (`//cdn/x`) or one
 *   to another host is left alone.
 * - `Set-Cookie` `Path=` attributes are rewritten the same way only when asked
 *   (`rewrite_cookie_path`), since a cookie scoped to `/` may be meant for the whole site.
 * - Pure functions over header values; nothing else in the response is touched (links in bodies
 *   are the app's to build from X-Forwarded-Prefix).
 */
import type { OutgoingHeaders } from './headers.ts';

/** What to rewrite for one response. */
export interface RewriteRules {
  /** The stripped prefix, e.g. `/app`. */
  readonly prefix: string;
  /** The Host the client sent (absolute URLs with this authority count as the app's own). */
  readonly host: string | undefined;
  readonly location: boolean;
  readonly cookiePath: boolean;
}

function underPrefix(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(`${prefix}/`) || path.startsWith(`${prefix}?`) || path.startsWith(`${prefix}#`);
}

/** One URI reference rewritten back under the prefix when it points into the stripped space. */
export function rewriteReference(value: string, rules: Pick<RewriteRules, 'prefix' | 'host'>): string {
  const { prefix, host } = rules;
  if (value.startsWith('/') && !value.startsWith('//')) {
    return underPrefix(value, prefix) ? value : `${prefix}${value}`;
  }
  const absolute = /^(https?:\/\/)([^/?#]+)(.*)$/i.exec(value);
  if (absolute === null || host === undefined) return value;
  const [, scheme, authority, rest = ''] = absolute;
  if (authority?.toLowerCase() !== host.toLowerCase()) return value;
  const path = rest === '' ? '/' : rest;
  if (!path.startsWith('/') || underPrefix(path, prefix)) return value;
  return `${scheme}${authority}${prefix}${path}`;
}

/** `Refresh: 5; url=/x` with its URL rewritten. */
export function rewriteRefresh(value: string, rules: Pick<RewriteRules, 'prefix' | 'host'>): string {
  return value.replace(/(;\s*url\s*=\s*)(['"]?)([^'"]*)\2/i, (_m, lead: string, quote: string, url: string) => `${lead}${quote}${rewriteReference(url, rules)}${quote}`);
}

/** One Set-Cookie value with its `Path=` rewritten. */
export function rewriteCookiePath(cookie: string, prefix: string): string {
  return cookie.replace(/(;\s*path\s*=\s*)([^;]*)/i, (_m, lead: string, path: string) => {
    const trimmed = path.trim();
    if (!trimmed.startsWith('/') || underPrefix(trimmed, prefix)) return `${lead}${path}`;
    return `${lead}${trimmed === '/' ? prefix : `${prefix}${trimmed}`}`;
  });
}

/** The client's response headers with the rules applied (a new object; the input is kept). */
export function rewriteResponseHeaders(headers: OutgoingHeaders, rules: RewriteRules): OutgoingHeaders {
  const out: OutgoingHeaders = { ...headers };
  if (rules.location) {
    for (const name of ['location', 'content-location'] as const) {
      const value = out[name];
      if (typeof value === 'string') out[name] = rewriteReference(value, rules);
    }
    const refresh = out['refresh'];
    if (typeof refresh === 'string') out['refresh'] = rewriteRefresh(refresh, rules);
  }
  const cookies = out['set-cookie'];
  if (rules.cookiePath && cookies !== undefined) {
    out['set-cookie'] = (Array.isArray(cookies) ? cookies : [cookies]).map((c) => rewriteCookiePath(c, rules.prefix));
  }
  return out;
}
