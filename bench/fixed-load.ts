/**
 * A fixed count of keep-alive GETs over a fixed count of connections, from the benchmark process:
 * exactly `requests` requests reach the target, which a count of instructions per request needs
 * (wrk runs for a duration, and cuts the requests in flight when it ends). Every request has a
 * response deadline (http-client.ts); a non-200 answer or an error fails the load.
 */
import http from 'node:http';
import { getOnce, type Target } from './http-client.ts';

/** Sends `requests` GETs to `target`, `connections` at a time; rejects on the first failure. */
export async function sendFixedLoad(target: Target, requests: number, connections: number, responseTimeoutMs = 60_000): Promise<void> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  let started = 0;
  const worker = async (): Promise<void> => {
    while (started < requests) {
      started += 1;
      const result = await getOnce(target, { agent, responseTimeoutMs, connectTimeoutMs: 10_000 });
      if (result.status !== 200) throw new Error(`GET ${target.host}:${target.port}${target.path} answered ${result.status}`);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(connections, requests) }, worker));
  } finally {
    agent.destroy();
  }
}
