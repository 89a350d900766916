/**
 * Builds a Docker image from a real Debian userland without any registry: `debootstrap
 * --variant=minbase` of bookworm from the mirror apt already uses, plus the packages a recipe
 * names, then `tar | docker import`.
 *
 * Policy:
 * - The tag is a hash of the whole recipe (packages, the prepare script, the import changes, the
 *   text a recipe adds for inputs the hash cannot see, RECIPE_VERSION), so an image is built once
 *   per machine and rebuilt only when its recipe changes. An existing tag is reused as is.
 * - `debootstrap` itself is installed with apt when missing (the machines are root).
 * - Older tags of the same repository are removed after a build when no container uses them.
 * - One build of a given tag at a time per machine (a lock directory), so parallel test runs do
 *   not debootstrap the same thing twice.
 */
import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile, readFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { isAlive } from '../../process-alive.ts';

const run = promisify(execFile);
/** Bump when the recipe mechanics below change in a way the hashed inputs do not show. */
const RECIPE_VERSION = '1';
const SUITE = 'bookworm';
const FALLBACK_MIRROR = 'http://deb.debian.org/debian';
const LOCK_WAIT_MS = 10 * 60_000;

/** What a Debian image is made of. */
export interface DebianImageRecipe {
  /** Repository part of the tag, e.g. `wake-proxy-test-servers`. */
  readonly repository: string;
  /** Packages for debootstrap's `--include`. */
  readonly packages: readonly string[];
  /**
   * Shell script run on the host after debootstrap with `$ROOTFS` set to the new root (use
   * `chroot "$ROOTFS" …` for commands inside it). Runs with `set -eu`.
   */
  readonly prepare?: string;
  /** `docker import --change` lines, e.g. `CMD ["redis-server"]`. */
  readonly changes?: readonly string[];
  /** Text mixed into the hash for inputs the recipe reads from elsewhere (a binary's version). */
  readonly hashExtra?: string;
  /** Environment for the prepare script. */
  readonly env?: Readonly<Record<string, string>>;
  /** Full tag to give the image instead of `<repository>:<hash>` (the hash is still a label). */
  readonly tag?: string;
}

/** The tag a recipe builds: `<repository>:<16 hex chars of its hash>`. */
export function debianImageTag(recipe: DebianImageRecipe): string {
  return `${recipe.repository}:${recipeHash(recipe)}`;
}

function recipeHash(recipe: DebianImageRecipe): string {
  const hash = createHash('sha256');
  hash.update(`${RECIPE_VERSION}\n${SUITE}\n${[...recipe.packages].sort().join(',')}\n`);
  hash.update(`${recipe.prepare ?? ''}\n${(recipe.changes ?? []).join('\n')}\n${recipe.hashExtra ?? ''}\n`);
  hash.update(JSON.stringify(Object.entries(recipe.env ?? {}).sort()));
  return hash.digest('hex').slice(0, 16);
}

/** The Debian mirror apt on this machine uses (deb822 or one-line sources), else deb.debian.org. */
export async function aptMirror(): Promise<string> {
  const candidates = ['/etc/apt/sources.list.d/debian.sources', '/etc/apt/sources.list'];
  for (const file of candidates) {
    const text = await readFile(file, 'utf8').catch(() => '');
    const deb822 = /^URIs:\s*(\S+)/m.exec(text);
    if (deb822?.[1] && !deb822[1].includes('security')) return deb822[1];
    const oneLine = /^deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+bookworm\s/m.exec(text);
    if (oneLine?.[1]) return oneLine[1];
  }
  return FALLBACK_MIRROR;
}

async function imageExists(tag: string): Promise<boolean> {
  return run('docker', ['image', 'inspect', tag]).then(
    () => true,
    () => false,
  );
}

async function hasDebootstrap(): Promise<boolean> {
  return run('sh', ['-c', 'command -v debootstrap']).then(
    () => true,
    () => false,
  );
}

