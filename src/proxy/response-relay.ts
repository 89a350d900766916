/**
 * One upstream exchange relayed into the client's ServerResponse: the handler undici's
 * `dispatch` calls, written for this one job.
 *
 * Why not `pool.stream()`: stream() wraps the same handler calls in an AsyncResource, a
 * factory call, a writable-lifecycle tracker (`finished()` on the response) and a callback
 * turned into a promise, and it needs an AbortController per request to learn that the
 * client left. Measured in the benchmark (CPU time per request of the proxy process, issue
 * 12), relaying directly costs less per request; the README's benchmark section has the
 * figures.
 *
 * Policy (the same as stream() gave, kept by test/integration/proxy-streaming.test.ts and
 * friends):
 * - Backpressure: when `res.write` returns false the upstream is paused, and resumed on
 *   'drain'. SSE and chunked bodies flow chunk by chunk.
 * - A client that goes away (the response closes before it finished) aborts the exchange;
 *   that settles the relay quietly, it is not an error.
 * - Failure before the response started rejects with the raw error for the caller to map and
 *   answer (502/504); after it started, the client's socket is destroyed (a second status
 *   line is impossible) and the error is still reported, for the log.
 * - Informational (1xx) responses from the upstream are not relayed: undici consumes them.
 * - An exchange sent while its container is still being unpaused may be abandoned by the caller
 *   (the unpause failed) as long as its response has not started: it is aborted, and the caller
 *   answers with its own error.
 * - Settles exactly once: at the response's end, at an error, when the client left, or when it
 *   was abandoned.
 */
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { HeaderList, OutgoingHeaders } from './headers.ts';

/** What the relay needs of undici's DispatchController (structural, so undici stays in forward.ts). */
export interface RelayController {
  readonly aborted: boolean;
  abort(reason: Error): void;
  pause(): void;
  resume(): void;
}

/**
 * How a relay ends: `clientGone` when the client left first; `error` when the exchange failed;
 * `abandoned` when the caller gave it up before the response started (`error` is its reason).
 */
export type RelayOutcome =
  | { readonly error: null; readonly clientGone: boolean }
  | { readonly error: Error; readonly clientGone: false; readonly abandoned: false }
  | { readonly error: unknown; readonly clientGone: false; readonly abandoned: true };

/** The reason a relay is aborted with when its client goes away. */
export class ClientGoneError extends Error {
  override readonly name = 'AbortError';
  readonly code = 'UND_ERR_ABORTED';
  constructor() {
    super('the client went away');
  }
}

/** Relays one upstream response into `res`; `done` is called once with the outcome. */
export class ResponseRelay {
  readonly #res: ServerResponse;
  readonly #headersFor: (upstream: IncomingHttpHeaders) => HeaderList | OutgoingHeaders;
  readonly #done: (outcome: RelayOutcome) => void;
  readonly #beforeResponse: (() => void) | null;
  #abandoned: { reason: unknown } | null = null;
  #controller: RelayController | null = null;
  #settled = false;
  #clientGone = false;
  #waitingForDrain = false;

  constructor(
    res: ServerResponse,
    headersFor: (upstream: IncomingHttpHeaders) => HeaderList | OutgoingHeaders,
    done: (outcome: RelayOutcome) => void,
    beforeResponse: (() => void) | null = null,
  ) {
    this.#res = res;
    this.#headersFor = headersFor;
    this.#done = done;
    this.#beforeResponse = beforeResponse;
    res.on('close', this.#onClientClose);
  }

  readonly #onClientClose = (): void => {
    if (this.#res.writableFinished || this.#settled) return;
    this.#clientGone = true;
    const controller = this.#controller;
    if (controller !== null && !controller.aborted) controller.abort(new ClientGoneError());
    else if (controller === null) this.#settle({ error: null, clientGone: true });
  };

  /** Made on the first backpressure only: most responses never wait for 'drain'. */
  #onDrain: (() => void) | null = null;

  #settle(outcome: RelayOutcome): void {
    if (this.#settled) return;
    this.#settled = true;
    if (this.#waitingForDrain && this.#onDrain !== null) this.#res.off('drain', this.#onDrain);
    this.#done(outcome);
  }

  /**
   * Gives the exchange up if its response has not started: it is aborted and the relay settles
   * with `abandoned` and `reason`. Once the response started, does nothing: it is the client's.
   */
  abandon(reason: unknown): void {
    if (this.#settled || this.#res.headersSent) return;
    this.#abandoned = { reason };
    // Settled first: aborting calls onResponseError at once, which must not count as a failure.
    this.#settle({ error: reason, clientGone: false, abandoned: true });
    const controller = this.#controller;
    if (controller !== null && !controller.aborted) controller.abort(new ClientGoneError());
  }

  onRequestStart(controller: RelayController): void {
    this.#controller = controller;
    if (this.#clientGone || this.#abandoned !== null) controller.abort(new ClientGoneError());
  }

  onResponseStart(_controller: RelayController, statusCode: number, headers: IncomingHttpHeaders): void {
    if (statusCode < 200) return;
    this.#beforeResponse?.();
    this.#res.writeHead(statusCode, this.#headersFor(headers));
  }

  onResponseData(controller: RelayController, chunk: Buffer): void {
    if (this.#res.write(chunk)) return;
    controller.pause();
    if (this.#waitingForDrain) return;
    this.#waitingForDrain = true;
    this.#onDrain ??= () => {
      this.#waitingForDrain = false;
      this.#controller?.resume();
    };
    this.#res.once('drain', this.#onDrain);
  }

  onResponseEnd(): void {
    this.#res.end();
    this.#settle({ error: null, clientGone: false });
  }

  onResponseError(_controller: RelayController | null, error: Error): void {
    // Already settled (abandoned, or the client left before the exchange started): the response
    // belongs to whoever answered it since, and must not be cut.
    if (this.#settled) return;
    if (this.#clientGone) return this.#settle({ error: null, clientGone: true });
    if (this.#res.headersSent) this.#res.destroy();
    this.#settle({ error, clientGone: false, abandoned: false });
  }
}
