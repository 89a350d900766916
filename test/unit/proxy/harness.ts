/**
 * Starts a proxy in front of fake service handles for behaviour tests, with its log lines kept
 * so a test can read them back.
 */
import net, { type AddressInfo } from 'node:net';
import { RoutesFileSchema, type RouteConfig } from '../../../src/config/routes-schema.ts';
import { createLogger } from '../../../src/logging/logger.ts';
import type { ForwarderOptions } from '../../../src/proxy/forward.ts';
import { createProxyServer, type ProxyServerOptions } from '../../../src/proxy/proxy-server.ts';
import type { FakeServiceHandle } from '../../support/fake-service-handle.ts';

/** A proxy under test. */
export interface TestProxy {
  readonly port: number;
  readonly url: string;
  /** Parsed log lines written so far. */
  readonly logs: Record<string, unknown>[];
  close(): Promise<void>;
}

/** Parses routes.yml-style entries (snake_case). */
export function parseRoutes(routes: Record<string, unknown>[]): RouteConfig[] {
  return RoutesFileSchema.parse({ routes });
}

/** Starts a proxy on 127.0.0.1:0 routing to the given handles. */
export async function startProxy(
  routes: Record<string, unknown>[],
  handles: readonly FakeServiceHandle[],
  forwarderOptions: ForwarderOptions = {},
  extra: Pick<ProxyServerOptions, 'accessLog' | 'recorder'> & { level?: 'debug' | 'info' } = {},
): Promise<TestProxy> {
  const logs: Record<string, unknown>[] = [];
  const logger = createLogger({
    level: extra.level ?? 'debug',
    destination: { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) },
  });
  const directory = new Map(handles.map((h) => [h.name, h] as const));
  const { level: _level, ...options } = extra;
  const proxy = createProxyServer({ routes: parseRoutes(routes), directory, logger, forwarderOptions, drainTimeoutMs: 200, ...options });
  const address: AddressInfo = await proxy.listen(0, '127.0.0.1');
  return { port: address.port, url: `http://127.0.0.1:${address.port}`, logs, close: () => proxy.close() };
}

/** Sends raw bytes on a new TCP connection and resolves with everything received until it closes. */
export function rawExchange(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(request));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
  });
}
