/**
 * The admin listener: JSON only, on its own port so no proxied route can shadow it. Who may call
 * it is decided by admin-auth.ts (loopback, or a bearer token; /healthz is open). /healthz answers
 * 503 while the proxy is shutting down, so an orchestrator stops sending traffic before the
 * listeners close.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseSleepPolicy } from '../config/parse-policy.ts';
import type { SleepPolicy } from '../config/services-schema.ts';
import { AdminForbiddenError, AdminUnauthorizedError, BadRequestBodyError, ConfigError } from '../errors.ts';
import type { Logger } from '../logging/logger.ts';
import { EXPOSITION_CONTENT_TYPE } from '../metrics/exposition.ts';
import { allowHalfOpenClients } from '../proxy/half-open.ts';
import { guardRequestListener } from '../proxy/listener-guard.ts';
import { checkAdminAccess, type TokenCheck } from './admin-auth.ts';
import { matchAdminRoute, type AdminAction } from './admin-routes.ts';
import type { AdminService, AdminServices } from './admin-target.ts';
import { sleepAll, wakeAll } from './bulk-actions.ts';
import type { EventStream } from './event-stream.ts';
import { readJsonBody } from './request-body.ts';
import { seedAutomation, seedContainers, seedServices, type SeedRouteView, type SeedServiceView } from './seed-health.ts';
import { renderStatusPage } from './status-page.ts';

/** Maps an error to a status and a problem+json body (the proxy's single mapping). */
export type ErrorMapper = (err: unknown) => {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly headers?: Readonly<Record<string, string>>;
};

/** Options for createAdminServer. */
export interface AdminServerOptions {
  readonly services: AdminServices;
  readonly logger: Logger;
  readonly toProblem: ErrorMapper;
  readonly isTerminating: () => boolean;
  /** The /metrics body (Prometheus text format). */
  readonly renderMetrics: () => string;
  /** Figures shown beside a service's snapshot in /services (resource figures). */
  readonly details?: (service: string) => Readonly<Record<string, unknown>>;
  /** GET /events readers attach here. */
  readonly events: EventStream;
  /** The routes, for the seed's endpoint-to-service mapping. */
  readonly routes: () => readonly SeedRouteView[];
  /** POST /config/reload: reloads both files; the outcome says what changed or what is wrong. */
  readonly reload?: () => Promise<ReloadAnswer>;
  /** GET /config: the configuration in force (secret-looking values are redacted on the way out). */
  readonly effectiveConfig: () => unknown;
  /** POST /idle-check: takes every idle decision now. */
  readonly idleCheck: () => readonly { readonly service: string; readonly decision: { readonly action: string; readonly at?: number } }[];
  /** Checks a bearer token from non-loopback clients; null: no token configured, only loopback is served. */
  readonly tokenCheck: TokenCheck | null;
}

/** What POST /config/reload answers: what changed, or every problem found in the files. */
export type ReloadAnswer = { readonly ok: true } | { readonly ok: false; readonly issues: readonly string[] };

/** A started-on-demand admin listener. */
export interface AdminServer {
  listen(port: number, host: string): Promise<AddressInfo>;
  close(): Promise<void>;
}

