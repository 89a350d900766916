/**
 * The seeds' `sleep_policy.memory_reservation`: while a service is SLEEPING its container's
 * memory reservation (the cgroup soft limit) is lowered, and it is put back once the service has
 * woken.
 *
 * Policy and what it does:
 * - A paused container keeps every page it has; lowering its reservation frees nothing by itself.
 *   Under memory pressure the kernel reclaims first from cgroups above their soft limit, so a
 *   sleeping service gives memory back before awake ones do. That is all it does.
 * - Lowering happens after the pause succeeded; restoring happens after the wake has answered
 *   (one timer turn later, so the held requests are forwarded first): neither is on a wake's
 *   critical path. Operations run one after another; a failure is logged and the next wake or
 *   sleep tries again.
 * - What is restored is the reservation the container had before (none: unlimited).
 */
import type { Clock } from '../clock.ts';
import type { Logger } from '../logging/logger.ts';
import type { ContainerProvider } from '../providers/container-provider.ts';

/** Lowers and restores one container's memory reservation; see the module header. */
export class SleepReservation {
  readonly #provider: Pick<ContainerProvider, 'updateMemoryReservation'>;
  readonly #container: string;
  readonly #clock: Clock;
  readonly #log: Logger;
  #ops: Promise<void> = Promise.resolve();
  #lowered: { readonly previous: number | null } | null = null;

  constructor(deps: { provider: Pick<ContainerProvider, 'updateMemoryReservation'>; container: string; clock: Clock; logger: Logger }) {
    this.#provider = deps.provider;
    this.#container = deps.container;
    this.#clock = deps.clock;
    this.#log = deps.logger;
  }

  /** The service went to sleep: lower the reservation to `bytes`. */
  lower(bytes: number): void {
    this.#chain(async () => {
      const previous = await this.#provider.updateMemoryReservation(this.#container, bytes);
      this.#lowered ??= { previous };
      this.#log.info({ container: this.#container, memoryReservation: bytes, previous }, 'memory reservation lowered');
    }, 'lowering');
  }

  /** The service woke and answered: put the reservation back, if it was lowered. */
  restore(): void {
    if (this.#lowered === null) return;
    this.#chain(async () => {
      await new Promise<void>((resolve) => this.#clock.setTimeout(resolve, 0));
      const lowered = this.#lowered;
      if (lowered === null) return;
      await this.#provider.updateMemoryReservation(this.#container, lowered.previous);
      this.#lowered = null;
      this.#log.info({ container: this.#container, memoryReservation: lowered.previous }, 'memory reservation restored');
    }, 'restoring');
  }

  /** Resolves when no operation is in flight (never rejects). */
  settled(): Promise<void> {
    return this.#ops;
  }

  #chain(op: () => Promise<void>, what: string): void {
    this.#ops = this.#ops.then(op).catch((err: unknown) => {
      this.#log.warn({ container: this.#container, err }, `${what} the memory reservation failed`);
    });
  }
}
