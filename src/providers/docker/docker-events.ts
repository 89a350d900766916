/**
 * The container event stream that survives engine restarts and broken connections.
 *
 * Policy:
 * - When the stream ends or fails, reconnect after `backoff(attempt)` (default 100 ms doubling to
 *   5 s); the attempt count resets once a connection is open again. Only the AbortSignal ends it.
 * - A reconnection asks Docker to replay from the second of the last event seen, and drops what
 *   was already delivered, so a short outage loses nothing the engine still remembers.
 * - The first failure of an outage is logged at warn, retries at debug, recovery at info: one
 *   outage is a handful of lines, not one per retry.
 */
import type { Clock } from '../../clock.ts';
import type { Logger } from '../../logging/logger.ts';
import type { ContainerEvent } from '../container-provider.ts';
import { LineSplitter, parseDockerEvent } from './event-lines.ts';

/** Milliseconds to wait before reconnection attempt `attempt` (0 for the first retry). */
export type Backoff = (attempt: number) => number;

/** 100 ms, doubling, capped at 5 s. */
export const defaultEventsBackoff: Backoff = (attempt) => Math.min(100 * 2 ** attempt, 5000);

/** Opens one events connection; `sinceSeconds` asks Docker to replay from that time. */
export type OpenEventStream = (sinceSeconds: number | undefined, signal: AbortSignal) => Promise<AsyncIterable<Buffer | string>>;

/** What watchContainerEvents needs. */
export interface WatchEventsOptions {
  readonly open: OpenEventStream;
  readonly signal: AbortSignal;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly backoff?: Backoff;
}

/** Yields container events until `signal` aborts, reconnecting whenever the stream breaks. */
export async function* watchContainerEvents(options: WatchEventsOptions): AsyncGenerator<ContainerEvent, void> {
  const { open, signal, clock, logger, backoff = defaultEventsBackoff } = options;
  let attempt = 0;
  let lastTimeNano: bigint | undefined;
  while (!signal.aborted) {
    try {
      const since = lastTimeNano === undefined ? undefined : Number(lastTimeNano / 1_000_000_000n);
      const stream = await open(since, signal);
      if (attempt > 0) {
        logger.info({ attempts: attempt }, 'event stream reconnected');
        // An engine restart forgets its events, so the replay from `since` may miss some.
        yield { action: 'resync', id: '', name: '', composeService: null, exitCode: null, time: clock.now() };
      }
      attempt = 0;
      const lines = new LineSplitter();
      for await (const chunk of stream) {
        for (const line of lines.push(chunk)) {
          const timed = parseDockerEvent(line);
          if (!timed || (lastTimeNano !== undefined && timed.timeNano <= lastTimeNano)) continue;
          lastTimeNano = timed.timeNano;
          yield timed.event;
        }
      }
      if (!signal.aborted) logger.warn('event stream ended');
    } catch (err) {
      if (signal.aborted) return;
      if (attempt === 0) logger.warn({ err }, 'event stream lost');
      else logger.debug({ err, attempts: attempt }, 'event stream still unavailable');
    }
    try {
      await clock.sleep(backoff(attempt), signal);
    } catch {
      return;
    }
    attempt += 1;
  }
}
