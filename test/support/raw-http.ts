/**
 * Raw HTTP/1.x over node:net for requests no HTTP client would send (malformed request lines,
 * duplicate Hosts) and for half-closing the socket after the request. Bounded by `timeoutMs`.
 */
import net from 'node:net';

/** What came back on the socket. */
export interface RawResponse {
  /** The status of the first status line, or null when nothing (or no status line) came back. */
  readonly status: number | null;
  readonly text: string;
  /** The body after the first blank line. */
  readonly body: string;
  /** How the socket ended: `closed` by the server, or `timeout`. */
  readonly ended: 'closed' | 'timeout';
}

/** How to send a raw request. */
export interface RawRequestOptions {
  /** Shut down the write side (FIN) right after the request, as `socat -t` or HTTP/1.0 tools do. */
  readonly halfClose?: boolean;
  /** Give up (and destroy the socket) after this long; default 10 000 ms. */
  readonly timeoutMs?: number;
  /** Called with the socket once connected (to reset it, for example). */
  readonly onSocket?: (socket: net.Socket) => void;
}

/** Sends `request` verbatim to 127.0.0.1:`port` and reads until the server closes or the timeout. */
export function rawRequest(port: number, request: string, options: RawRequestOptions = {}): Promise<RawResponse> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let ended: RawResponse['ended'] = 'closed';
    const timer = setTimeout(() => {
      ended = 'timeout';
      socket.destroy();
    }, options.timeoutMs ?? 10_000);
    socket.on('connect', () => {
      socket.write(request);
      if (options.halfClose === true) socket.end();
      options.onSocket?.(socket);
    });
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('latin1');
      const match = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      const split = text.indexOf('\r\n\r\n');
      resolve({ status: match ? Number(match[1]) : null, text, body: split === -1 ? '' : text.slice(split + 4), ended });
    });
  });
}
