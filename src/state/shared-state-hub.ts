/**
 * SharedState over a StateStore: the sync loop, the locks, the figures, and degraded mode.
 *
 * Policy:
 * - Nothing on the request path: requests only move this replica's in-memory counters. Once per
 *   interval (1 s) one round trip writes this replica's leases for the services with work in
 *   flight or changed activity, and reads every service's leases and figures. A RUNNING service
 *   under load thus costs a few store commands per second, not per request.
 * - Leases expire three intervals after their last refresh (lease-table.ts).
 * - When the others' view of a service changes, the service is asked to decide about sleeping
 *   again (their in-flight work ended, their last activity moved).
 * - Before a sleep, the deciding replica (holding the settle lock) waits one interval and reads
 *   the leases afresh: work that began on another replica before the decision has been published
 *   by then. What begins during the pause call itself is the registry's to repair (a container
 *   paused under in-flight work is woken again at once).
 * - Locks (wake, settle) are SET NX PX with a deadline and a token; release deletes only our own
 *   token. A replica that dies holding one blocks nobody past the deadline.
 * - Degraded mode: the first failed operation turns it on, with one warn line; every replica then
 *   decides alone (locks are granted locally at once, no one else's activity is known, figures are
 *   each replica's own) and no request fails. The sync loop keeps trying; the first operation that
 *   succeeds turns it off, with one info line. `health()` feeds wake_proxy_shared_state_up and
 *   wake_proxy_shared_state_errors_total.
 */
import type { Clock } from '../clock.ts';
import type { ActivitySnapshot } from '../idle/sleep-target.ts';
import type { LastWake } from '../lifecycle/service-counters.ts';
import type { Logger } from '../logging/logger.ts';
import { activityChanged, encodeLease, mergeOthers, needsPublish } from './lease-table.ts';
import type { ActivitySource, LockKind, ServiceShare, SharedFigures, SharedLock, SharedState, SharedStateHealth } from './shared-state.ts';
import type { FiguresChange, LeaseWrite, ServiceRecords, StateStore } from './state-store.ts';

/** Timing of the sync loop. */
export const SYNC = {
  /** How often leases are refreshed and the others' read (ms). */
  intervalMs: 1_000,
  /** How long a lease counts after its last refresh (ms). */
  leaseTtlMs: 3_000,
} as const;

/** What a hub is built from. */
export interface SharedStateHubDeps {
  readonly store: StateStore;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly replicaId: string;
  /** Where the state lives, for log lines (no password). */
  readonly where: string;
  readonly intervalMs?: number;
  readonly leaseTtlMs?: number;
}

interface Cached {
  others: ActivitySnapshot | null;
  figures: SharedFigures | null;
  published: ActivitySnapshot | null;
}

const LOCAL_LOCK: SharedLock = { release: () => undefined };

/** The shared state of a group of replicas; see the module header. */
export class SharedStateHub implements SharedState {
  readonly replicaId: string;
  readonly #store: StateStore;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #where: string;
  readonly #intervalMs: number;
  readonly #leaseTtlMs: number;
  readonly #cache = new Map<string, Cached>();
  readonly #shares = new Map<string, ServiceShare>();
  readonly #pending = new Set<Promise<void>>();
  #up = true;
  #downSince = 0;
  #errors = 0;
  #tokens = 0;
  #sources: () => readonly ActivitySource[] = () => [];

  constructor(deps: SharedStateHubDeps) {
    this.replicaId = deps.replicaId;
    this.#store = deps.store;
    this.#clock = deps.clock;
    this.#log = deps.logger.child({ replica: deps.replicaId });
    this.#where = deps.where;
    this.#intervalMs = deps.intervalMs ?? SYNC.intervalMs;
    this.#leaseTtlMs = deps.leaseTtlMs ?? SYNC.leaseTtlMs;
  }

