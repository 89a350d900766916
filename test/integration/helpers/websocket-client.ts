/**
 * A small promise wrapper over Node's global WebSocket for integration tests: open, send one
 * message and await the next one, close. Every wait is bounded.
 */

/** An open test WebSocket. */
export interface TestSocket {
  readonly ws: WebSocket;
  /** Sends `text` and resolves with the next message received. */
  roundTrip(text: string, timeoutMs?: number): Promise<string>;
  /** Closes the socket and resolves once it is closed. */
  close(): Promise<void>;
}

type Executor<T> = (resolve: (value: T) => void, reject: (err: unknown) => void) => void;

/** A promise that rejects with a clear message when `executor` has not settled it in `timeoutMs`. */
function bounded<T>(executor: Executor<T>, timeoutMs: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} timed out after ${timeoutMs} ms`)), timeoutMs);
    executor(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(`${what} failed`));
      },
    );
  });
}

/** Opens a WebSocket and resolves once it is open (rejects on error or after `timeoutMs`). */
export async function openSocket(url: string, timeoutMs = 30_000): Promise<TestSocket> {
  const ws = new WebSocket(url);
  await bounded<void>(
    (resolve, reject) => {
      ws.addEventListener('open', () => resolve(), { once: true });
      ws.addEventListener('error', () => reject(new Error(`WebSocket to ${url} failed`)), { once: true });
    },
    timeoutMs,
    'WebSocket open',
  );
  return {
    ws,
    roundTrip: (text, ms = 10_000) =>
      bounded<string>(
        (resolve, reject) => {
          ws.addEventListener('message', (event) => resolve(String(event.data)), { once: true });
          ws.addEventListener('close', () => reject(new Error('WebSocket closed before answering')), { once: true });
          ws.send(text);
        },
        ms,
        'WebSocket round trip',
      ),
    close: () =>
      ws.readyState === WebSocket.CLOSED
        ? Promise.resolve()
        : bounded<void>(
            (resolve) => {
              ws.addEventListener('close', () => resolve(), { once: true });
              ws.close();
            },
            10_000,
            'WebSocket close',
          ),
  };
}
