/**
 * The operator API, pure of I/O: a request (method + path) maps to an action on the services.
 * Paths follow the seeds: GET /services, GET /services/:name, POST /services/:name/{wake,sleep,stop},
 * POST /services/{sleep-all,wake-all}, POST /idle-check, GET /metrics (Prometheus text), GET /healthz,
 * GET /events (Server-Sent Events) and GET / (the status page).
 */
import { decodePathSegment } from '../proxy/request-path.ts';

/** What an admin request asks for. */
export type AdminAction =
  | { readonly kind: 'healthz' }
  | { readonly kind: 'metrics' }
  | { readonly kind: 'list' }
  | { readonly kind: 'events' }
  | { readonly kind: 'page' }
  | { readonly kind: 'sleep-all' | 'wake-all' | 'idle-check' | 'config' | 'reload' }
  | { readonly kind: 'set-policy'; readonly service: string }
  | { readonly kind: 'seed-containers' | 'seed-services' | 'seed-automation' | 'seed-idle-check' }
  | { readonly kind: 'show'; readonly service: string }
  | { readonly kind: 'wake' | 'sleep' | 'stop'; readonly service: string }
  | { readonly kind: 'not-found' }
  | { readonly kind: 'method-not-allowed'; readonly allow: string };

const VERBS = new Set(['wake', 'sleep', 'stop']);

function post(action: AdminAction, method: string): AdminAction {
  return method === 'POST' ? action : { kind: 'method-not-allowed', allow: 'POST' };
}

/**
 * Maps a method and path (query ignored) to an admin action. Throws BadRequestPathError (400)
 * when the service name has a malformed `%` escape.
 */
export function matchAdminRoute(method: string, url: string): AdminAction {
  const path = url.split('?', 1)[0] ?? '/';
  const parts = path.split('/').filter((p) => p !== '');
  const get = (action: AdminAction): AdminAction =>
    method === 'GET' || method === 'HEAD' ? action : { kind: 'method-not-allowed', allow: 'GET, HEAD' };
  if (parts.length === 1 && parts[0] === 'healthz') return get({ kind: 'healthz' });
  if (parts.length === 1 && parts[0] === 'metrics') return get({ kind: 'metrics' });
  if (parts.length === 1 && parts[0] === 'events') return get({ kind: 'events' });
  if (parts.length === 0) return get({ kind: 'page' });
  if (parts.length === 1 && parts[0] === 'idle-check') return post({ kind: 'idle-check' }, method);
  if (parts.length === 1 && parts[0] === 'config') return get({ kind: 'config' });
  if (parts.length === 2 && parts[0] === 'config' && parts[1] === 'reload') return post({ kind: 'reload' }, method);
  if (parts[0] === 'health') return matchSeedRoute(method, parts, get);
  if (parts[0] !== 'services') return { kind: 'not-found' };
  if (parts.length === 1) return get({ kind: 'list' });
  if (parts.length === 2 && method === 'POST' && (parts[1] === 'sleep-all' || parts[1] === 'wake-all')) {
    return { kind: parts[1] };
  }
  const service = decodePathSegment(parts[1] ?? '');
  if (parts.length === 2) return get({ kind: 'show', service });
  const verb = parts[2] ?? '';
  if (parts.length === 3 && verb === 'policy') {
    return method === 'PUT' ? { kind: 'set-policy', service } : { kind: 'method-not-allowed', allow: 'PUT' };
  }
  if (parts.length === 3 && VERBS.has(verb)) {
    return method === 'POST'
      ? { kind: verb as 'wake' | 'sleep' | 'stop', service }
      : { kind: 'method-not-allowed', allow: 'POST' };
  }
  return { kind: 'not-found' };
}

/**
 * The seed's health endpoints (its ContainerManager API), kept as aliases so tooling written
 * against it works: GET /health/{containers,services,automation}, POST /health/automation/idle-check,
 * POST /health/containers/:name/{start,stop}.
 */
function matchSeedRoute(method: string, parts: readonly string[], get: (a: AdminAction) => AdminAction): AdminAction {
  const [, group, name, verb] = parts;
  if (parts.length === 2 && group === 'containers') return get({ kind: 'seed-containers' });
  if (parts.length === 2 && group === 'services') return get({ kind: 'seed-services' });
  if (parts.length === 2 && group === 'automation') return get({ kind: 'seed-automation' });
  if (parts.length === 3 && group === 'automation' && name === 'idle-check') return post({ kind: 'seed-idle-check' }, method);
  if (parts.length === 4 && group === 'containers' && name !== undefined && (verb === 'start' || verb === 'stop')) {
    return post({ kind: verb === 'start' ? 'wake' : 'stop', service: decodePathSegment(name) }, method);
  }
  return { kind: 'not-found' };
}
