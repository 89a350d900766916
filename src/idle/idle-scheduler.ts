/**
 * Puts idle services to sleep, and stops services that have slept too long.
 *
 * Policy:
 * - The decision is `decideSleep` (idle-decision.ts); this module only acts on it and keeps time.
 * - At most ONE timer per service, armed lazily. Requests never touch the scheduler: the
 *   ActivityTracker calls `notify` only when in-flight work drops to zero. A timer already due no
 *   later than the new due time is kept (when it fires, the decision is simply taken again and
 *   the timer re-armed for the later time), so a busy service re-arms at most once per idle
 *   period instead of once per request.
 * - 'sleep' calls `target.sleep('idle')`, 'stop' calls `target.stop('max_sleep')`; one action per
 *   service at a time, and the decision is taken again once it settles (a service that just went
 *   SLEEPING may need its max_sleep_time timer). If that decision is the same action again, the
 *   action changed nothing (the controller declined it): it is retried after the same backoff,
 *   never in a tight loop.
 * - A failed action never crashes anything: it is logged once (warn) and retried on the next
 *   notify, or after a backoff (1 s doubling up to 60 s) when nothing notifies.
 * - `close()` cancels every timer and turns later notifications into no-ops.
 * - All time comes from the injected Clock.
 */
import type { Clock, TimerHandle } from '../clock.ts';
import type { Logger } from '../logging/logger.ts';
import { CPU_RECHECK_MS, decideSleep, type SleepDecision } from './idle-decision.ts';
import type { SleepTarget } from './sleep-target.ts';

/** Delay before retrying a failed sleep/stop after `failures` consecutive failures (ms). */
export function idleRetryDelayMs(failures: number): number {
  return Math.min(60_000, 1_000 * 2 ** Math.max(0, failures - 1));
}

interface Slot {
  readonly target: SleepTarget;
  timer: TimerHandle | null;
  timerAt: number;
  acting: Promise<void> | null;
  failures: number;
  /** Consecutive actions that succeeded but changed nothing. */
  noEffect: number;
  /** The last decision was a sleep held back by CPU use. */
  cpuBusy: boolean;
  /** The service left the configuration: decide nothing more for it. */
  removed: boolean;
}

/** Drives every service's idle timer; see the module header for the policy. */
export class IdleScheduler {
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #slots = new Map<string, Slot>();
  readonly #cpuCores: (service: string) => number | null;
  readonly #cpuRecheckMs: number;
  #closed = false;

  constructor(opts: { clock: Clock; logger: Logger; cpuCores?: (service: string) => number | null; cpuRecheckMs?: number }) {
    this.#clock = opts.clock;
    this.#log = opts.logger;
    this.#cpuCores = opts.cpuCores ?? (() => null);
    this.#cpuRecheckMs = opts.cpuRecheckMs ?? CPU_RECHECK_MS;
  }

