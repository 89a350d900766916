/**
 * The external programs the steady-state figures use: wrk (load) and nginx (the native
 * reference). Each is installed with apt when missing, as scripts/ensure-docker.sh does for
 * Docker; when that fails, load falls back to autocannon (npm) and the nginx figure is null.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Path of a program on PATH, or null. */
export async function which(program: string): Promise<string | null> {
  try {
    const { stdout } = await run('sh', ['-c', `command -v ${program}`]);
    return stdout.trim() || null;
  } catch {
    return null;
  }
}

async function aptInstall(pkg: string, log: (line: string) => void): Promise<void> {
  const root = process.getuid?.() === 0;
  const script = `apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${pkg} >/dev/null`;
  log(`installing ${pkg} with apt`);
  try {
    await (root ? run('sh', ['-c', script], { timeout: 300_000 }) : run('sudo', ['-n', 'sh', '-c', script], { timeout: 300_000 }));
  } catch (err) {
    log(`apt could not install ${pkg}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
  }
}

/** The program's path, installing its apt package first if it is missing; null if still missing. */
export async function ensureProgram(program: string, aptPackage: string, log: (line: string) => void): Promise<string | null> {
  const found = await which(program);
  if (found !== null) return found;
  await aptInstall(aptPackage, log);
  return which(program);
}

/** The first of `paths` that exists, or null. */
export function firstExisting(paths: readonly string[]): string | null {
  return paths.find((path) => existsSync(path)) ?? null;
}

/** The first of `paths` that exists, installing its apt package first if none does; null if still none. */
export async function ensureFile(paths: readonly string[], aptPackage: string, log: (line: string) => void): Promise<string | null> {
  const found = firstExisting(paths);
  if (found !== null) return found;
  await aptInstall(aptPackage, log);
  return firstExisting(paths);
}

/** First line of a program's version output (stdout or stderr), or null. */
export async function versionOf(program: string, args: readonly string[]): Promise<string | null> {
  try {
    const { stdout, stderr } = await run(program, [...args]);
    return `${stdout}${stderr}`.split('\n').find((line) => line.trim() !== '')?.trim() ?? null;
  } catch (err) {
    const out = err as { stdout?: string; stderr?: string };
    return `${out.stdout ?? ''}${out.stderr ?? ''}`.split('\n').find((line) => line.trim() !== '')?.trim() ?? null;
  }
}
