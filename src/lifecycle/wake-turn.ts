/**
 * Whose turn it is to wake a service when replicas share state: the one that takes the wake lock
 * calls unpause or start; the others follow.
 *
 * Policy:
 * - The lock's deadline is the wake's own deadline (health_check.timeout) plus a margin: a replica
 *   that dies mid-wake blocks the others no longer than that.
 * - A follower polls (every FOLLOW_POLL_MS, an inspect of ~1 ms on the local engine) until the
 *   container runs, then probes readiness itself (the wake it runs inspects first and calls no
 *   verb on a running container). If the lock becomes free first (the leader failed or died), it
 *   takes the lock and wakes the service itself.
 * - Following is bounded by the same deadline; past it the replica wakes the service itself, as
 *   a single proxy would. An abort (shutdown) ends the wait with the abort's reason.
 * - A single proxy takes no turn: it leads every wake, with no lock.
 */
import type { Clock } from '../clock.ts';
import type { ServiceConfig } from '../config/services-schema.ts';
import type { Logger } from '../logging/logger.ts';
import type { ContainerProvider } from '../providers/container-provider.ts';
import type { ServiceShare, SharedLock } from '../state/shared-state.ts';

/** How often a follower looks at the container (ms). */
export const FOLLOW_POLL_MS = 50;
/** Added to the wake timeout for the lock's deadline (ms). */
const LOCK_MARGIN_MS = 5_000;

/** How this replica takes part in the wake: leading (holding `lock`) or following another replica's. */
export type WakeTurn = { readonly role: 'lead'; readonly lock: SharedLock | null } | { readonly role: 'follow' };

/** What taking a turn needs. */
export interface WakeTurnDeps {
  readonly share: ServiceShare;
  readonly provider: Pick<ContainerProvider, 'inspect'>;
  readonly clock: Clock;
  readonly container: string;
  readonly port: number | null;
  readonly timeoutMs: number;
}

/** Leads the wake (with the lock) or follows another replica's; see the module header. */
export async function takeWakeTurn(deps: WakeTurnDeps, signal: AbortSignal): Promise<WakeTurn> {
  const { share, provider, clock } = deps;
  const deadline = clock.now() + deps.timeoutMs;
  for (;;) {
    signal.throwIfAborted();
    const lock = await share.tryLock('wake', deps.timeoutMs + LOCK_MARGIN_MS);
    if (lock !== null) return { role: 'lead', lock };
    const status = await provider.inspect(deps.container, deps.port, signal).catch(() => null);
    if (status?.state === 'running') return { role: 'follow' };
    if (clock.now() >= deadline) return { role: 'lead', lock: null };
    await clock.sleep(FOLLOW_POLL_MS, signal);
  }
}

/** This replica's turn in a wake of `config`'s service; null for a single proxy. A follow is logged at debug. */
export async function takeServiceWakeTurn(
  share: ServiceShare | undefined,
  deps: { readonly config: ServiceConfig; readonly provider: Pick<ContainerProvider, 'inspect'>; readonly clock: Clock; readonly log: Logger },
  signal: AbortSignal,
): Promise<WakeTurn | null> {
  if (share === undefined) return null;
  const { config, provider, clock } = deps;
  const turn = await takeWakeTurn({ share, provider, clock, container: config.container, port: config.port, timeoutMs: config.healthCheck.timeoutMs }, signal);
  if (turn.role === 'follow') deps.log.debug({ replicaWake: 'follow' }, 'following a wake by another replica');
  return turn;
}