  /** Starts watching a service and takes its first decision at once. Adding a name twice is a bug. */
  add(target: SleepTarget): void {
    if (this.#slots.has(target.name)) throw new Error(`service "${target.name}" is already scheduled`);
    const slot: Slot = { target, timer: null, timerAt: Infinity, acting: null, failures: 0, noEffect: 0, cpuBusy: false, removed: false };
    this.#slots.set(target.name, slot);
    if (!this.#closed) this.#evaluate(slot);
  }

  /**
   * Stops watching a service (it left the configuration): its timer is cancelled and a sleep or
   * stop already started runs to its end without a follow-up decision.
   */
  remove(name: string): void {
    const slot = this.#slots.get(name);
    if (slot === undefined) return;
    slot.removed = true;
    this.#cancel(slot);
    this.#slots.delete(name);
  }

  /** Something changed for `name` (in-flight work reached zero, a transition settled): decide again. */
  notify(name: string): void {
    const slot = this.#slots.get(name);
    if (this.#closed || slot === undefined || slot.acting !== null) return;
    this.#evaluate(slot);
  }

  /**
   * Takes every service's idle decision now (the seeds' idle check on demand) and acts on it as a
   * timer would; returns what was decided per service (`busy` while a sleep or stop is in flight).
   */
  checkNow(): readonly { readonly service: string; readonly decision: SleepDecision | { readonly action: 'busy' } }[] {
    return [...this.#slots.values()].map((slot) => {
      if (this.#closed || slot.acting !== null) return { service: slot.target.name, decision: { action: 'busy' } as const };
      return { service: slot.target.name, decision: this.#evaluate(slot) ?? { action: 'none' } };
    });
  }

  /** True while a due sleep of `name` is held back because its container is busy on CPU. */
  heldBackByCpu(name: string): boolean {
    return this.#slots.get(name)?.cpuBusy ?? false;
  }

  /** Cancels every timer; later notifications do nothing. Sleeps already started run to their end. */
  close(): void {
    this.#closed = true;
    for (const slot of this.#slots.values()) this.#cancel(slot);
  }

  /** Resolves when no sleep or stop started by the scheduler is in flight (never rejects). */
  async settled(): Promise<void> {
    await Promise.all([...this.#slots.values()].map((s) => s.acting));
  }

  /** How many timers are armed now, across all services (at most one per service). */
  pendingTimers(): number {
    let count = 0;
    for (const slot of this.#slots.values()) if (slot.timer !== null) count += 1;
    return count;
  }

  /** `justDid`: the action that just succeeded; deciding it again at once means it had no effect. */
  #evaluate(slot: Slot, justDid?: 'sleep' | 'stop'): SleepDecision | null {
    const { target } = slot;
    try {
      const decision = decideSleep({
        state: target.state(),
        transitionInFlight: target.transitionInFlight(),
        activity: target.activity(),
        stateSince: target.stateSince(),
        dependentsAwake: target.dependentsAwake(),
        policy: target.policy,
        flaps: target.flaps(),
        cpuCores: this.#cpuCores(target.name),
        cpuRecheckMs: this.#cpuRecheckMs,
        now: this.#clock.now(),
      });
      this.#noteCpu(slot, decision);
      this.#apply(slot, decision, justDid);
      return decision;
    } catch (err) {
      this.#log.warn({ service: target.name, err }, 'idle decision failed');
      return null;
    }
  }

  /** Says once, at info, when CPU use starts and stops holding a due sleep back. */
  #noteCpu(slot: Slot, decision: SleepDecision): void {
    const busy = decision.action === 'wait' && decision.reason === 'cpu';
    if (busy === slot.cpuBusy) return;
    slot.cpuBusy = busy;
    const cpuCores = this.#cpuCores(slot.target.name);
    const threshold = slot.target.policy.idleCpuThreshold;
    if (busy) this.#log.info({ service: slot.target.name, cpuCores, threshold }, 'sleep held back: busy on CPU');
    else this.#log.info({ service: slot.target.name, cpuCores, threshold }, 'no longer busy on CPU');
  }

  #apply(slot: Slot, decision: SleepDecision, justDid: 'sleep' | 'stop' | undefined): void {
    if (decision.action === 'wait') {
      slot.noEffect = 0;
      this.#arm(slot, decision.at);
    } else if (decision.action === 'none') {
      slot.noEffect = 0;
      this.#cancel(slot);
    } else if (decision.action === justDid) {
      slot.noEffect += 1;
      this.#arm(slot, this.#clock.now() + idleRetryDelayMs(slot.noEffect));
    } else {
      this.#act(slot, decision.action);
    }
  }

  #arm(slot: Slot, at: number): void {
    if (slot.timer !== null && slot.timerAt <= at) return;
    this.#cancel(slot);
    slot.timerAt = at;
    slot.timer = this.#clock.setTimeout(() => {
      slot.timer = null;
      slot.timerAt = Infinity;
      this.notify(slot.target.name);
    }, at - this.#clock.now());
  }

  #cancel(slot: Slot): void {
    slot.timer?.cancel();
    slot.timer = null;
    slot.timerAt = Infinity;
  }

  #act(slot: Slot, action: 'sleep' | 'stop'): void {
    this.#cancel(slot);
    const { target } = slot;
    this.#log.debug({ service: target.name, action }, action === 'sleep' ? 'service idle' : 'service slept too long');
    slot.acting = invoke(() => (action === 'sleep' ? target.sleep('idle') : target.stop('max_sleep')))
      .then(
        () => {
          slot.failures = 0;
        },
        (err: unknown) => {
          slot.failures += 1;
          this.#log.warn({ service: target.name, err, failures: slot.failures }, `idle ${action} failed`);
        },
      )
      .finally(() => {
        slot.acting = null;
        if (this.#closed || slot.removed) return;
        if (slot.failures === 0) this.#evaluate(slot, action);
        else this.#arm(slot, this.#clock.now() + idleRetryDelayMs(slot.failures));
      });
  }
}

/** Calls `fn`, turning a synchronous throw into a rejection. */
function invoke(fn: () => Promise<void>): Promise<void> {
  try {
    return fn();
  } catch (err) {
    return Promise.reject(err);
  }
}
