/**
 * What one controller knows about where its service answers, so the hot path (readyUpstream)
 * makes no runtime call: whether readiness is confirmed, the upstream address, and the address of
 * a container the controller paused while it was ready (resumable).
 *
 * Policy: anything that may have changed the container (an observed change, a new address, a
 * failed transition, a sleep or stop) invalidates readiness and resumability together; only a
 * wake or a readiness check that ended ready confirms readiness. Resumability is kept by one
 * thing only, a pause of a ready container, and a wake takes it exactly once. `changed` hears
 * every setting of readiness, so the instances and the dependents follow it.
 */
import type { Upstream } from '../providers/container-provider.ts';

/** Readiness, upstream and resumable upstream of one service; see the module header. */
export class ReadyCache {
  #ready = false;
  #upstream: Upstream | null;
  #resumable: Upstream | null = null;
  readonly #changed: (ready: boolean) => void;

  constructor(upstream: Upstream | null, changed: (ready: boolean) => void) {
    this.#upstream = upstream;
    this.#changed = changed;
  }

  /** True when a probe (or a resume) confirmed readiness since the container last changed. */
  get ready(): boolean {
    return this.#ready;
  }

  /** Where the container answers, as last known (null for a service without a port). */
  get upstream(): Upstream | null {
    return this.#upstream;
  }

  /** The upstream of a container paused while ready, with nothing observed since; null otherwise. */
  get resumable(): Upstream | null {
    return this.#resumable;
  }

  /** The container runs at `upstream`; readiness is still to be confirmed. */
  running(upstream: Upstream | null): void {
    this.#upstream = upstream;
  }

  /** A wake or a readiness check ended ready at `upstream`. */
  confirm(upstream: Upstream | null): void {
    this.#upstream = upstream;
    this.#ready = true;
    this.#changed(true);
  }

  /** The container may have changed: not ready, not resumable. */
  invalidate(): void {
    this.#ready = false;
    this.#changed(false);
    this.#resumable = null;
  }

  /** The container answers at `upstream` now (an inspect): a new address invalidates the rest. */
  answersAt(upstream: Upstream | null): void {
    if (upstream?.host === this.#upstream?.host && upstream?.port === this.#upstream?.port) return;
    this.#upstream = upstream;
    this.invalidate();
  }

  /** A sleep (`pausing`) or a stop begins: a ready container being paused stays resumable. */
  settling(pausing: boolean): void {
    this.#resumable = pausing && this.#ready ? this.#upstream : null;
    this.#ready = false;
    this.#changed(false);
  }

  /** A sleep or stop failed: what it left is unknown, so it is not resumable. */
  forgetResumable(): void {
    this.#resumable = null;
  }

  /** The resumable upstream, for the wake that starts now; none is left for the next one. */
  takeResumable(): Upstream | null {
    const resumable = this.#resumable;
    this.#resumable = null;
    return resumable;
  }
}
