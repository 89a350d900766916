/**
 * The storage a SharedStateHub runs on: a few hash and lock operations, each of which may fail
 * (the hub turns failures into degraded mode). redis-store.ts implements it over Redis or Valkey;
 * memory-store.ts in memory (replicas in one process, for tests).
 */

/** One replica's lease text for one service. */
export interface LeaseWrite {
  readonly service: string;
  readonly replicaId: string;
  readonly lease: string;
}

/** What one sync round reads per service: lease fields (replica → text) and figure fields. */
export interface ServiceRecords {
  readonly leases: Readonly<Record<string, string>>;
  readonly figures: Readonly<Record<string, string>>;
}

/** A change to a service's figures: counters to add to, and the last wake to set. */
export interface FiguresChange {
  readonly add?: Readonly<Partial<Record<'wakeCount' | 'sleepCount' | 'stopCount', number>>>;
  readonly lastWake?: string;
}

/** Key-value storage shared by the replicas. Every method may reject. */
export interface StateStore {
  /** Writes the leases, then reads the records of `services`, in one round trip. */
  exchange(writes: readonly LeaseWrite[], services: readonly string[]): Promise<ReadonlyMap<string, ServiceRecords>>;
  /** The lease fields of one service. */
  readLeases(service: string): Promise<Readonly<Record<string, string>>>;
  /** Sets `key` to `token` for `ttlMs` unless it exists; true when set. */
  setIfAbsent(key: string, token: string, ttlMs: number): Promise<boolean>;
  /** Deletes `key` if it still holds `token` (a lock that expired and was taken again is left alone). */
  deleteIfEquals(key: string, token: string): Promise<void>;
  changeFigures(service: string, change: FiguresChange): Promise<void>;
  /** Removes this replica's lease fields (a clean shutdown). */
  removeLeases(services: readonly string[], replicaId: string): Promise<void>;
  close(): Promise<void>;
}
