/**
 * The admin listener: JSON only, on its own port so no proxied route can shadow it. Keep it on a
 * private interface (the compose example binds it to 127.0.0.1). /healthz answers 503 while the
 * proxy is shutting down, so an orchestrator stops sending traffic before the listeners close.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../logging/logger.ts';
import { EXPOSITION_CONTENT_TYPE } from '../metrics/exposition.ts';
import { matchAdminRoute, type AdminAction } from './admin-routes.ts';
import type { AdminService, AdminServices } from './admin-target.ts';
import { sleepAll, wakeAll } from './bulk-actions.ts';
import type { EventStream } from './event-stream.ts';
import { renderStatusPage } from './status-page.ts';

/** Maps an error to a status and a problem+json body (the proxy's single mapping). */
export type ErrorMapper = (err: unknown) => { readonly status: number; readonly body: Record<string, unknown> };

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
  /** POST /idle-check: takes every idle decision now. */
  readonly idleCheck: () => readonly { readonly service: string; readonly decision: { readonly action: string; readonly at?: number } }[];
}

/** A started-on-demand admin listener. */
export interface AdminServer {
  listen(port: number, host: string): Promise<AddressInfo>;
  close(): Promise<void>;
}

function send(res: http.ServerResponse, status: number, body: unknown, type = 'application/json'): void {
  const text = typeof body === 'string' ? body : `${JSON.stringify(body)}\n`;
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function perform(action: Exclude<AdminAction, { kind: 'events' }>, options: AdminServerOptions): Promise<[number, unknown, string?]> {
  const all = options.services.all();
  switch (action.kind) {
    case 'healthz':
      return options.isTerminating() ? [503, { status: 'terminating' }] : [200, { status: 'ok' }];
    case 'metrics':
      return [200, options.renderMetrics(), EXPOSITION_CONTENT_TYPE];
    case 'list':
      return [200, { services: all.map((s) => describe(s, options)) }];
    case 'not-found':
      return [404, { title: 'Not Found', status: 404 }];
    case 'method-not-allowed':
      return [405, { title: 'Method Not Allowed', status: 405, allow: action.allow }];
    case 'page':
      return [200, renderStatusPage(), 'text/html; charset=utf-8'];
    case 'wake-all':
    case 'sleep-all': {
      const summarize = (err: unknown): { code: string; detail: string } => {
        const { body } = options.toProblem(err);
        return { code: String(body['code'] ?? 'WP_INTERNAL'), detail: String(body['detail'] ?? '') };
      };
      const results = await (action.kind === 'wake-all' ? wakeAll : sleepAll)(options.services, summarize);
      return [200, { ok: results.every((r) => r.outcome !== 'failed'), results }];
    }
    case 'idle-check':
      return [200, { results: options.idleCheck() }];
    default: {
      const service = all.find((s) => s.name === action.service);
      if (!service) return [404, { title: 'Not Found', status: 404, detail: `unknown service "${action.service}"` }];
      await runVerb(service, action.kind);
      return [200, describe(service, options)];
    }
  }
}

function describe(service: AdminService, options: AdminServerOptions): Record<string, unknown> {
  return { ...service.snapshot(), ...options.details?.(service.name) };
}

async function runVerb(service: AdminService, kind: 'show' | 'wake' | 'sleep' | 'stop'): Promise<void> {
  if (kind === 'wake') await service.wake('manual');
  else if (kind === 'sleep') await service.sleepNow('manual');
  else if (kind === 'stop') await service.stopNow('manual');
}

/** Creates the admin listener (not yet listening). */
export function createAdminServer(options: AdminServerOptions): AdminServer {
  const log = options.logger.child({ component: 'admin' });
  const server = http.createServer((req, res) => {
    const action = matchAdminRoute(req.method ?? 'GET', req.url ?? '/');
    if (action.kind === 'events') return options.events.attach(res);
    perform(action, options).then(
      ([status, body, type]) => send(res, status, body, type),
      (err: unknown) => {
        const problem = options.toProblem(err);
        log.warn({ err, action: action.kind, status: problem.status }, 'admin action failed');
        send(res, problem.status, problem.body, 'application/problem+json');
      },
    );
  });
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
