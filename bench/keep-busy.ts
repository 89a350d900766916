/**
 * Keeps the proxy from counting as quiet between its steady-state rounds, as a proxy with clients
 * connected never does: QUIET_CONNECTIONS + 1 keep-alive connections stay open to it, and each
 * sends one GET every KEEP_BUSY_EVERY_MS (under the proxy's 5 s keep-alive timeout, so none is
 * closed as idle). That is a few requests per second, well under 1 % of the load.
 *
 * Why (issue 12, measured): a memory reclaim while quiet (heap-reclaim.ts) is a full GC, and with
 * no request in flight the objects of the request path are all dead, so V8 drops their maps and
 * deoptimizes the optimized code that embedded them ("embedded weak objects cleared"). The next
 * load then recompiles some 250 functions on the main thread. Rotated rounds leave the proxy quiet
 * for tens of seconds between its rounds, so without this every round would start with that
 * re-warm. The benchmark reports the re-warm on its own (the first load after a reclaim) and keeps
 * it out of the steady-state figure.
 */
import http from 'node:http';
import { QUIET_CONNECTIONS } from '../src/proxy/heap-reclaim.ts';
import { getOnce, type Target } from './http-client.ts';

/** How often each connection sends its GET. */
export const KEEP_BUSY_EVERY_MS = 2_000;

/** A running keeper; stop() (safe to call twice) closes its connections once its last GET settled, and rejects if any failed. */
export interface BusyKeeper {
  stop(): Promise<void>;
}

/** Opens QUIET_CONNECTIONS + 1 connections to `target` and keeps them in use until stop(). */
export function keepBusy(target: Target, connections = QUIET_CONNECTIONS + 1): BusyKeeper {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections });
  let stopped = false;
  let failures = 0;
  let inFlight: Promise<unknown> = Promise.resolve();
  const tick = (): void => {
    if (stopped) return;
    inFlight = Promise.allSettled(Array.from({ length: connections }, () => getOnce(target, { agent }))).then((outcomes) => {
      failures += outcomes.filter((o) => o.status === 'rejected' || o.value.status !== 200).length;
    });
  };
  tick();
  const timer = setInterval(tick, KEEP_BUSY_EVERY_MS);
  let stopping: Promise<void> | null = null;
  const stop = async (): Promise<void> => {
    stopped = true;
    clearInterval(timer);
    await inFlight;
    agent.destroy();
    if (failures > 0) throw new Error(`${failures} of the keep-busy GETs failed`);
  };
  return { stop: () => (stopping ??= stop()) };
}