  health(): SharedStateHealth {
    return { up: this.#up, errors: this.#errors };
  }

  service(name: string): ServiceShare {
    let share = this.#shares.get(name);
    if (share === undefined) {
      share = this.#createShare(name);
      this.#shares.set(name, share);
    }
    return share;
  }

  async run(sources: () => readonly ActivitySource[], signal: AbortSignal): Promise<void> {
    this.#sources = sources;
    while (!signal.aborted) {
      await this.syncOnce();
      try {
        await this.#clock.sleep(this.#intervalMs, signal);
      } catch {
        return;
      }
    }
  }

  /** One round of the sync loop: publish this replica's leases, read everyone's. Never rejects. */
  async syncOnce(): Promise<void> {
    const sources = this.#sources();
    const now = this.#clock.now();
    const writes: LeaseWrite[] = [];
    const published = new Map<string, ActivitySnapshot>();
    for (const source of sources) {
      const local = source.localActivity();
      if (!needsPublish(local, this.#cached(source.name).published)) continue;
      writes.push({ service: source.name, replicaId: this.replicaId, lease: encodeLease({ ...local, expiresAt: now + this.#leaseTtlMs }) });
      published.set(source.name, local);
    }
    const records = await this.#attempt(() => this.#store.exchange(writes, sources.map((s) => s.name)));
    for (const [name, local] of published) if (records !== FAILED) this.#cached(name).published = local;
    for (const source of sources) {
      const cached = this.#cached(source.name);
      const read = records === FAILED ? undefined : records.get(source.name);
      const others = read ? mergeOthers(read.leases, this.replicaId, this.#clock.now()) : null;
      cached.figures = read ? toFigures(read) : null;
      if (activityChanged(cached.others, others)) {
        cached.others = others;
        source.requestIdleCheck();
      }
    }
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.#pending);
    const names = [...this.#cache.entries()].filter(([, c]) => c.published !== null).map(([name]) => name);
    if (this.#up && names.length > 0) await this.#attempt(() => this.#store.removeLeases(names, this.replicaId));
    await this.#store.close().catch(() => undefined);
  }

  #createShare(name: string): ServiceShare {
    return {
      othersActivity: () => (this.#up ? this.#cached(name).others : null),
      readOthersActivity: async () => {
        // Every replica syncs once per interval: after one interval, whatever began elsewhere
        // before this call has been published.
        await this.#clock.sleep(this.#intervalMs);
        if (!this.#up) return null;
        const leases = await this.#attempt(() => this.#store.readLeases(name));
        return leases === FAILED ? null : mergeOthers(leases, this.replicaId, this.#clock.now());
      },
      figures: () => (this.#up ? this.#cached(name).figures : null),
      tryLock: (kind, ttlMs) => this.#tryLock(name, kind, ttlMs),
      recordWake: (wake: LastWake) => this.#record(name, { add: { wakeCount: 1 }, lastWake: JSON.stringify(wake) }),
      recordSettle: (to) => this.#record(name, { add: to === 'SLEEPING' ? { sleepCount: 1 } : { stopCount: 1 } }),
    };
  }

  async #tryLock(service: string, kind: LockKind, ttlMs: number): Promise<SharedLock | null> {
    if (!this.#up) return LOCAL_LOCK;
    const key = `lock:${kind}:${service}`;
    this.#tokens += 1;
    const token = `${this.replicaId}:${this.#tokens}`;
    const taken = await this.#attempt(() => this.#store.setIfAbsent(key, token, Math.max(1, Math.ceil(ttlMs))));
    if (taken === FAILED) return LOCAL_LOCK;
    if (!taken) return null;
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.#track(this.#attempt(() => this.#store.deleteIfEquals(key, token)).then(() => undefined));
      },
    };
  }

  #record(service: string, change: FiguresChange): void {
    if (!this.#up) return;
    this.#track(this.#attempt(() => this.#store.changeFigures(service, change)).then(() => undefined));
  }

  #track(op: Promise<void>): void {
    this.#pending.add(op);
    void op.finally(() => this.#pending.delete(op));
  }

  #cached(name: string): Cached {
    let cached = this.#cache.get(name);
    if (cached === undefined) {
      cached = { others: null, figures: null, published: null };
      this.#cache.set(name, cached);
    }
    return cached;
  }

  /** Runs one store operation; a failure enters degraded mode and resolves FAILED (never rejects). */
  async #attempt<T>(op: () => Promise<T>): Promise<T | typeof FAILED> {
    try {
      const result = await op();
      this.#setUp(true, null);
      return result;
    } catch (err) {
      this.#errors += 1;
      this.#setUp(false, err);
      return FAILED;
    }
  }

  #setUp(up: boolean, err: unknown): void {
    if (up === this.#up) return;
    this.#up = up;
    const now = this.#clock.now();
    if (!up) {
      this.#downSince = now;
      // Published leases must be written again once the store is back: it may have lost them.
      for (const cached of this.#cache.values()) cached.published = null;
      this.#log.warn({ state: this.#where, err }, 'shared state unavailable: each replica decides alone');
    } else {
      this.#log.info({ state: this.#where, durationMs: now - this.#downSince }, 'shared state available again');
    }
  }
}

const FAILED = Symbol('failed');

function toFigures(records: ServiceRecords): SharedFigures | null {
  const f = records.figures;
  if (Object.keys(f).length === 0) return null;
  return {
    wakeCount: Number(f.wakeCount ?? 0),
    sleepCount: Number(f.sleepCount ?? 0),
    stopCount: Number(f.stopCount ?? 0),
    lastWake: parseLastWake(f.lastWake),
  };
}

function parseLastWake(text: string | undefined): LastWake | null {
  if (text === undefined) return null;
  try {
    const value: unknown = JSON.parse(text);
    // Written by a replica of this version (recordWake); anything else is not shown.
    const ok = typeof value === 'object' && value !== null && 'totalMs' in value && typeof value.totalMs === 'number' && 'from' in value;
    return ok ? (value as LastWake) : null;
  } catch {
    return null;
  }
}
