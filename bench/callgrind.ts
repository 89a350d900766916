/**
 * valgrind's callgrind as a counter of the instructions a process runs in user space (its `Ir`
 * event), JIT-compiled code included. Other processes on the machine do not add to them, as
 * they do to CPU time, but a JIT's counts still move with when it compiles and collects; the
 * kernel's share of a request is not in them.
 *
 * A counted process runs under `prefix()`; `zero()` discards what it ran so far (start-up
 * and warm-up), `dump()` writes what it ran since and returns that instruction count.
 */
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The instruction total of a callgrind output file (its `summary:` or `totals:` line). */
export function instructionsOfDump(text: string, file: string): number {
  const match = /^(?:summary|totals): (\d+)/m.exec(text);
  if (match?.[1] === undefined) throw new Error(`${file} has no summary line: not a callgrind output file`);
  return Number(match[1]);
}

/** One process counted by callgrind; its output files go to `dir`, named `<name>.<pid>[.<dump>]`. */
export class CallgrindCounter {
  readonly #dir: string;
  readonly #name: string;
  constructor(dir: string, name: string) {
    this.#dir = dir;
    this.#name = name;
  }

  /** The command prefix to run the process under. */
  prefix(): readonly string[] {
    return ['valgrind', '--tool=callgrind', `--callgrind-out-file=${join(this.#dir, `${this.#name}.%p`)}`, '--dump-instr=no', '--quiet'];
  }

  /** Discards the counts so far. */
  async zero(pid: number): Promise<void> {
    await run('callgrind_control', ['-z', String(pid)], { timeout: 60_000 });
  }

  /** Writes a dump of the counts since the last zero() and returns its instruction total. */
  async dump(pid: number): Promise<number> {
    const before = new Set(await this.#dumps(pid));
    await run('callgrind_control', ['-d', String(pid)], { timeout: 60_000 });
    const written = (await this.#dumps(pid)).filter((file) => !before.has(file));
    if (written.length !== 1) throw new Error(`callgrind_control -d ${pid} wrote ${written.length} dump files into ${this.#dir}, expected 1`);
    const file = join(this.#dir, written[0] as string);
    return instructionsOfDump(await readFile(file, 'utf8'), file);
  }

  async #dumps(pid: number): Promise<string[]> {
    const prefix = `${this.#name}.${pid}.`;
    return (await readdir(this.#dir)).filter((file) => file.startsWith(prefix));
  }
}
