/**
 * A background sleep or stop when replicas share state (`--state`): decided once, by the replica
 * that takes the settle lock.
 *
 * Policy:
 * - The replica that takes the lock reads the others' activity afresh (the synced view may be up
 *   to one sync interval old) and settles only when no replica has work in flight and, for a
 *   RUNNING service, none was active within the idle timeout in force (flap damping included).
 * - Everything is judged again once the lock is held: the sleep must still be wanted and the
 *   service still quiet here.
 * - Declining is not a failure: the idle scheduler decides again later. The lock lasts at most
 *   SETTLE_LOCK_MS (a stop may wait for its grace period) and is released when the settle ends.
 */
import type { ActivitySnapshot } from '../idle/sleep-target.ts';
import type { ServiceShare } from '../state/shared-state.ts';

/** How long a shared settle lock lasts at most (a stop may wait for its grace period) (ms). */
export const SETTLE_LOCK_MS = 60_000;

/** What the decision reads from the service once the lock is held; each is read then, not before. */
export interface SettleLockView {
  /** The idle timeout in force now, flap damping included (ms). */
  idleTimeoutMs(): number;
  running(): boolean;
  now(): number;
  /** The sleep or stop is still wanted, and nothing is in flight here. */
  stillWanted(): boolean;
}

/** Runs `settle` under the settle lock when no replica is busy; does nothing otherwise. */
export async function settleOnce(share: ServiceShare, view: SettleLockView, settle: () => Promise<void>): Promise<void> {
  const lock = await share.tryLock('settle', SETTLE_LOCK_MS);
  if (lock === null) return;
  try {
    const others = await share.readOthersActivity();
    if (othersBusy(others, view) || !view.stillWanted()) return;
    await settle();
  } finally {
    lock.release();
  }
}

/** True when another replica has work in flight, or (RUNNING) was active within the idle timeout. */
export function othersBusy(others: ActivitySnapshot | null, view: Omit<SettleLockView, 'stillWanted'>): boolean {
  if (others === null) return false;
  return others.inFlight > 0 || (view.running() && others.lastActivityAt + view.idleTimeoutMs() > view.now());
}
