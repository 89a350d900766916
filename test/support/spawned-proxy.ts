/**
 * wake-proxy as its own process, started exactly as a user starts it (`node src/main.ts serve`,
 * Node 24 type stripping), for the cases the in-process harness cannot show: the process
 * surviving (or exiting) and its exit code, signals, and its own file descriptors.
 * Logs (pino JSON on stdout) are parsed and kept. Every wait is bounded; close() SIGKILLs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from './eventually.ts';
import { freePort } from './free-port.ts';
import type { LogLine } from './proxy-harness.ts';

const MAIN = join(import.meta.dirname, '..', '..', 'src', 'main.ts');

/** How to start the proxy process. */
export interface SpawnedProxyOptions {
  readonly routes: string;
  readonly services: string;
  /** Extra command-line flags, e.g. `['--drain-timeout', '5s']`. */
  readonly args?: readonly string[];
  /** Default `info`; not above it, since the 'wake-proxy listening' line says the proxy is up. */
  readonly logLevel?: 'info' | 'debug' | 'trace';
}

/** How the process ended. */
export interface ProcessExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** A running wake-proxy process. */
export interface SpawnedProxy {
  readonly pid: number;
  readonly url: string;
  readonly port: number;
  readonly adminUrl: string;
  readonly adminPort: number;
  /** Resolves when the process has exited. */
  readonly exited: Promise<ProcessExit>;
  /** True while the process runs. */
  alive(): boolean;
  /** The process's open file descriptors (/proc/<pid>/fd). */
  fdCount(): number;
  logLines(): readonly LogLine[];
  logsWith(msg: string): readonly LogLine[];
  signal(signal: NodeJS.Signals): void;
  /** SIGKILLs the process if it still runs; safe to call twice. */
  close(): Promise<void>;
}

function collectLines(child: ChildProcess, lines: LogLine[]): void {
  let rest = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    const parts = (rest + chunk.toString()).split('\n');
    rest = parts.pop() ?? '';
    for (const text of parts) {
      if (text.trim() === '') continue;
      try {
        lines.push(JSON.parse(text) as LogLine);
      } catch {
        lines.push({ msg: text });
      }
    }
  });
}

/** Starts wake-proxy in a child process on 127.0.0.1 and waits until it listens. */
export async function spawnProxy(options: SpawnedProxyOptions): Promise<SpawnedProxy> {
  const dir = mkdtempSync(join(tmpdir(), 'wp-spawned-'));
  writeFileSync(join(dir, 'routes.yml'), options.routes);
  writeFileSync(join(dir, 'services.yml'), options.services);
  const port = await freePort();
  const adminPort = await freePort();
  const args = [
    MAIN,
    'serve',
    '--routes', join(dir, 'routes.yml'),
    '--services', join(dir, 'services.yml'),
    '--host', '127.0.0.1',
    '--port', String(port),
    '--admin-port', String(adminPort),
    '--log-level', options.logLevel ?? 'info',
    ...(options.args ?? []),
  ];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: LogLine[] = [];
  collectLines(child, lines);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let running = true;
  const exited = new Promise<ProcessExit>((resolve) =>
    child.once('exit', (code, signal) => {
      running = false;
      resolve({ code, signal });
    }),
  );
  const proxy: SpawnedProxy = {
    pid: child.pid ?? 0,
    url: `http://127.0.0.1:${port}`,
    port,
    adminUrl: `http://127.0.0.1:${adminPort}`,
    adminPort,
    exited,
    alive: () => running,
    fdCount: () => readdirSync(`/proc/${child.pid}/fd`).length,
    logLines: () => lines,
    logsWith: (msg) => lines.filter((l) => l.msg === msg),
    signal: (signal) => void child.kill(signal),
    async close() {
      if (!running) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
  try {
    await eventually(
      () => {
        if (!running) throw new Error(`wake-proxy exited before listening: ${stderr}`);
        return lines.some((l) => l.msg === 'wake-proxy listening');
      },
      { timeoutMs: 20_000, intervalMs: 20 },
    );
  } catch (err) {
    await proxy.close();
    throw err;
  }
  return proxy;
}
