/**
 * The messages between the benchmark and its proxy child process (node IPC channel). The proxy
 * runs in its own process so that its RSS is its own and the load generator never shares its CPU
 * time with it.
 */

/** Provider calls made by the proxy, by verb. */
export type ProviderCallCounts = Readonly<Record<'inspect' | 'start' | 'unpause' | 'pause' | 'stop', number>>;

/** The child's own memory figures, in MB (after a full GC when the child runs with --expose-gc). */
export interface ChildMemory {
  readonly rssMb: number;
  readonly heapUsedMb: number;
  readonly externalMb: number;
  readonly collected: boolean;
}

/** Child → parent. */
export type ProxyChildMessage =
  | { readonly type: 'ready'; readonly port: number; readonly adminPort: number }
  | { readonly type: 'counts'; readonly counts: ProviderCallCounts }
  | { readonly type: 'memory'; readonly memory: ChildMemory }
  | { readonly type: 'failed'; readonly message: string };

/** Parent → child. */
export type ProxyParentMessage = { readonly type: 'counts' } | { readonly type: 'memory' } | { readonly type: 'close' };

/** Narrows an IPC payload to a child message. */
export function isProxyChildMessage(value: unknown): value is ProxyChildMessage {
  if (typeof value !== 'object' || value === null) return false;
  const type = (value as { type?: unknown }).type;
  return type === 'ready' || type === 'counts' || type === 'memory' || type === 'failed';
}

/** Narrows an IPC payload to a parent message. */
export function isProxyParentMessage(value: unknown): value is ProxyParentMessage {
  if (typeof value !== 'object' || value === null) return false;
  const type = (value as { type?: unknown }).type;
  return type === 'counts' || type === 'memory' || type === 'close';
}
