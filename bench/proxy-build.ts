/**
 * Compiles the proxy child (bench/proxy-process.ts and the src/ modules it imports) to plain
 * JavaScript with the project's tsc, as `npm start` runs the proxy from dist/: Node's type
 * stripping costs memory (about 17 MB at start here) that a deployed proxy does not pay, so
 * running the .ts files would overstate the RSS figures.
 *
 * Policy: type errors are reported but do not stop the run (tsc still emits); a missing output
 * file does. The output lives in node_modules/.cache/, where Node still resolves the packages.
 */
import { execFile } from 'node:child_process';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..');

/** Where the compiled entry ends up. */
export const COMPILED_PROXY_ENTRY = join(ROOT, 'node_modules', '.cache', 'wake-proxy-bench', 'bench', 'proxy-process.js');

/** Builds the proxy child; resolves with the path of its compiled entry. */
export async function buildProxyChild(log: (line: string) => void): Promise<string> {
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  try {
    await run(process.execPath, [tsc, '-p', join(import.meta.dirname, 'tsconfig.proxy.json')], { cwd: ROOT, timeout: 120_000 });
  } catch (err) {
    const out = err as { stdout?: string; message?: string };
    log(`tsc reported problems while compiling the proxy for the benchmark (output kept):\n${out.stdout ?? out.message ?? ''}`);
  }
  await access(COMPILED_PROXY_ENTRY);
  return COMPILED_PROXY_ENTRY;
}
