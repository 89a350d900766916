/**
 * GET /events: Server-Sent Events for every transition, wake (with its breakdown) and wake
 * failure, as JSON, to any number of readers.
 *
 * Policy:
 * - Publishing never waits for a reader. Each event is serialised once and written to every
 *   reader; a reader whose unsent backlog passes MAX_BACKLOG_BYTES has fallen behind and is
 *   dropped (its connection ended), so a slow reader can never slow the proxy or grow its memory.
 * - At most MAX_READERS at once; one more gets 503.
 * - A heartbeat comment every HEARTBEAT_MS keeps idle proxies and browsers from closing the stream.
 * - Each event has an increasing `id`; the `event` field names its kind (`transition`, `wake`,
 *   `wake_failed`), and `data` is one JSON object.
 * - close() ends every stream (shutdown).
 */
import type { ServerResponse } from 'node:http';
import type { Clock, TimerHandle } from '../clock.ts';

/** Unsent bytes a reader may lag behind before it is dropped. */
export const MAX_BACKLOG_BYTES = 256 * 1024;
/** Readers at once. */
export const MAX_READERS = 64;
/** Interval of the heartbeat comment. */
export const HEARTBEAT_MS = 15_000;

/** The kinds of event on the stream. */
export type StreamEventKind = 'transition' | 'wake' | 'wake_failed' | 'reload';

/** Fans events out to SSE readers; see the module header for the policy. */
export class EventStream {
  readonly #readers = new Set<ServerResponse>();
  readonly #clock: Clock;
  #heartbeat: TimerHandle | null = null;
  #nextId = 1;
  #dropped = 0;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** Readers connected now. */
  readers(): number {
    return this.#readers.size;
  }

  /** Readers dropped so far for falling behind. */
  dropped(): number {
    return this.#dropped;
  }

  /** Takes over `res` as an event stream; answers 503 when MAX_READERS are already attached. */
  attach(res: ServerResponse): void {
    if (this.#readers.size >= MAX_READERS) {
      res.writeHead(503, { 'content-type': 'application/problem+json', 'retry-after': '5' });
      res.end(`${JSON.stringify({ type: 'about:blank', title: 'Service Unavailable', status: 503, detail: 'too many event readers' })}\n`);
      return;
    }
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write(`retry: 2000\n: connected\n\n`);
    this.#readers.add(res);
    res.once('close', () => this.#readers.delete(res));
    this.#armHeartbeat();
  }

  /** Sends one event to every reader; never blocks. */
  publish(kind: StreamEventKind, data: Readonly<Record<string, unknown>>): void {
    if (this.#readers.size === 0) return;
    const frame = `id: ${this.#nextId++}\nevent: ${kind}\ndata: ${JSON.stringify(data)}\n\n`;
    this.#broadcast(frame);
  }

  /** Ends every stream and stops the heartbeat. */
  close(): void {
    this.#heartbeat?.cancel();
    this.#heartbeat = null;
    for (const res of this.#readers) res.end();
    this.#readers.clear();
  }

  #broadcast(frame: string): void {
    for (const res of this.#readers) {
      if (res.writableLength > MAX_BACKLOG_BYTES) {
        this.#dropped += 1;
        this.#readers.delete(res);
        res.destroy();
        continue;
      }
      res.write(frame);
    }
  }

  #armHeartbeat(): void {
    if (this.#heartbeat !== null) return;
    const beat = (): void => {
      this.#heartbeat = null;
      if (this.#readers.size === 0) return;
      this.#broadcast(': heartbeat\n\n');
      this.#heartbeat = this.#clock.setTimeout(beat, HEARTBEAT_MS);
    };
    this.#heartbeat = this.#clock.setTimeout(beat, HEARTBEAT_MS);
  }
}
