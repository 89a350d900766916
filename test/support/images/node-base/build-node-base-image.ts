/**
 * Builds a local stand-in for the Dockerfile's base image (`FROM node:24.21.0-bookworm-slim`),
 * since no registry can be reached here: debootstrap minbase bookworm, the project's pinned Node
 * binary (the real file behind node_modules/.bin/node) at /usr/local/bin/node, npm 11 from the npm
 * registry (`npm pack npm@11`) under /usr/local/lib/node_modules/npm, and a `node` user (uid 1000).
 *
 * Policy: egress TLS on these machines is intercepted, so npm inside a `docker build` step trusts
 * only the host's CA bundle: this CI-made base copies it in and points NODE_EXTRA_CA_CERTS at it.
 * That belongs to this stand-in only; the project's Dockerfile never carries a CA of its own.
 * The image is tagged as the Dockerfile's FROM; the recipe hash (Node version, CA bundle) is kept
 * as a label. An image already carrying that tag is reused as is (never removed: it may be another
 * run's).
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile, realpath } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { buildDebianImage, type DebianImageRecipe } from '../debian/build-debian-image.ts';

const run = promisify(execFile);
const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '../../../..');
const HOST_CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';
const IMAGE_CA_BUNDLE = '/usr/local/share/wake-proxy-ci/host-ca-certificates.crt';

/** The image the Dockerfile builds FROM (its first FROM line). */
export async function dockerfileBase(): Promise<string> {
  const text = await readFile(join(ROOT, 'Dockerfile'), 'utf8');
  const from = /^FROM\s+(\S+)/m.exec(text)?.[1];
  if (!from) throw new Error('Dockerfile has no FROM line');
  return from;
}

async function recipe(tag: string): Promise<DebianImageRecipe> {
  const node = await realpath(join(ROOT, 'node_modules/.bin/node'));
  const { stdout: version } = await run(node, ['--version']);
  const ca = await readFile(HOST_CA_BUNDLE).catch(() => Buffer.alloc(0));
  const caHash = createHash('sha256').update(ca).digest('hex').slice(0, 16);
  return {
    repository: 'wake-proxy-ci-node-base',
    tag,
    packages: [],
    env: { NODE_BIN: node, HOST_CA: HOST_CA_BUNDLE, IMAGE_CA: IMAGE_CA_BUNDLE },
    hashExtra: `node ${version.trim()} npm@11 ca ${caHash}`,
    prepare: `
install -m 0755 "$NODE_BIN" "$ROOTFS/usr/local/bin/node"
work=$(mktemp -d)
(cd "$work" && npm pack npm@11 --silent >/dev/null)
mkdir -p "$ROOTFS/usr/local/lib/node_modules/npm"
tar -xzf "$work"/npm-*.tgz -C "$ROOTFS/usr/local/lib/node_modules/npm" --strip-components=1
rm -rf "$work"
ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$ROOTFS/usr/local/bin/npm"
ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$ROOTFS/usr/local/bin/npx"
echo 'node:x:1000:1000::/home/node:/bin/bash' >> "$ROOTFS/etc/passwd"
echo 'node:x:1000:' >> "$ROOTFS/etc/group"
echo 'node:*:19000:0:99999:7:::' >> "$ROOTFS/etc/shadow"
mkdir -p "$ROOTFS/home/node" && chown 1000:1000 "$ROOTFS/home/node"
mkdir -p "$(dirname "$ROOTFS$IMAGE_CA")"
if [ -s "$HOST_CA" ]; then cp "$HOST_CA" "$ROOTFS$IMAGE_CA"; else : > "$ROOTFS$IMAGE_CA"; fi
`,
    changes: [
      'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      `ENV NODE_VERSION=${version.trim().replace(/^v/, '')}`,
      `ENV NODE_EXTRA_CA_CERTS=${IMAGE_CA_BUNDLE}`,
      'CMD ["node"]',
    ],
  };
}

/** Makes sure the Dockerfile's base image exists locally and returns its tag (~45 s when built). */
export async function ensureNodeBaseImage(): Promise<string> {
  return buildDebianImage(await recipe(await dockerfileBase()));
}
