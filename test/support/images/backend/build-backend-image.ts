/**
 * Builds the integration tests' backend image without any registry: a `FROM scratch` image holding
 * the project's pinned Node binary, the shared libraries `ldd` lists for it (at the same paths),
 * the dynamic loader, busybox (for `docker exec … sh` while debugging, when the host has it) and
 * the backend scripts next to this file.
 *
 * Policy: the tag is a hash of the scripts, the Node version and RECIPE_VERSION, so the image is
 * rebuilt only when one of them changes; an existing tag is reused as is. After a build, older
 * tags of the repository are removed when no container uses them (each is about 130 MB).
 */
import { spawn, execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFile, link, mkdir, mkdtemp, readFile, realpath, rm, symlink, writeFile, access } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type Docker from 'dockerode';

/** Repository part of the backend image's name. */
export const BACKEND_REPOSITORY = 'wake-proxy-test-backend';
/** Bump when the recipe below changes in a way the hashed inputs do not show. */
const RECIPE_VERSION = '1';
const SCRIPTS = ['server.mjs', 'ws-echo.mjs'] as const;
const HERE = dirname(fileURLToPath(import.meta.url));
const NODE_LINK = join(HERE, '../../../../node_modules/.bin/node');
const BUSYBOX = '/bin/busybox';
const run = promisify(execFile);

const DOCKERFILE = `FROM scratch
COPY rootfs/ /
ENV PATH=/usr/local/bin:/bin
LABEL wake-proxy-test=1
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/node", "/app/server.mjs"]
`;

/** The pinned Node binary (the real file behind node_modules/.bin/node) and its version. */
async function pinnedNode(): Promise<{ path: string; version: string }> {
  const path = await realpath(NODE_LINK).catch(() => realpath(process.execPath));
  const { stdout } = await run(path, ['--version']);
  return { path, version: stdout.trim() };
}

/** Absolute paths of the shared objects and loader that `ldd` prints (vdso has none). */
export function parseLddOutput(text: string): string[] {
  const paths = new Set<string>();
  for (const line of text.split('\n')) {
    const match = /(?:=>\s*)?(\/\S+)\s+\(0x[0-9a-f]+\)/.exec(line);
    if (match?.[1]) paths.add(match[1]);
  }
  return [...paths];
}

/** The image tag for the current inputs: `wake-proxy-test-backend:<hash>`. */
export async function backendImageTag(): Promise<string> {
  const node = await pinnedNode();
  const hash = createHash('sha256').update(`${RECIPE_VERSION}\n${node.version}\n`);
  for (const script of SCRIPTS) hash.update(await readFile(join(HERE, script)));
  return `${BACKEND_REPOSITORY}:${hash.digest('hex').slice(0, 16)}`;
}

async function place(source: string, target: string): Promise<void> {
  await mkdir(dirname(target), { recursive: true });
  const real = await realpath(source);
  await link(real, target).catch(() => copyFile(real, target));
}

async function assembleContext(dir: string): Promise<void> {
  const rootfs = join(dir, 'rootfs');
  const node = await pinnedNode();
  await place(node.path, join(rootfs, 'usr/local/bin/node'));
  const { stdout } = await run('ldd', [node.path]);
  for (const lib of parseLddOutput(stdout)) await place(lib, join(rootfs, lib));
  for (const script of SCRIPTS) await place(join(HERE, script), join(rootfs, 'app', script));
  await mkdir(join(rootfs, 'tmp'), { recursive: true });
  const hasBusybox = await access(BUSYBOX).then(() => true, () => false);
  if (hasBusybox) {
    await place(BUSYBOX, join(rootfs, 'bin/busybox'));
    await symlink('busybox', join(rootfs, 'bin/sh'));
  }
  await writeFile(join(dir, 'Dockerfile'), DOCKERFILE);
}

async function buildFromContext(docker: Docker, dir: string, tag: string): Promise<void> {
  const tar = spawn('tar', ['-C', dir, '-c', '.'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const output = await docker.buildImage(tar.stdout, { t: tag, rm: true, forcerm: true });
  const messages = await new Promise<Array<{ error?: string }>>((resolve, reject) => {
    docker.modem.followProgress(output, (err: Error | null, result: Array<{ error?: string }>) =>
      err ? reject(err) : resolve(result),
    );
  });
  const failure = messages.find((m) => m.error);
  if (failure) throw new Error(`building ${tag} failed: ${failure.error}`);
}

async function imageExists(docker: Docker, tag: string): Promise<boolean> {
  return docker
    .getImage(tag)
    .inspect()
    .then(() => true, () => false);
}

async function removeOlderTags(docker: Docker, tag: string): Promise<void> {
  const images = await docker.listImages({ filters: { reference: [BACKEND_REPOSITORY] } });
  const older = images.flatMap((image) => (image.RepoTags ?? []).filter((t) => t !== tag));
  await Promise.all(older.map((old) => docker.getImage(old).remove().catch(() => undefined)));
}

/** Builds the backend image unless its tag already exists; returns the tag. */
export async function buildBackendImage(docker: Docker): Promise<string> {
  const tag = await backendImageTag();
  if (await imageExists(docker, tag)) return tag;
  const dir = await mkdtemp(join(tmpdir(), 'wake-proxy-backend-'));
  try {
    await assembleContext(dir);
    await buildFromContext(docker, dir, tag);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  if (!(await imageExists(docker, tag))) throw new Error(`building ${tag} reported success but the image is missing`);
  await removeOlderTags(docker, tag);
  return tag;
}
