/**
 * One request's way through the proxy, shared by plain HTTP requests and WebSocket upgrades:
 * plan → count activity → ready? forward : (may wake? hold → forward : 503).
 *
 * Policy:
 * - Activity is counted before readiness is checked and released when the exchange closes (the
 *   response, or the upgraded socket), so long downloads, SSE streams and open WebSockets keep
 *   their service awake until they end.
 * - A ready service is forwarded to synchronously: nothing is awaited on the hot path.
 * - A GET or HEAD without a body for a container the proxy paused itself while it was ready (its
 *   wake is one unpause, no probe) is forwarded at once, while the unpause is in flight: the
 *   kernel queues it in the container's socket and the app answers right after the thaw, so the
 *   wake costs the unpause and nothing more. If the unpause fails, the exchange is given up and
 *   answered with the wake's error; the request still sits in the frozen app's socket, and an app
 *   thawed later may answer it to nobody, which is why only GET and HEAD go early. Everything
 *   else is held.
 * - A request whose rule says `wake: false` gets 503 + Retry-After while the service is asleep; a
 *   RUNNING service whose readiness is not yet confirmed is probed, not refused.
 * - A client that gives up while held (its connection closes or resets) gets nothing written, and
 *   is logged at info with `clientAborted: true`. A client that only half-closes (FIN after its
 *   request) is still waiting and is answered (half-open.ts); a held WebSocket upgrade is the
 *   exception (upgrade-listener.ts). A hold cut short by shutdown gets 503.
 */
