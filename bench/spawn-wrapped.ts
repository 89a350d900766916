/** Starting a benchmark child under a wrapper command (valgrind, for figure 6c), or plainly. */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

/**
 * Spawns `command args`, or `wrapper[0] …wrapper command args` when a wrapper is given. A wrapper
 * such as valgrind runs the program in its own process, so the pid is the program's.
 */
export function spawnWrapped(wrapper: readonly string[], command: string, args: readonly string[], options: SpawnOptions): ChildProcess {
  const [first, ...rest] = wrapper;
  return first === undefined ? spawn(command, [...args], options) : spawn(first, [...rest, command, ...args], options);
}
