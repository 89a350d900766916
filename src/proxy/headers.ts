/**
 * Header hygiene between the client and the upstream.
 *
 * Policy:
 * - Hop-by-hop headers (RFC 9110 §7.6.1, plus the legacy `keep-alive`, `proxy-connection` and
 *   HTTP/2's `http2-settings`) and every header the `Connection` header names describe one
 *   connection and are dropped in both directions. `expect` is dropped too: wake-proxy answers
 *   `100 Continue` itself, and undici refuses it.
 * - The client's `Host` is kept, so the upstream builds the same absolute URLs the client used;
 *   forward.ts sets it from the request plan, so a `Connection: host` cannot drop it.
 * - `X-Forwarded-For` gets the client address appended; `X-Forwarded-Host` is the Host header.
 *   `X-Forwarded-Proto` keeps an `http`/`https` value set by a TLS-terminating proxy in front
 *   (otherwise every app behind it would redirect-loop to https); else it is this hop's scheme.
 *   `X-Forwarded-Prefix` carries the prefix removed by `strip_prefix`.
 */
import type { IncomingHttpHeaders } from 'node:http';

/** Header values as Node and undici represent them. */
export type HeaderValues = Readonly<Record<string, string | readonly string[] | undefined>>;
/** Headers ready to send. */
export type OutgoingHeaders = Record<string, string | string[]>;

/** What the X-Forwarded-* headers describe. */
export interface ForwardedContext {
  /** The client's address as the proxy saw it (socket.remoteAddress). */
  readonly clientAddress: string | undefined;
  /** The scheme of the client's connection to this proxy. */
  readonly proto: 'http' | 'https';
  /** The prefix removed from the path, or null when nothing was stripped. */
  readonly strippedPrefix: string | null;
}

/** Headers that describe a single connection and never cross a proxy. */
export const HOP_BY_HOP_HEADERS: ReadonlySet<string> = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'proxy-authorization',
  'proxy-authenticate',
  'http2-settings',
]);

/** Header names a `Connection` value lists, or null when it lists none beyond the usual tokens. */
function connectionListed(value: string | readonly string[] | undefined): ReadonlySet<string> | null {
  if (value === undefined) return null;
  const text = typeof value === 'string' ? value : value.join(',');
  // The common values name no header (keep-alive is hop-by-hop anyway): no split, no Set.
  if (text.length <= 10) {
    const lower = text.toLowerCase();
    if (lower === 'keep-alive' || lower === 'close' || lower === '') return null;
  }
  const names = text.split(',').map((n) => n.trim().toLowerCase()).filter((n) => n.length > 0);
  return names.length === 0 ? null : new Set(names);
}

/**
 * Headers as one flat list, `[name, value, name, value, ...]`, lowercase names, a repeated header
 * once per value: what undici's dispatch and `res.writeHead` take as they are. Building a list
 * costs less per request than building an object key by key (measured, issue 12).
 */
export type HeaderList = string[];

/** Appends to `out` the end-to-end headers of `headers` that `replaced` does not set. */
function appendEndToEnd(out: HeaderList, headers: HeaderValues, replaced: OutgoingHeaders | null): HeaderList {
  const listed = connectionListed(headers['connection']);
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined) continue;
    const key = name.toLowerCase();
    if (HOP_BY_HOP_HEADERS.has(key) || key === 'expect' || listed?.has(key) || (replaced !== null && Object.hasOwn(replaced, key))) continue;
    if (typeof value === 'string') out.push(key, value);
    else for (const one of value) out.push(key, one);
  }
  return out;
}

/** A header list as an object (a repeated name's values joined into one array). */
export function listToObject(list: HeaderList): OutgoingHeaders {
  const out: OutgoingHeaders = {};
  for (let i = 0; i < list.length; i += 2) {
    const name = list[i] as string;
    const value = list[i + 1] as string;
    const prior = Object.hasOwn(out, name) ? out[name] : undefined;
    out[name] = prior === undefined ? value : [...[prior].flat(), value];
  }
  return out;
}

/** Copies `headers` without hop-by-hop headers, Connection-listed headers and `expect`. */
export function withoutHopByHop(headers: HeaderValues): OutgoingHeaders {
  return listToObject(appendEndToEnd([], headers, null));
}

function firstValue(value: string | readonly string[] | undefined): string | undefined {
  return typeof value === 'string' || value === undefined ? value : value[0];
}

/** The X-Forwarded-* headers for one request (to merge over the upstream request's headers). */
export function forwardedHeaders(incoming: HeaderValues, ctx: ForwardedContext): OutgoingHeaders {
  const out: OutgoingHeaders = {};
  const prior = incoming['x-forwarded-for'];
  const chain = typeof prior === 'string' ? prior : prior?.join(', ');
  const client = ctx.clientAddress ?? 'unknown';
  out['x-forwarded-for'] = chain ? `${chain}, ${client}` : client;
  const proto = firstValue(incoming['x-forwarded-proto'])?.trim().toLowerCase();
  out['x-forwarded-proto'] = proto === 'http' || proto === 'https' ? proto : ctx.proto;
  const host = firstValue(incoming['host']);
  if (host !== undefined) out['x-forwarded-host'] = host;
  if (ctx.strippedPrefix !== null) out['x-forwarded-prefix'] = ctx.strippedPrefix;
  return out;
}

/**
 * The headers sent upstream for a plain HTTP request, as a list: Host first, set to `authority`
 * (RFC 9112 §3.2 asks for it first), hop-by-hop removed, X-Forwarded-* set.
 */
export function toUpstreamHeaders(incoming: IncomingHttpHeaders, ctx: ForwardedContext, authority: string): HeaderList {
  const forwarded = forwardedHeaders(incoming, ctx);
  forwarded['host'] = authority;
  const out = appendEndToEnd(['host', authority], incoming, forwarded);
  for (const name in forwarded) if (name !== 'host') out.push(name, forwarded[name] as string);
  return out;
}

/** The upstream response's headers as sent to the client, as a list: hop-by-hop removed. */
export function toClientHeaders(upstream: HeaderValues): HeaderList {
  return appendEndToEnd([], upstream, null);
}

/**
 * The headers sent upstream for a WebSocket upgrade: like toUpstreamHeaders without X-Forwarded-*
 * (added separately), but `Connection: upgrade` and `Upgrade` are kept, since they are the request.
 */
export function toUpgradeHeaders(incoming: IncomingHttpHeaders): IncomingHttpHeaders {
  const out: IncomingHttpHeaders = withoutHopByHop(incoming);
  out.connection = 'upgrade';
  if (incoming.upgrade !== undefined) out.upgrade = incoming.upgrade;
  return out;
}
