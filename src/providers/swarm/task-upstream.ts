/**
 * Where the proxy can reach a port inside a Swarm task's container, with no I/O.
 *
 * Policy, in order: an IP on a network the proxy itself is attached to (the proxy in a container
 * on the service's attachable overlay network: the only address sure to route there); else the
 * IP on Docker's default `bridge` (a service created without networks has its tasks there, on a
 * single node); else the task's address on `docker_gwbridge`, the bridge Docker gives every task
 * on an overlay network for traffic leaving the node: the host (and a proxy on the host network)
 * reaches it, while an overlay IP is reachable only from containers on that overlay. A task that
 * has none of these (other nodes' tasks: their addresses are on their own hosts) has no upstream.
 */
import type { Upstream } from '../container-provider.ts';
import type { InspectData } from '../docker/inspect-data.ts';

/** The network Docker attaches every overlay task to for egress on its node. */
export const GWBRIDGE_NETWORK = 'docker_gwbridge';

/** The upstream of `port` in a task container, given its inspect and its docker_gwbridge IP. */
export function taskUpstream(
  data: InspectData,
  port: number | null,
  ownNetworks: readonly string[],
  gwbridgeIp: string | null,
): Upstream | null {
  if (port === null) return null;
  const networks = data.NetworkSettings?.Networks ?? {};
  for (const network of [...ownNetworks, 'bridge']) {
    const ip = networks[network]?.IPAddress;
    if (ip) return { host: ip, port };
  }
  return gwbridgeIp === null ? null : { host: gwbridgeIp, port };
}

/** A container's IPv4 address on docker_gwbridge, from GET /networks/docker_gwbridge (`172.18.0.3/16` → `172.18.0.3`). */
export function gwbridgeAddress(network: unknown, containerId: string): string | null {
  const containers = typeof network === 'object' && network !== null ? (network as Record<string, unknown>)['Containers'] : undefined;
  const entry = typeof containers === 'object' && containers !== null ? (containers as Record<string, unknown>)[containerId] : undefined;
  const cidr = typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>)['IPv4Address'] : undefined;
  if (typeof cidr !== 'string' || cidr === '') return null;
  return cidr.split('/')[0] ?? null;
}
