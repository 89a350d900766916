/**
 * Several wake-proxy processes sharing one state (`--state redis://…`), as N replicas behind a
 * load balancer: each a real process (spawned-proxy.ts) on its own port, with the same files.
 */
import type { ServiceSnapshot } from '../../src/metrics/service-snapshot.ts';
import { spawnProxy, type SpawnedProxy } from './spawned-proxy.ts';

/** The replicas of one test. */
export interface ReplicaSet {
  readonly replicas: readonly SpawnedProxy[];
  /** The replica at `index` (throws when there is none). */
  at(index: number): SpawnedProxy;
  /** GET /services/<name> of one replica. */
  snapshot(index: number, service: string): Promise<ServiceSnapshot>;
  /** One metric's value on one replica's /metrics (the first sample matching `labels`), or null. */
  metric(index: number, name: string, labels?: string): Promise<number | null>;
  close(): Promise<void>;
}

/** Starts `count` replicas sharing the state at `stateUrl`, all at once. */
export async function startReplicas(count: number, options: { routes: string; services: string; stateUrl: string }): Promise<ReplicaSet> {
  const started = await Promise.allSettled(
    Array.from({ length: count }, () => spawnProxy({ routes: options.routes, services: options.services, args: ['--state', options.stateUrl] })),
  );
  const replicas = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = started.find((s) => s.status === 'rejected');
  if (failed !== undefined) {
    await Promise.all(replicas.map((r) => r.close()));
    throw failed.reason;
  }
  const at = (index: number): SpawnedProxy => {
    const replica = replicas[index];
    if (replica === undefined) throw new Error(`no replica ${index}`);
    return replica;
  };
  return {
    replicas,
    at,
    async snapshot(index, service) {
      const res = await fetch(`${at(index).adminUrl}/services/${service}`, { signal: AbortSignal.timeout(5_000) });
      return (await res.json()) as ServiceSnapshot;
    },
    async metric(index, name, labels = '') {
      const res = await fetch(`${at(index).adminUrl}/metrics`, { signal: AbortSignal.timeout(5_000) });
      const text = await res.text();
      const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `) || (labels === '' && l.startsWith(`${name}{`)));
      return line === undefined ? null : Number(line.slice(line.lastIndexOf(' ') + 1));
    },
    close: async () => {
      await Promise.all(replicas.map((r) => r.close()));
    },
  };
}
