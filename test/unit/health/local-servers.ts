/**
 * Real servers on 127.0.0.1:0 for the probe tests, closed by the caller with `close()`.
 */
import { createServer, type RequestListener, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import type { Upstream } from '../../../src/providers/container-provider.ts';

/** A running server and the address to reach it. */
export interface LocalServer {
  readonly upstream: Upstream;
  /** Connections accepted so far. */
  connections(): number;
  close(): Promise<void>;
}

/** Starts a node:http server on an ephemeral port. */
export async function startHttpServer(handler: RequestListener): Promise<LocalServer> {
  const server = createServer(handler);
  return listen(server, () => server.closeAllConnections());
}

/** Starts a TCP server that destroys every connection as soon as it is accepted. */
export async function startResettingServer(): Promise<LocalServer> {
  const server = createNetServer((socket) => socket.resetAndDestroy());
  return listen(server, () => undefined);
}

/** A scripted TCP server: what each connection receives, and `onConnection` to play the server's part. */
export interface ScriptedServer extends LocalServer {
  /** The bytes every connection sent, in order of connection. */
  received(): Buffer[];
}

/** Starts a TCP server that hands every accepted socket (and what it sent so far) to `onConnection`. */
export async function startScriptedServer(onConnection: (socket: Socket, sent: () => Buffer) => void): Promise<ScriptedServer> {
  const received: Buffer[] = [];
  const sockets = new Set<Socket>();
  const server = createNetServer((socket) => {
    const index = received.push(Buffer.alloc(0)) - 1;
    sockets.add(socket);
    socket.on('data', (chunk: Buffer) => {
      received[index] = Buffer.concat([received[index] ?? Buffer.alloc(0), chunk]);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    onConnection(socket, () => received[index] ?? Buffer.alloc(0));
  });
  const local = await listen(server, () => {
    for (const socket of sockets) socket.destroy();
  });
  return { ...local, received: () => received };
}

/** A port on 127.0.0.1 that nothing listens on (it was free a moment ago). */
export async function refusedUpstream(): Promise<Upstream> {
  const server = await startHttpServer(() => undefined);
  await server.close();
  return server.upstream;
}

async function listen(server: Server | ReturnType<typeof createNetServer>, dropAll: () => void): Promise<LocalServer> {
  let connections = 0;
  server.on('connection', () => {
    connections += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    upstream: { host: '127.0.0.1', port },
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        dropAll();
        server.close(() => resolve());
      }),
  };
}
