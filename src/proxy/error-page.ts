/**
 * Error answers for people: a short HTML page for clients that prefer `text/html` (browsers),
 * problem+json for everyone else.
 *
 * Policy: a client prefers HTML when its Accept header names `text/html` (or
 * `application/xhtml+xml`) with a quality above zero and at least that of any JSON type. `*\/*`
 * alone is not a preference (curl, fetch, API clients), so they keep problem+json. The page says
 * the status, what happened and when to retry (from Retry-After, or "in a moment" for a wake that
 * failed or timed out); every value is HTML-escaped.
 */
import type { ProblemBody } from './problem-body.ts';

/** Quality of each media range in an Accept header (`type/subtype` → q). */
function qualities(accept: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const part of accept.split(',')) {
    const [range, ...params] = part.trim().toLowerCase().split(';');
    if (!range) continue;
    const q = params.map((p) => /^\s*q\s*=\s*([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    const value = q === undefined ? 1 : Number(q);
    out.set(range.trim(), Number.isFinite(value) ? value : 0);
  }
  return out;
}

/** True when the Accept header prefers an HTML page to JSON (see the module header). */
export function prefersHtml(accept: string | undefined): boolean {
  if (accept === undefined || accept === '') return false;
  const q = qualities(accept);
  const html = Math.max(q.get('text/html') ?? 0, q.get('application/xhtml+xml') ?? 0);
  const json = Math.max(q.get('application/json') ?? 0, q.get('application/problem+json') ?? 0);
  return html > 0 && html >= json;
}

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe to put in HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

function retryAdvice(status: number, retryAfter: string | undefined): string {
  if (retryAfter !== undefined) return `Try again in ${retryAfter} second${retryAfter === '1' ? '' : 's'}.`;
  if (status === 503 || status === 504 || status === 502) return 'Try again in a moment.';
  return '';
}

/** The HTML page for a problem. */
export function renderErrorPage(body: ProblemBody, retryAfter: string | undefined): string {
  const advice = retryAdvice(body.status, retryAfter);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${body.status} ${escapeHtml(body.title)}</title>
<style>body{font:16px system-ui,sans-serif;margin:15vh auto;max-width:36em;padding:0 1em;color:#1d2330}h1{font-size:22px}p.code{color:#7a8394;font-size:13px}</style></head>
<body><h1>${body.status} ${escapeHtml(body.title)}</h1>
<p>${escapeHtml(body.detail)}</p>${advice ? `\n<p>${escapeHtml(advice)}</p>` : ''}
<p class="code">${escapeHtml(body.code)} · wake-proxy</p></body></html>
`;
}
