/**
 * The seeds' bulk verbs: wake every service, or put every service to sleep, with each service's
 * result in the answer.
 *
 * Policy:
 * - wake-all goes level by level in dependency order (a level depends only on earlier ones), at
 *   most BULK_CONCURRENCY wakes at a time within a level; a failure is reported for that service
 *   and the others go on.
 * - sleep-all goes in the reverse order (dependents first, so a dependency is no longer needed by
 *   the time its turn comes), with the same bound. Services whose policy never sleeps (priority
 *   high, `enabled: false`) are skipped and said so; a busy service answers its WP_SERVICE_BUSY.
 */
import type { AdminService, AdminServices } from './admin-target.ts';

/** Services acted on at once within one dependency level. */
export const BULK_CONCURRENCY = 4;

/** One service's outcome in a bulk answer. */
export interface BulkResult {
  readonly service: string;
  readonly outcome: 'done' | 'skipped' | 'failed';
  readonly state: string;
  readonly error?: { readonly code: string; readonly detail: string };
  readonly reason?: string;
}

/** Maps a failure to its code and a client-safe detail (the proxy's single mapping). */
export type ErrorSummary = (err: unknown) => { readonly code: string; readonly detail: string };

async function inBatches<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

async function attempt(service: AdminService, act: () => Promise<unknown>, summarize: ErrorSummary): Promise<BulkResult> {
  try {
    await act();
    return { service: service.name, outcome: 'done', state: service.snapshot().state };
  } catch (err) {
    return { service: service.name, outcome: 'failed', state: service.snapshot().state, error: summarize(err) };
  }
}

function byLevels(services: AdminServices, reverse: boolean): AdminService[][] {
  const byName = new Map(services.all().map((s) => [s.name, s]));
  const levels = services.dependencyLevels().map((level) => level.flatMap((name) => byName.get(name) ?? []));
  return reverse ? levels.reverse() : levels;
}

/** Wakes every service in dependency order; resolves with one result per service. */
export async function wakeAll(services: AdminServices, summarize: ErrorSummary): Promise<BulkResult[]> {
  const results: BulkResult[] = [];
  for (const level of byLevels(services, false)) {
    results.push(...(await inBatches(level, BULK_CONCURRENCY, (s) => attempt(s, () => s.wake('manual'), summarize))));
  }
  return results;
}

/** Puts every service that may sleep to sleep, dependents first; one result per service. */
export async function sleepAll(services: AdminServices, summarize: ErrorSummary): Promise<BulkResult[]> {
  const results: BulkResult[] = [];
  for (const level of byLevels(services, true)) {
    const done = await inBatches(level, BULK_CONCURRENCY, async (s): Promise<BulkResult> => {
      if (!s.policy.enabled) return { service: s.name, outcome: 'skipped', state: s.snapshot().state, reason: 'its sleep policy never sleeps' };
      return attempt(s, () => s.sleepNow('manual'), summarize);
    });
    results.push(...done);
  }
  return results;
}
