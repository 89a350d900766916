/**
 * A circuit breaker for one instance of a service of several containers.
 *
 * Policy:
 * - closed: the instance takes requests. `failures` consecutive failures (a connection refused or
 *   reset before any response, a failed trial probe) open it; any success resets the count.
 * - open: the instance takes no requests. After `openForMs` it is due for one trial (half-open):
 *   the owner runs a single readiness probe, never a client's request, so no client pays for it.
 * - half-open: the trial's success closes the breaker; its failure opens it again for `openForMs`.
 * Why: an instance that refuses connections would otherwise get its share of requests and turn
 * each into a retry or a 502; a probe is cheap and says when it answers again.
 * Time comes from the caller (epoch ms), so the breaker is pure and tested with a fake clock.
 */

/** The three states of a breaker. */
export type BreakerState = 'closed' | 'open' | 'half_open';

/** A breaker's policy (services.yml circuit_breaker, parsed). */
export interface BreakerPolicy {
  readonly failures: number;
  readonly openForMs: number;
}

/** One instance's breaker; see the module header. */
export class CircuitBreaker {
  readonly #policy: BreakerPolicy;
  #state: BreakerState = 'closed';
  #failures = 0;
  #openedAt = 0;

  constructor(policy: BreakerPolicy) {
    this.#policy = policy;
  }

  /** The state now. */
  get state(): BreakerState {
    return this.#state;
  }

  /** Consecutive failures counted while closed. */
  get failures(): number {
    return this.#failures;
  }

  /** True when the instance may take requests. */
  isClosed(): boolean {
    return this.#state === 'closed';
  }

  /** The exchange or trial answered: closes the breaker and clears the count. */
  recordSuccess(): void {
    this.#state = 'closed';
    this.#failures = 0;
  }

  /** The instance did not answer. Returns true when this failure opened the breaker. */
  recordFailure(now: number): boolean {
    if (this.#state === 'open') return false;
    if (this.#state === 'half_open') {
      this.#open(now);
      return true;
    }
    this.#failures += 1;
    if (this.#failures < this.#policy.failures) return false;
    this.#open(now);
    return true;
  }

  /** Epoch ms at which an open breaker is due for its trial; null when not open. */
  trialDueAt(): number | null {
    return this.#state === 'open' ? this.#openedAt + this.#policy.openForMs : null;
  }

  /** Moves an open breaker whose delay has passed to half-open; true when the caller should run the one trial. */
  beginTrial(now: number): boolean {
    const due = this.trialDueAt();
    if (due === null || now < due) return false;
    this.#state = 'half_open';
    return true;
  }

  /** Forgets everything (the instance was stopped or restarted): closed, no failures. */
  reset(): void {
    this.recordSuccess();
  }

  #open(now: number): void {
    this.#state = 'open';
    this.#openedAt = now;
    this.#failures = 0;
  }
}
