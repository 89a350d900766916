/** Stopping the benchmark's child processes (nginx, the proxy): ask politely, then SIGKILL after a grace period. */
import type { ChildProcess } from 'node:child_process';

/** Calls `ask` to make `child` exit and resolves when it has; SIGKILL after `graceMs`. */
export function stopProcess(child: ChildProcess, ask: () => void, graceMs = 5_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    ask();
  });
}
