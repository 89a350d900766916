/**
 * Leases of in-flight work, as stored per service: one field per replica holding
 * `inFlight:lastActivityAt:expiresAt` (epoch ms). Pure: encoding, and merging the other replicas'
 * fields into one activity view.
 *
 * Policy:
 * - A lease counts its in-flight work only until `expiresAt`: a replica that dies (SIGKILL, a lost
 *   node) stops keeping the service awake one lease period after its last refresh. Its last
 *   activity still counts, so the service then sleeps one idle timeout after that replica was
 *   last seen busy, as it would have with one process.
 * - A replica's own field is never merged into its own view (it knows its activity better).
 * - Times are compared on the reader's clock: replicas need clocks in step (NTP), as any
 *   lease-based scheme does; the lease period (3 s) is far above usual clock skew.
 * - A field that does not parse is ignored (another version of wake-proxy, a hand edit).
 */
import type { ActivitySnapshot } from '../idle/sleep-target.ts';

/** One replica's lease as stored. */
export interface Lease {
  readonly inFlight: number;
  readonly lastActivityAt: number;
  readonly expiresAt: number;
}

/** The stored text of a lease. */
export function encodeLease(lease: Lease): string {
  return `${lease.inFlight}:${lease.lastActivityAt}:${lease.expiresAt}`;
}

/** The lease a stored text holds, or null when it is not one. */
export function decodeLease(text: string): Lease | null {
  const parts = text.split(':');
  if (parts.length !== 3) return null;
  const [inFlight, lastActivityAt, expiresAt] = parts.map(Number);
  if (!Number.isInteger(inFlight) || !Number.isFinite(lastActivityAt) || !Number.isFinite(expiresAt)) return null;
  if (inFlight === undefined || lastActivityAt === undefined || expiresAt === undefined || inFlight < 0) return null;
  return { inFlight, lastActivityAt, expiresAt };
}

/** The other replicas' activity from a service's lease fields (replica id → text); null when none. */
export function mergeOthers(fields: Readonly<Record<string, string>>, selfId: string, now: number): ActivitySnapshot | null {
  let inFlight = 0;
  let lastActivityAt = -Infinity;
  for (const [replica, text] of Object.entries(fields)) {
    if (replica === selfId) continue;
    const lease = decodeLease(text);
    if (lease === null) continue;
    if (lease.expiresAt > now) inFlight += lease.inFlight;
    lastActivityAt = Math.max(lastActivityAt, lease.lastActivityAt);
  }
  return lastActivityAt === -Infinity ? null : { inFlight, lastActivityAt };
}

/**
 * Whether this replica's lease must be written in this round: while work is in flight (the
 * refresh keeps it alive), and once after anything changed (the last activity, the count
 * dropping to zero). An idle replica writes nothing.
 */
export function needsPublish(local: ActivitySnapshot, published: ActivitySnapshot | null): boolean {
  if (local.inFlight > 0) return true;
  return published === null || published.inFlight !== local.inFlight || published.lastActivityAt !== local.lastActivityAt;
}

/** True when two views differ in what the idle decision reads. */
export function activityChanged(a: ActivitySnapshot | null, b: ActivitySnapshot | null): boolean {
  if (a === null || b === null) return a !== b;
  return a.inFlight !== b.inFlight || a.lastActivityAt !== b.lastActivityAt;
}
