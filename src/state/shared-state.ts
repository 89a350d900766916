/**
 * The port through which replicas of wake-proxy share what one process keeps in memory: activity
 * (in-flight leases and last activity), single-flight locks for wakes and sleeps, and the figures
 * /services and /metrics show (wake, sleep and stop counts, the last wake).
 *
 * The core (lifecycle/) sees only this port. Without `--state` no SharedState exists at all and
 * the proxy behaves exactly as a single process always did; with `--state redis://…` the hub
 * (shared-state-hub.ts) implements it over a StateStore (redis-store.ts).
 */
import type { ActivitySnapshot } from '../idle/sleep-target.ts';
import type { LastWake } from '../lifecycle/service-counters.ts';

/** What replicas agree on about one service: counted by the replica that performed the transition. */
export interface SharedFigures {
  readonly wakeCount: number;
  readonly sleepCount: number;
  readonly stopCount: number;
  readonly lastWake: LastWake | null;
}

/** A lock held by this replica; release() is idempotent and never throws (the deadline is the backstop). */
export interface SharedLock {
  release(): void;
}

/** The two kinds of single-flight decision made across replicas. */
export type LockKind = 'wake' | 'settle';

/** One service's share of the shared state. */
export interface ServiceShare {
  /** In-flight work and last activity on the OTHER replicas, as of the last sync; null when none is known. */
  othersActivity(): ActivitySnapshot | null;
  /**
   * The same, read afresh one sync interval from now (so that whatever began on another replica
   * before the call is included); null when none is known or the state is unavailable.
   */
  readOthersActivity(): Promise<ActivitySnapshot | null>;
  /** The shared figures as of the last sync; null when unknown (each replica then shows its own). */
  figures(): SharedFigures | null;
  /**
   * Takes the lock of `kind` for at most `ttlMs`. Resolves null when another replica holds it.
   * While the state is unavailable every replica gets a local lock at once (per-replica behaviour).
   */
  tryLock(kind: LockKind, ttlMs: number): Promise<SharedLock | null>;
  /** Counts a wake this replica performed (fire and forget). */
  recordWake(wake: LastWake): void;
  /** Counts a sleep or stop this replica performed (fire and forget). */
  recordSettle(to: 'SLEEPING' | 'STOPPED'): void;
}

/** A service as the sync loop sees it: the activity of this replica alone, and a way to say "look again". */
export interface ActivitySource {
  readonly name: string;
  localActivity(): ActivitySnapshot;
  requestIdleCheck(): void;
}

/** Whether the shared state answers, and how many of its operations failed so far. */
export interface SharedStateHealth {
  readonly up: boolean;
  readonly errors: number;
}

/** Shared state of a group of replicas. */
export interface SharedState {
  /** This replica's id (host name and process id, plus a random part). */
  readonly replicaId: string;
  service(name: string): ServiceShare;
  /**
   * Publishes this replica's leases and reads the others' once per interval, in one round trip,
   * until `signal` aborts. Never rejects.
   */
  run(sources: () => readonly ActivitySource[], signal: AbortSignal): Promise<void>;
  health(): SharedStateHealth;
  /** Withdraws this replica's leases and closes the connection. */
  close(): Promise<void>;
}
