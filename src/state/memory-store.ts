/**
 * A StateStore in memory, with the same rules as the Redis one (lock deadlines on the injected
 * clock). Several hubs over one MemoryStore are replicas in one process: the unit tests of the
 * lease and lock logic use it with a manual clock. `failing` simulates an outage.
 */
import type { Clock } from '../clock.ts';
import type { FiguresChange, LeaseWrite, ServiceRecords, StateStore } from './state-store.ts';

/** In-memory shared storage; see the module header. */
export class MemoryStore implements StateStore {
  readonly #clock: Clock;
  readonly #leases = new Map<string, Record<string, string>>();
  readonly #figures = new Map<string, Record<string, string>>();
  readonly #locks = new Map<string, { token: string; until: number }>();
  /** While true, every operation rejects (an outage). */
  failing = false;
  /** Operations served, for tests that count round trips. */
  operations = 0;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  async exchange(writes: readonly LeaseWrite[], services: readonly string[]): Promise<ReadonlyMap<string, ServiceRecords>> {
    this.#serve();
    for (const w of writes) this.#hash(this.#leases, w.service)[w.replicaId] = w.lease;
    return new Map(services.map((s) => [s, { leases: { ...this.#hash(this.#leases, s) }, figures: { ...this.#hash(this.#figures, s) } }]));
  }

  async readLeases(service: string): Promise<Readonly<Record<string, string>>> {
    this.#serve();
    return { ...this.#hash(this.#leases, service) };
  }

  async setIfAbsent(key: string, token: string, ttlMs: number): Promise<boolean> {
    this.#serve();
    const held = this.#locks.get(key);
    if (held !== undefined && held.until > this.#clock.now()) return false;
    this.#locks.set(key, { token, until: this.#clock.now() + ttlMs });
    return true;
  }

  async deleteIfEquals(key: string, token: string): Promise<void> {
    this.#serve();
    if (this.#locks.get(key)?.token === token) this.#locks.delete(key);
  }

  async changeFigures(service: string, change: FiguresChange): Promise<void> {
    this.#serve();
    const f = this.#hash(this.#figures, service);
    for (const [name, by] of Object.entries(change.add ?? {})) f[name] = String(Number(f[name] ?? 0) + by);
    if (change.lastWake !== undefined) f.lastWake = change.lastWake;
  }

  async removeLeases(services: readonly string[], replicaId: string): Promise<void> {
    this.#serve();
    for (const s of services) delete this.#hash(this.#leases, s)[replicaId];
  }

  async close(): Promise<void> {}

  #serve(): void {
    if (this.failing) throw new Error('store unavailable');
    this.operations += 1;
  }

  #hash(map: Map<string, Record<string, string>>, key: string): Record<string, string> {
    let hash = map.get(key);
    if (hash === undefined) {
      hash = {};
      map.set(key, hash);
    }
    return hash;
  }
}
