/**
 * The container the proxy itself runs in: its Docker networks, so upstreams are resolved to an IP
 * the proxy can route to, and its compose project, which scopes compose-service lookups.
 *
 * Policy: the proxy is in a container when its own container can be found: by the container id
 * Docker bind-mounts /etc/hostname, /etc/hosts and /etc/resolv.conf from
 * (`…/containers/<id>/hostname` in /proc/self/mountinfo), or by a hostname that is a container id
 * (Docker's default). A candidate counts only when the engine knows a container whose id starts
 * with it; then that container's networks are used. Otherwise the proxy runs on the host: none.
 */
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';

const DOCKER_BIND_TARGETS: ReadonlySet<string> = new Set(['/etc/hostname', '/etc/hosts', '/etc/resolv.conf']);
const CONTAINER_DIR = /\/containers\/([0-9a-f]{64})\//;
const HEX_ID = /^[0-9a-f]{12,64}$/;

/** Container ids this process may be running in, from its hostname and its mountinfo text. */
export function ownContainerCandidates(host: string, mountinfo: string): string[] {
  const ids = new Set<string>();
  for (const line of mountinfo.split('\n')) {
    const fields = line.split(' ');
    const root = fields[3] ?? '';
    const mountPoint = fields[4] ?? '';
    const match = DOCKER_BIND_TARGETS.has(mountPoint) ? CONTAINER_DIR.exec(root) : null;
    if (match?.[1]) ids.add(match[1]);
  }
  if (HEX_ID.test(host)) ids.add(host);
  return [...ids];
}

/** The proxy's own container as far as wake-proxy cares. */
export interface OwnContainer {
  readonly id: string;
  readonly networks: readonly string[];
  /** Its com.docker.compose.project label; null when compose did not create it. */
  readonly composeProject: string | null;
}

/** What detection needs from the engine: a container by id, or null if unknown. */
export type InspectOwn = (id: string) => Promise<OwnContainer | null>;

/** The container this process runs in; null when it runs on the host. */
export async function detectOwnContainer(inspect: InspectOwn): Promise<OwnContainer | null> {
  const mountinfo = await readFile('/proc/self/mountinfo', 'utf8').catch(() => '');
  for (const candidate of ownContainerCandidates(hostname(), mountinfo)) {
    const found = await inspect(candidate);
    if (found && found.id.startsWith(candidate)) return found;
  }
  return null;
}