function send(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  type = 'application/json',
  headers: Readonly<Record<string, string>> = {},
): void {
  const text = typeof body === 'string' ? body : `${JSON.stringify(body)}\n`;
  res.writeHead(status, { ...headers, 'content-type': type, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

type Answer = [status: number, body: unknown, type?: string];

async function perform(action: Exclude<AdminAction, { kind: 'events' }>, req: http.IncomingMessage, options: AdminServerOptions): Promise<Answer> {
  const services = options.services;
  switch (action.kind) {
    case 'healthz':
      return options.isTerminating() ? [503, { status: 'terminating' }] : [200, { status: 'ok' }];
    case 'metrics':
      return [200, options.renderMetrics(), EXPOSITION_CONTENT_TYPE];
    case 'list':
      return [200, { services: services.all().map((s) => describe(s, options)) }];
    case 'not-found':
      return [404, { title: 'Not Found', status: 404 }];
    case 'method-not-allowed':
      return [405, { title: 'Method Not Allowed', status: 405, allow: action.allow }];
    case 'page':
      return [200, renderStatusPage(), 'text/html; charset=utf-8'];
    case 'reload': {
      if (options.reload === undefined) return [404, { title: 'Not Found', status: 404 }];
      const outcome = await options.reload();
      if (outcome.ok) return [200, outcome];
      // The files stay unapplied; each problem is named with its file, line and column.
      return [422, { type: 'about:blank', title: 'Unprocessable Content', status: 422, code: 'WP_CONFIG_INVALID', issues: outcome.issues }];
    }
    case 'config':
      return [200, redactSecrets(options.effectiveConfig())];
    case 'wake-all':
    case 'sleep-all': {
      const results = await (action.kind === 'wake-all' ? wakeAll : sleepAll)(services, (err) => summarize(err, options));
      return [200, { ok: results.every((r) => r.outcome !== 'failed'), results }];
    }
    case 'idle-check':
      return [200, { results: options.idleCheck() }];
    case 'seed-idle-check':
      return [200, { status: 'completed', results: options.idleCheck() }];
    case 'seed-containers':
      return [200, seedContainers(seedViews(services))];
    case 'seed-services':
      return [200, seedServices(seedViews(services), options.routes())];
    case 'seed-automation':
      return [200, seedAutomation(seedViews(services))];
    default:
      return performOnService(action, req, options);
  }
}

async function performOnService(
  action: Extract<AdminAction, { service: string }>,
  req: http.IncomingMessage,
  options: AdminServerOptions,
): Promise<Answer> {
  const service = options.services.all().find((s) => s.name === action.service);
  if (!service) return [404, { title: 'Not Found', status: 404, detail: `unknown service "${action.service}"` }];
  if (action.kind === 'wake') await service.wake('manual');
  else if (action.kind === 'sleep') await service.sleepNow('manual');
  else if (action.kind === 'stop') await service.stopNow('manual');
  else if (action.kind === 'set-policy') service.setPolicy(forService(service, await readPolicy(req)));
  return [200, describe(service, options)];
}

/** The policy, unless it asks a Swarm service to pause (config/swarm-entry.ts: Swarm has no pause). */
function forService(service: AdminService, policy: SleepPolicy): SleepPolicy {
  if (policy.mode === 'pause' && (service.config.swarmService ?? null) !== null) {
    throw new BadRequestBodyError(['mode: a Swarm service cannot pause: it sleeps by scaling to 0, which is a stop (use mode: stop)']);
  }
  return policy;
}

async function readPolicy(req: http.IncomingMessage): Promise<SleepPolicy> {
  const body = await readJsonBody(req);
  try {
    return parseSleepPolicy(body);
  } catch (err) {
    if (err instanceof ConfigError) throw new BadRequestBodyError(err.issues);
    throw err;
  }
}

function summarize(err: unknown, options: AdminServerOptions): { code: string; detail: string } {
  const { body } = options.toProblem(err);
  return { code: String(body['code'] ?? 'WP_INTERNAL'), detail: String(body['detail'] ?? '') };
}

function seedViews(services: AdminServices): SeedServiceView[] {
  return services.all().map((s) => ({
    snapshot: s.snapshot(),
    priority: s.policy.priority,
    sleepEnabled: s.policy.enabled,
    idleTimeoutMs: s.policy.idleTimeoutMs,
    autoStart: s.config.autoStart,
    dependsOn: s.config.dependsOn,
  }));
}

function describe(service: AdminService, options: AdminServerOptions): Record<string, unknown> {
  return { ...service.snapshot(), policyChanged: service.policyChanged(), ...options.details?.(service.name) };
}

const SECRET_KEY = /token|password|passwd|secret|api[_-]?key|credential/i;

/** `NAME=value` with the value hidden when NAME looks secret. */
function redactEntry(text: string): string {
  const eq = text.indexOf('=');
  return eq > 0 && SECRET_KEY.test(text.slice(0, eq)) ? `${text.slice(0, eq)}=<redacted>` : text;
}

/** A copy of `value` with the values of secret-looking keys (and `NAME=value` entries) hidden. */
export function redactSecrets(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'string' ? redactEntry(v) : redactSecrets(v)));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactSecrets(v, k)]));
  }
  return SECRET_KEY.test(key) && value !== null ? '<redacted>' : value;
}

/** Creates the admin listener (not yet listening). */
export function createAdminServer(options: AdminServerOptions): AdminServer {
  const log = options.logger.child({ component: 'admin' });
  // The guard answers what a handler throws (a malformed `%` escape: 400) and keeps the process up.
  const server = http.createServer(
    guardRequestListener((req, res) => {
      const method = req.method ?? 'GET';
      const action = matchAdminRoute(method, req.url ?? '/');
      const remoteAddress = req.socket.remoteAddress;
      const verdict = checkAdminAccess(
        { action, method, remoteAddress, authorization: req.headers.authorization },
        options.tokenCheck,
      );
      if (verdict !== 'allowed') {
        const problem = options.toProblem(verdict === 'token-required' ? new AdminUnauthorizedError() : new AdminForbiddenError());
        log.warn({ remoteAddress, action: action.kind, status: problem.status }, 'admin request refused');
        send(res, problem.status, problem.body, 'application/problem+json', problem.headers);
        return;
      }
      if (action.kind === 'events') return options.events.attach(res);
      return perform(action, req, options).then(
        ([status, body, type]) => send(res, status, body, type),
        (err: unknown) => {
          const problem = options.toProblem(err);
          log.warn({ err, action: action.kind, status: problem.status }, 'admin action failed');
          send(res, problem.status, problem.body, 'application/problem+json', problem.headers);
        },
      );
    }, log),
  );
  // Half-closed clients (HTTP/1.0 tools, `socat -t`) still get their answer; see proxy-server.ts.
  allowHalfOpenClients(server);
  return {
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolve(server.address() as AddressInfo));
      }),
    close: () =>
      new Promise((resolve) => {
        options.events.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
