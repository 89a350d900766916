/**
 * The reference Node forwarder of the benchmark: node:http in front of one undici Pool, with
 * nothing else (no routing, no header hygiene, no activity tracking, no logging). It is what
 * "one Node process with undici" can do at best, so the proxy's CPU per request is compared
 * with it. Two flavours, as issue 12 measured them: `dispatch` (a handler relaying straight into
 * the response) and `stream` (`pool.stream()`).
 *
 * Run as a child: `node bench/bare-forwarder.ts <dispatch|stream> <host:port>`; it sends
 * `{ type: 'ready', port }` over IPC and exits when the IPC channel closes.
 */
import http, { type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool, type Dispatcher } from 'undici';

const [flavour, upstream] = process.argv.slice(2);

function clientHeaders(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const out: IncomingHttpHeaders = { ...headers };
  delete out['connection'];
  delete out['keep-alive'];
  delete out['transfer-encoding'];
  return out;
}

/**
 * Relays one response. A request that failed before any response started is sent once more:
 * the upstream may have closed an idle keep-alive connection just as it was reused (seen under
 * valgrind, where the forwarder is slow), and the proxy retries that case too.
 */
class Relay implements Dispatcher.DispatchHandler {
  readonly #res: ServerResponse;
  readonly #pool: Pool;
  readonly #options: Dispatcher.DispatchOptions;
  readonly #mayResend: boolean;
  constructor(res: ServerResponse, pool: Pool, options: Dispatcher.DispatchOptions, mayResend: boolean) {
    this.#res = res;
    this.#pool = pool;
    this.#options = options;
    this.#mayResend = mayResend;
  }
  onRequestStart(): void {}
  onResponseStart(_c: Dispatcher.DispatchController, status: number, headers: IncomingHttpHeaders): void {
    this.#res.writeHead(status, clientHeaders(headers));
  }
  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (!this.#res.write(chunk)) {
      controller.pause();
      this.#res.once('drain', () => controller.resume());
    }
  }
  onResponseEnd(): void {
    this.#res.end();
  }
  onResponseError(_c: Dispatcher.DispatchController, err: Error): void {
    if (this.#res.headersSent) this.#res.destroy();
    else if (this.#mayResend) this.#pool.dispatch(this.#options, new Relay(this.#res, this.#pool, this.#options, false));
    else {
      process.stderr.write(`bare forwarder: upstream failed: ${err.message}\n`);
      this.#res.writeHead(502).end();
    }
  }
}

function main(): void {
  if ((flavour !== 'dispatch' && flavour !== 'stream') || upstream === undefined) {
    process.stderr.write('usage: node bench/bare-forwarder.ts <dispatch|stream> <host:port>\n');
    process.exitCode = 2;
    return;
  }
  const pool = new Pool(`http://${upstream}`, { connections: 128, pipelining: 1 });
  const server = http.createServer((req, res) => {
    const options = { path: req.url ?? '/', method: req.method ?? 'GET', headers: { ...req.headers, connection: undefined } };
    if (flavour === 'dispatch') {
      pool.dispatch(options, new Relay(res, pool, options, true));
      return;
    }
    pool.stream(options, ({ statusCode, headers }) => {
      res.writeHead(statusCode, clientHeaders(headers));
      return res;
    }).catch(() => {
      if (res.headersSent) res.destroy();
      else res.writeHead(502).end();
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => {
    process.send?.({ type: 'ready', port: (server.address() as AddressInfo).port });
  });
  process.on('disconnect', () => {
    server.close();
    void pool.close();
  });
}

main();
