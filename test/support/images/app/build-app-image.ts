/**
 * Builds the project's own Dockerfile, unchanged, the way a user would (`docker build .`), on the
 * locally made stand-in of its base image (node-base/). The legacy builder's layer cache makes a
 * rebuild with unchanged inputs take a few seconds; a first build takes about a minute (npm ci).
 */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureNodeBaseImage } from '../node-base/build-node-base-image.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../../..');
/** The tag the app image gets (one per machine; the cache keeps rebuilds cheap). */
export const APP_IMAGE = 'wake-proxy-test-app:local';

/** What building took, for the report. */
export interface AppImageBuild {
  readonly tag: string;
  readonly baseMs: number;
  readonly buildMs: number;
}

function dockerBuild(tag: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('docker', ['build', '-q', '-t', tag, '.'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk: Buffer): void => {
      output = (output + chunk.toString()).slice(-8_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`docker build exited with ${code}:\n${output}`))));
  });
}

/** Makes sure the base image exists, then builds the Dockerfile as APP_IMAGE. */
export async function buildAppImage(): Promise<AppImageBuild> {
  const t0 = Date.now();
  await ensureNodeBaseImage();
  const t1 = Date.now();
  await dockerBuild(APP_IMAGE);
  return { tag: APP_IMAGE, baseMs: t1 - t0, buildMs: Date.now() - t1 };
}
