/**
 * Where the proxy can open a TCP connection to a port inside a container.
 *
 * Policy, in order: an IP on a network the proxy itself is attached to (the only address that is
 * sure to route when the proxy runs in a container); else the IP on Docker's default `bridge`
 * network; else an IP on any other network (reachable from the host, which routes to every Docker
 * bridge); else a published host port for `<port>/tcp` (a wildcard host IP means loopback); else,
 * for a container on the host network, loopback itself. A container that is neither running nor
 * paused has no address: a stopped container's old IP does not refuse connections, it hangs them.
 */
import type { ContainerRunState, Upstream } from '../container-provider.ts';
import type { InspectData, InspectPortBinding } from './inspect-data.ts';

const LOOPBACK_V4 = '127.0.0.1';

function networkIp(data: InspectData, network: string): string | null {
  const ip = data.NetworkSettings?.Networks?.[network]?.IPAddress;
  return ip ? ip : null;
}

function hostAddress(binding: InspectPortBinding): string {
  const ip = binding.HostIp ?? '';
  if (ip === '' || ip === '0.0.0.0') return LOOPBACK_V4;
  if (ip === '::') return '::1';
  return ip;
}

function publishedPort(data: InspectData, port: number): Upstream | null {
  const bindings = data.NetworkSettings?.Ports?.[`${port}/tcp`] ?? [];
  const usable = bindings.filter((b) => Number(b.HostPort) > 0);
  const preferred = usable.find((b) => !hostAddress(b).includes(':')) ?? usable[0];
  return preferred ? { host: hostAddress(preferred), port: Number(preferred.HostPort) } : null;
}

/**
 * Resolves the upstream for `port` inside the container, or null when it has no usable address
 * (or the service has no port).
 */
export function resolveUpstream(
  data: InspectData,
  state: ContainerRunState,
  port: number | null,
  ownNetworks: readonly string[],
): Upstream | null {
  if (port === null || (state !== 'running' && state !== 'paused')) return null;
  const attached = Object.keys(data.NetworkSettings?.Networks ?? {}).sort();
  const candidates = [...ownNetworks, 'bridge', ...attached];
  for (const network of candidates) {
    const ip = networkIp(data, network);
    if (ip) return { host: ip, port };
  }
  const published = publishedPort(data, port);
  if (published) return published;
  return data.HostConfig?.NetworkMode === 'host' ? { host: LOOPBACK_V4, port } : null;
}
