/**
 * The forward-auth listener: a wake check that a front proxy (Traefik forwardAuth, Caddy
 * forward_auth, nginx auth_request) asks before it sends a request on to the service itself.
 *
 * Policy:
 * - The request the front proxy is about to serve is named by `X-Forwarded-Host` +
 *   `X-Forwarded-Uri` (+ `X-Forwarded-Method`), as Traefik and Caddy send them, or by `Host` +
 *   `X-Original-URI` (+ `X-Original-Method`), as nginx's auth_request is usually set up; a
 *   `?service=NAME` on the check itself names a service directly. The original target is checked
 *   like any request target (request-path.ts) and routed by the same route table.
 * - The answer is 200 with no body once the service is ready; the check is held while it wakes,
 *   exactly like a proxied request (same hold, same cap, same deadline). Otherwise the proxy's own
 *   statuses: 404 no route or unknown service, 400 a bad target, 503 asleep for a `wake: false`
 *   rule, queue full or failed, 504 timed out.
 * - Request rules apply to the original request. A check counts as activity (unless
 *   `count_activity: false`) and counts as in flight while it is held; the proxy never sees the
 *   response, so a long download through the front proxy does not keep a service awake by itself
 *   (min_uptime and the idle timeout cover that).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RouteNotFoundError, ServiceAsleepError, ShuttingDownError } from '../errors.ts';
import type { RouteConfig } from '../config/routes-schema.ts';
import type { ServiceHandle } from '../lifecycle/service-handle.ts';
import { sendProblem, toProblem } from './error-response.ts';
import { retryAfterSeconds } from './hold.ts';
import { logFailure, routeLabel, type EdgeContext } from './request-plan.ts';
import { parseRequestTarget } from './request-path.ts';
import { decideRequest, DEFAULT_DECISION, type RequestDecision } from './request-rules.ts';

/** The request a check is about, as the front proxy describes it. */
export interface CheckedRequest {
  readonly host: string | undefined;
  readonly uri: string;
  readonly method: string;
  /** `?service=` of the check, when it names a service directly. */
  readonly service: string | null;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** What the check is about, read from its headers and query (pure). */
export function describeCheck(req: Pick<IncomingMessage, 'headers' | 'url'>): CheckedRequest {
  const get = (name: string): string | undefined => header(req as IncomingMessage, name);
  const query = new URLSearchParams((req.url ?? '').split('?')[1] ?? '');
  return {
    host: get('x-forwarded-host') ?? get('host'),
    uri: get('x-forwarded-uri') ?? get('x-original-uri') ?? '/',
    method: (get('x-forwarded-method') ?? get('x-original-method') ?? 'GET').toUpperCase(),
    service: query.get('service'),
  };
}

interface CheckPlan {
  readonly handle: ServiceHandle;
  readonly decision: RequestDecision;
  readonly route: RouteConfig | undefined;
}

function planCheck(ctx: EdgeContext, req: IncomingMessage, check: CheckedRequest): CheckPlan {
  if (check.service !== null) {
    const handle = ctx.directory.get(check.service);
    if (handle === undefined) throw new RouteNotFoundError(check.host ?? '', `?service=${check.service}`);
    return { handle, decision: DEFAULT_DECISION, route: undefined };
  }
  const target = parseRequestTarget(check.uri);
  const route = ctx.table.match(check.host, target.path);
  if (route === null) throw new RouteNotFoundError(check.host ?? '', target.path);
  const handle = ctx.directory.get(route.service);
  if (handle === undefined) throw new Error(`route to unknown service "${route.service}"`);
  const facts = { method: check.method, path: target.path, userAgent: header(req, 'user-agent') };
  return { handle, decision: decideRequest(route, handle.config, facts), route };
}

function allow(res: ServerResponse): void {
  res.writeHead(200, { 'content-length': '0', 'cache-control': 'no-store' });
  res.end();
}

/** Creates the handler of the forward-auth listener's 'request' event. */
export function createForwardAuthListener(ctx: EdgeContext): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const reqId = ctx.nextReqId();
    req.resume();
    let plan: CheckPlan | undefined;
    const fail = (err: unknown): void => {
      const problem = toProblem(err);
      logFailure(ctx.log, { reqId, route: plan?.route, service: plan?.handle.name }, problem.status, err);
      if (res.headersSent || res.destroyed) res.destroy();
      else sendProblem(res, problem);
    };
    if (ctx.isShuttingDown()) return fail(new ShuttingDownError());
    try {
      plan = planCheck(ctx, req, describeCheck(req));
    } catch (err) {
      return fail(err);
    }
    const { handle, route } = plan;
    const release = plan.decision.countActivity ? handle.trackActivity() : null;
    res.once('close', () => release?.());
    if (handle.readyUpstream() !== null) return allow(res);
    if (!plan.decision.wake && handle.isAsleep()) {
      return fail(new ServiceAsleepError(handle.name, retryAfterSeconds(handle.config.healthCheck.timeoutMs)));
    }
    holdCheck(ctx, req, res, plan).then(
      (outcome) => {
        if (outcome === 'ready') allow(res);
        else if (outcome === 'gone') {
          ctx.log.info({ reqId, route: routeLabel(route), service: handle.name, clientAborted: true }, 'forward-auth check gave up while held');
        }
        else fail(new ShuttingDownError());
      },
      fail,
    );
  };
}

async function holdCheck(ctx: EdgeContext, req: IncomingMessage, res: ServerResponse, plan: CheckPlan): Promise<'ready' | 'gone' | 'shutdown'> {
  const stop = new AbortController();
  let gone = false;
  const onClose = (): void => {
    gone = !res.writableFinished;
    stop.abort();
  };
  const onShutdown = (): void => stop.abort();
  res.once('close', onClose);
  ctx.shutdown.addEventListener('abort', onShutdown, { once: true });
  try {
    const held = await ctx.holder.hold(plan.handle, stop.signal);
    if (gone || req.socket.destroyed) return 'gone';
    return held === null ? 'shutdown' : 'ready';
  } finally {
    res.off('close', onClose);
    ctx.shutdown.removeEventListener('abort', onShutdown);
  }
}
