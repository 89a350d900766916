/**
 * The in-flight work and last activity of one service, as the idle decision must see them: this
 * state machine's own, plus the work of what it cannot see directly.
 *
 * Policy:
 * - After a reload, the state machine replaced (the predecessor) counts here until its work in
 *   flight reaches zero, then it is forgotten: the new one never sleeps a container under work
 *   the old one still carries.
 * - With shared state (`--state`), the other replicas' activity, as last synced, adds in; what
 *   this process publishes to them is its local activity alone, so nothing is counted twice.
 */
import type { Clock } from '../clock.ts';
import { ActivityTracker } from '../idle/activity-tracker.ts';
import type { ActivitySnapshot } from '../idle/sleep-target.ts';
import type { ServiceShare } from '../state/shared-state.ts';

/** Activity of one service, here and elsewhere; see the module header. */
export class ServiceActivity {
  readonly #tracker: ActivityTracker;
  #predecessor: { activity(): ActivitySnapshot } | null;
  readonly #share: ServiceShare | undefined;

  /** `onIdle` is called when the work in flight reaches zero. */
  constructor(deps: { clock: Clock; onIdle: () => void; predecessor: { activity(): ActivitySnapshot } | null; share: ServiceShare | undefined }) {
    this.#tracker = new ActivityTracker(deps.clock, deps.onIdle);
    this.#predecessor = deps.predecessor;
    this.#share = deps.share;
  }

  /** Counts one unit of in-flight work until the returned release() is called. */
  track(): () => void {
    return this.#tracker.track();
  }

  /** Marks activity now (a state change restarts the idle clock). */
  touch(): void {
    this.#tracker.touch();
  }

  /** In-flight work and last activity on every replica when replicas share state. */
  all(): ActivitySnapshot {
    const local = this.local();
    const others = this.#share?.othersActivity() ?? null;
    return others === null ? local : added(local, others);
  }

  /** In-flight work and last activity of this process alone (what it publishes to the others). */
  local(): ActivitySnapshot {
    const own = this.#tracker.snapshot();
    const before = this.#predecessor;
    if (before === null) return own;
    const theirs = before.activity();
    if (theirs.inFlight === 0) this.#predecessor = null;
    return added(own, theirs);
  }
}

/** The work of both in flight, and the later of their last activities. */
function added(a: ActivitySnapshot, b: ActivitySnapshot): ActivitySnapshot {
  return { inFlight: a.inFlight + b.inFlight, lastActivityAt: Math.max(a.lastActivityAt, b.lastActivityAt) };
}
