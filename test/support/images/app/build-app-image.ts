/**
 * Builds the project's own Dockerfile, unchanged, the way a user would (`docker build .`), on the
 * locally made stand-in of its base image (node-base/). The legacy builder's layer cache makes a
 * rebuild with unchanged inputs take well under a second; a first build takes 30-60 s (npm ci).
 *
 * Policy: the tag is a hash of the build context (the files .dockerignore lets in, and the
 * Dockerfile), so two checkouts testing on one engine at once never run each other's image.
 * Tags are not removed afterwards: they share the base and npm layers, and may be another run's.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureNodeBaseImage } from '../node-base/build-node-base-image.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../../..');
/** Repository part of the app image's tag. */
export const APP_REPOSITORY = 'wake-proxy-test-app';
/** What the build context holds (the allow-list in .dockerignore) besides the Dockerfile. */
const CONTEXT = ['Dockerfile', 'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'src', 'scripts/container-healthcheck.sh'];

async function filesUnder(path: string): Promise<string[]> {
  const entries = await readdir(path, { withFileTypes: true }).catch(() => null);
  if (entries === null) return [path];
  const nested = await Promise.all(entries.map((e) => filesUnder(join(path, e.name))));
  return nested.flat().sort();
}

/** `wake-proxy-test-app:<16 hex chars of the context's hash>`. */
export async function appImageTag(): Promise<string> {
  const hash = createHash('sha256');
  for (const entry of CONTEXT) {
    for (const file of await filesUnder(join(ROOT, entry))) {
      hash.update(`${relative(ROOT, file)}\n`);
      hash.update(await readFile(file));
    }
  }
  return `${APP_REPOSITORY}:${hash.digest('hex').slice(0, 16)}`;
}

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

/** Makes sure the base image exists, then builds the Dockerfile under its context-hash tag. */
export async function buildAppImage(): Promise<AppImageBuild> {
  const t0 = Date.now();
  await ensureNodeBaseImage();
  const t1 = Date.now();
  const tag = await appImageTag();
  await dockerBuild(tag);
  return { tag, baseMs: t1 - t0, buildMs: Date.now() - t1 };
}