/** Installs debootstrap when missing, one installer at a time: two apt-gets at once fail on apt's lock. */
async function ensureDebootstrap(): Promise<void> {
  if (await hasDebootstrap()) return;
  await withLock('apt-debootstrap', async () => {
    if (await hasDebootstrap()) return;
    await run('sh', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null'], {
      maxBuffer: 64 * 1024 * 1024,
    });
  });
}

/** Runs a command with its output kept for the error message; rejects with the tail on failure. */
function runLogged(command: string, args: readonly string[], env: NodeJS.ProcessEnv, stdin?: NodeJS.ReadableStream): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: [stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk: Buffer): void => {
      output = (output + chunk.toString()).slice(-8_000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    if (stdin && child.stdin) stdin.pipe(child.stdin);
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${output}`)),
    );
  });
}

/**
 * A lock left by a process that no longer lives (a run killed mid-build) is stale: it is taken
 * over instead of being waited for until the deadline. The holder's pid is written inside the
 * lock; a lock without one is being created, or predates that, and is waited for.
 */
async function isStale(lock: string): Promise<boolean> {
  const pid = Number(await readFile(join(lock, 'pid'), 'utf8').catch(() => ''));
  return Number.isInteger(pid) && pid > 0 && !isAlive(pid);
}

async function withLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const lock = join(tmpdir(), `wake-proxy-image-${name.replace(/[^a-zA-Z0-9_.-]/g, '_')}.lock`);
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      await mkdir(lock);
      await writeFile(join(lock, 'pid'), String(process.pid));
      break;
    } catch {
      if (await isStale(lock)) {
        await rm(lock, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`waited too long for the image build lock ${lock}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  try {
    return await fn();
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}

async function removeOlderTags(repository: string, keep: string): Promise<void> {
  const { stdout } = await run('docker', ['image', 'ls', repository, '--format', '{{.Repository}}:{{.Tag}}']);
  const older = stdout.split('\n').filter((t) => t !== '' && t !== keep && !t.endsWith(':<none>'));
  await Promise.all(older.map((t) => run('docker', ['image', 'rm', t]).catch(() => undefined)));
}

/** Builds the image unless its tag exists; returns the tag. Takes 30–90 s on a fresh machine. */
export async function buildDebianImage(recipe: DebianImageRecipe): Promise<string> {
  const tag = recipe.tag ?? debianImageTag(recipe);
  if (await imageExists(tag)) return tag;
  return withLock(tag, async () => {
    if (await imageExists(tag)) return tag;
    await ensureDebootstrap();
    const dir = await mkdtemp(join(tmpdir(), 'wake-proxy-debian-'));
    const rootfs = join(dir, 'rootfs');
    const env = { ...process.env, ...recipe.env, ROOTFS: rootfs, DEBIAN_FRONTEND: 'noninteractive' };
    try {
      const include = recipe.packages.length > 0 ? [`--include=${recipe.packages.join(',')}`] : [];
      await runLogged('debootstrap', ['--variant=minbase', ...include, SUITE, rootfs, await aptMirror()], env);
      if (recipe.prepare) {
        const script = join(dir, 'prepare.sh');
        await writeFile(script, `set -eu\n${recipe.prepare}\n`);
        await chmod(script, 0o755);
        await runLogged('sh', [script], env);
      }
      await rm(join(rootfs, 'var/cache/apt/archives'), { recursive: true, force: true });
      await rm(join(rootfs, 'var/lib/apt/lists'), { recursive: true, force: true });
      const changes = [...(recipe.changes ?? []), `LABEL wake-proxy-recipe=${recipeHash(recipe)}`].flatMap((c) => ['--change', c]);
      const tar = spawn('tar', ['--numeric-owner', '-C', rootfs, '-c', '.'], { stdio: ['ignore', 'pipe', 'inherit'] });
      await runLogged('docker', ['import', ...changes, '-', tag], env, tar.stdout);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    if (!(await imageExists(tag))) throw new Error(`docker import of ${tag} reported success but the image is missing`);
    if (recipe.tag === undefined) await removeOlderTags(recipe.repository, tag);
    return tag;
  });
}