import type { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import { ServiceAsleepError, ShuttingDownError } from '../errors.ts';
import type { ExchangeEnd } from '../lifecycle/service-handle.ts';
import type { Upstream } from '../providers/container-provider.ts';
import { retryAfterSeconds, type HoldResult } from './hold.ts';
import { hasRequestBody } from './request-head.ts';
import { planRequest, routeLabel, type EdgeContext, type FailureFields, type RequestPlan } from './request-plan.ts';

/** What admit() needs from one exchange (an HTTP response or an upgrade socket). */
export interface Exchange {
  readonly reqId: number;
  /** Emits 'close' once, when the exchange ends or the client goes away. */
  readonly closer: Pick<EventEmitter, 'on' | 'once' | 'off'>;
  /** True once the client's side is gone. */
  isClosed(): boolean;
  /** Answers (or cuts) the exchange with an error and logs it, once. */
  fail(err: unknown, fields: FailureFields): void;
  /**
   * Forwards to a ready upstream; `waitedForWakeMs` is null when no wake was waited for (not held,
   * or readiness only confirmed). `end` (services of several containers only, else null) is to be
   * called with true when the upstream was unreachable before any response; admit() calls it with
   * false when the exchange closes.
   */
  forward(plan: RequestPlan, upstream: Upstream, waitedForWakeMs: number | null, end: ExchangeEnd | null): void;
  /**
   * Answers with the loading page, which follows `wait` (the hold) until it settles; `stopWaiting`
   * ends the hold when the page closes. Only HTTP exchanges have one.
   */
  showLoadingPage?(plan: RequestPlan, wait: Promise<unknown>, stopWaiting: () => void): void;
  /**
   * Forwards at once to `upstream`, a container the wake in flight (`wake`, the hold) only
   * unpauses: the request waits in the container's socket and is answered right after the thaw.
   * When `wake` fails (or resolves null: shutdown) before the response started, the exchange is
   * given up and answered with that error. Only HTTP exchanges have one.
   */
  forwardDuringWake?(plan: RequestPlan, upstream: Upstream, wake: Promise<HoldResult | null>): void;
}

function fieldsOf(ex: Exchange, plan: RequestPlan): FailureFields {
  return { reqId: ex.reqId, route: plan.route, service: plan.handle.name };
}

/** "Stop waiting" for one hold: the client went away or the proxy shuts down. */
interface StopWaiting {
  readonly signal: AbortSignal;
  /** True once the client's side closed. */
  clientGone(): boolean;
  /** Ends the hold from the outside (a loading page that closed). */
  abort(): void;
  /** Detaches both listeners; call once the hold no longer needs them. */
  release(): void;
}

/**
 * One signal for "stop waiting". Listeners, not AbortSignal.any, so nothing stays attached to the
 * long-lived shutdown signal after the hold.
 */
function stopWaitingOn(ctx: EdgeContext, ex: Exchange): StopWaiting {
  const stop = new AbortController();
  let gone = false;
  const onClose = (): void => {
    gone = true;
    stop.abort();
  };
  const onShutdown = (): void => stop.abort();
  ex.closer.once('close', onClose);
  ctx.shutdown.addEventListener('abort', onShutdown, { once: true });
  return {
    signal: stop.signal,
    clientGone: () => gone,
    abort: () => stop.abort(),
    release() {
      ex.closer.off('close', onClose);
      ctx.shutdown.removeEventListener('abort', onShutdown);
    },
  };
}

async function holdThenForward(ctx: EdgeContext, ex: Exchange, plan: RequestPlan): Promise<void> {
  const stop = stopWaitingOn(ctx, ex);
  let handedOver = false;
  try {
    const wait = ctx.holder.hold(plan.handle, stop.signal);
    if (plan.loadingPageAfterMs !== null && ex.showLoadingPage !== undefined) {
      const early = await withinMs(ctx, wait, plan.loadingPageAfterMs);
      if (early === 'still-held' && !stop.clientGone() && !ex.isClosed()) {
        handedOver = true;
        ex.showLoadingPage(plan, wait, () => {
          stop.abort();
          stop.release();
        });
        return;
      }
    }
    const held = await wait;
    if (stop.clientGone() || ex.isClosed()) {
      const line = { reqId: ex.reqId, route: routeLabel(plan.route), service: plan.handle.name, clientAborted: true };
      ctx.log.info(line, 'client gave up while held');
    } else if (held === null) {
      ex.fail(new ShuttingDownError(), fieldsOf(ex, plan));
    } else {
      forwardTo(ex, plan, held.upstream, held.waitedForWakeMs);
    }
  } finally {
    // A loading page keeps both listeners until it closes: the page follows the hold to its end.
    if (!handedOver) stop.release();
  }
}

/** `wait`'s outcome if it settles within `ms`, else 'still-held' (rejects when `wait` does first). */
function withinMs<T>(ctx: EdgeContext, wait: Promise<T>, ms: number): Promise<T | 'still-held'> {
  const { promise, resolve } = Promise.withResolvers<'still-held'>();
  const timer = ctx.clock.setTimeout(() => resolve('still-held'), ms);
  return Promise.race([wait, promise]).finally(() => timer.cancel());
}

/**
 * Requests that may be sent into a container before its unpause is confirmed: GET and HEAD without
 * a body. If the unpause fails, the app may still read one after a later thaw and answer it to
 * nobody: harmless for a request without effects.
 */
function mayForwardDuringWake(req: IncomingMessage): boolean {
  return (req.method === 'GET' || req.method === 'HEAD') && !hasRequestBody(req);
}

/** Holds (which wakes) and forwards at once, to a container the wake only unpauses. */
/** An exchange that can be forwarded during a wake (HTTP; not an upgrade). */
type EarlyExchange = Exchange & Required<Pick<Exchange, 'forwardDuringWake'>>;

function forwardDuringWake(ctx: EdgeContext, ex: EarlyExchange, plan: RequestPlan, upstream: Upstream): void {
  const stop = stopWaitingOn(ctx, ex);
  ex.forwardDuringWake(plan, upstream, ctx.holder.hold(plan.handle, stop.signal).finally(() => stop.release()));
}

function sendsEarly(ex: Exchange): ex is EarlyExchange {
  return ex.forwardDuringWake !== undefined;
}

/** Counts the exchange on its instance (several containers only), then forwards. */
function forwardTo(ex: Exchange, plan: RequestPlan, upstream: Upstream, waitedForWakeMs: number | null): void {
  const end = plan.handle.beginExchange(upstream);
  if (end !== null) ex.closer.once('close', () => end(false));
  ex.forward(plan, upstream, waitedForWakeMs, end);
}

/** Routes, decides and forwards (holding if needed) one request; never throws, never rejects. */
export function admit(ctx: EdgeContext, req: IncomingMessage, ex: Exchange): void {
  if (ctx.isShuttingDown()) return ex.fail(new ShuttingDownError(), { reqId: ex.reqId });
  let plan: RequestPlan;
  try {
    plan = planRequest(ctx, req);
  } catch (err) {
    return ex.fail(err, { reqId: ex.reqId });
  }
  // `on`, not `once`: 'close' comes once, and release is idempotent; once() would wrap it per request.
  if (plan.decision.countActivity) ex.closer.on('close', plan.handle.trackActivity());
  const upstream = plan.handle.readyUpstream();
  if (upstream !== null) return forwardTo(ex, plan, upstream, null);
  if (!plan.decision.wake && plan.handle.isAsleep()) {
    const retryAfter = retryAfterSeconds(plan.handle.config.healthCheck.timeoutMs);
    return ex.fail(new ServiceAsleepError(plan.handle.name, retryAfter), fieldsOf(ex, plan));
  }
  if (sendsEarly(ex) && mayForwardDuringWake(req)) {
    const resume = plan.handle.resumeUpstream();
    if (resume !== null) return forwardDuringWake(ctx, ex, plan, resume);
  }
  holdThenForward(ctx, ex, plan).catch((err: unknown) => ex.fail(err, fieldsOf(ex, plan)));
}
