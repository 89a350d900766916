/**
 * The controller's background confirmation that a RUNNING container not known ready is ready (the
 * start-up scan, a container started by hand): one check at a time, ended by anything that could
 * make its answer stale.
 *
 * Policy:
 * - Confirming is not a wake: no wake count, no wake header, its own log lines (`service readiness
 *   confirmed`, `readiness not confirmed`). It never starts or unpauses a container.
 * - The controller stops it when anything is observed or a wake or sleep begins; an answer that
 *   arrives when the service is no longer RUNNING with nothing in flight is dropped.
 * - It never rejects: a failure is logged once here; an abort is silent. Its probes are counted.
 */
import type { Logger } from '../logging/logger.ts';
import type { Upstream } from '../providers/container-provider.ts';
import { checkReadiness, type ReadinessCheckDeps } from './readiness-check.ts';
import type { ServiceCounters } from './service-counters.ts';

/** What a confirmation reports to, and asks of, its controller. */
export interface ReadinessConfirmationDeps {
  readonly log: Logger;
  readonly counters: ServiceCounters;
  /** True while the service is RUNNING with no transition in flight: an answer still applies. */
  readonly stillApplies: () => boolean;
  /** The check ended ready at `upstream`, and it still applies. */
  readonly confirmed: (upstream: Upstream | null) => void;
}

/** At most one background readiness check of one service; see the module header. */
export class ReadinessConfirmation {
  readonly #deps: ReadinessConfirmationDeps;
  #confirming: AbortController | null = null;

  constructor(deps: ReadinessConfirmationDeps) {
    this.#deps = deps;
  }

  /** Checks readiness unless a check is in flight already. Resolves when done; never rejects. */
  async run(check: ReadinessCheckDeps, cause: 'startup' | 'external'): Promise<void> {
    if (this.#confirming) return;
    const stop = new AbortController();
    this.#confirming = stop;
    const { log, counters } = this.#deps;
    const { clock } = check;
    const startedAt = clock.now();
    let probes = 0;
    try {
      const outcome = await checkReadiness(check, stop.signal);
      probes = outcome.probes;
      const fields = { from: 'RUNNING', cause, probes, totalMs: clock.now() - startedAt };
      if (!outcome.ready) return log.info({ ...fields, reason: outcome.detail }, 'readiness not confirmed');
      if (!this.#deps.stillApplies()) return;
      this.#deps.confirmed(outcome.upstream);
      log.info(fields, 'service readiness confirmed');
    } catch {
      // Aborted: something was observed, a wake or sleep began, or the proxy is closing.
    } finally {
      counters.probes += probes;
      if (this.#confirming === stop) this.#confirming = null;
    }
  }

  /** Ends the check in flight, if any: what it would conclude may be stale. */
  stop(): void {
    this.#confirming?.abort();
    this.#confirming = null;
  }
}
