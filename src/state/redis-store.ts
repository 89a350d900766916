/**
 * The StateStore over Redis (or Valkey), through ioredis: the only module that imports it, and
 * only loaded (dynamic import from main.ts) when `--state redis://…` is set, so a single proxy
 * carries no Redis code.
 *
 * Policy:
 * - Fail fast, never queue: no offline queue, one retry per command, a 1 s command timeout. A
 *   command that cannot be sent rejects at once and the hub degrades; ioredis reconnects in the
 *   background (200 ms more per attempt, at most every 2 s) and the next sync round recovers.
 * - One round trip per sync: the lease writes and every read go in one pipeline.
 * - Keys: `wake-proxy:leases:<service>` and `wake-proxy:figures:<service>` (hashes),
 *   `wake-proxy:lock:<kind>:<service>` (strings with a PX deadline). Give each group of replicas
 *   its own database (`/db` in the URL) when several groups share one server.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Redis } from 'ioredis';
import type { Clock } from '../clock.ts';
import type { Logger } from '../logging/logger.ts';
import { SharedStateHub } from './shared-state-hub.ts';
import type { SharedState } from './shared-state.ts';
import type { FiguresChange, LeaseWrite, ServiceRecords, StateStore } from './state-store.ts';

const PREFIX = 'wake-proxy:';
/** How long start-up waits for the first connection before starting degraded (ms). */
const CONNECT_WAIT_MS = 2_000;
const RELEASE_SCRIPT = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

const leasesKey = (service: string): string => `${PREFIX}leases:${service}`;
const figuresKey = (service: string): string => `${PREFIX}figures:${service}`;

/** StateStore on one Redis connection; see the module header. */
export class RedisStore implements StateStore {
  readonly #redis: Redis;

  constructor(redis: Redis) {
    this.#redis = redis;
  }

  async exchange(writes: readonly LeaseWrite[], services: readonly string[]): Promise<ReadonlyMap<string, ServiceRecords>> {
    const pipeline = this.#redis.pipeline();
    for (const w of writes) pipeline.hset(leasesKey(w.service), w.replicaId, w.lease);
    for (const s of services) pipeline.hgetall(leasesKey(s)).hgetall(figuresKey(s));
    const results = (await pipeline.exec()) ?? [];
    for (const [err] of results) if (err) throw err;
    const reads = results.slice(writes.length).map(([, value]) => value as Record<string, string>);
    return new Map(services.map((s, i) => [s, { leases: reads[2 * i] ?? {}, figures: reads[2 * i + 1] ?? {} }]));
  }

  readLeases(service: string): Promise<Record<string, string>> {
    return this.#redis.hgetall(leasesKey(service));
  }

  async setIfAbsent(key: string, token: string, ttlMs: number): Promise<boolean> {
    return (await this.#redis.set(PREFIX + key, token, 'PX', ttlMs, 'NX')) === 'OK';
  }

  async deleteIfEquals(key: string, token: string): Promise<void> {
    await this.#redis.eval(RELEASE_SCRIPT, 1, PREFIX + key, token);
  }

  async changeFigures(service: string, change: FiguresChange): Promise<void> {
    const pipeline = this.#redis.multi();
    for (const [field, by] of Object.entries(change.add ?? {})) pipeline.hincrby(figuresKey(service), field, by);
    if (change.lastWake !== undefined) pipeline.hset(figuresKey(service), 'lastWake', change.lastWake);
    const results = (await pipeline.exec()) ?? [];
    for (const [err] of results) if (err) throw err;
  }

  async removeLeases(services: readonly string[], replicaId: string): Promise<void> {
    const pipeline = this.#redis.pipeline();
    for (const s of services) pipeline.hdel(leasesKey(s), replicaId);
    await pipeline.exec();
  }

  async close(): Promise<void> {
    this.#redis.disconnect(false);
  }
}

/** The URL as it may be logged: no user name or password. */
export function describeStateUrl(url: string): string {
  const parsed = new URL(url);
  parsed.username = '';
  parsed.password = '';
  return parsed.toString();
}

/** A SharedState on the Redis at `url` (`redis://host:port/db`). Waits briefly for the first connection. */
export async function createRedisSharedState(url: string, deps: { clock: Clock; logger: Logger }): Promise<SharedState> {
  const where = describeStateUrl(url);
  const log = deps.logger.child({ state: where });
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: 1_000,
    connectTimeout: 2_000,
    retryStrategy: (attempts: number) => Math.min(200 * attempts, 2_000),
  });
  // The hub says once when the state becomes unavailable; each reconnect attempt is a debug line.
  redis.on('error', (err: unknown) => log.debug({ err }, 'shared state connection error'));
  const ready = new Promise<boolean>((resolve) => redis.once('ready', () => resolve(true)));
  const waited = await Promise.race([ready, deps.clock.sleep(CONNECT_WAIT_MS).then(() => false)]);
  if (waited) log.info('shared state connected');
  const replicaId = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  return new SharedStateHub({ store: new RedisStore(redis), clock: deps.clock, logger: deps.logger, replicaId, where });
}
