/**
 * What services.yml allows for a Docker Swarm service (`swarm_service:`), as pure rules on one
 * parsed entry.
 *
 * Policy:
 * - A service is backed by containers (`container` or `containers`) or by one Swarm service
 *   (`swarm_service`), never both; `replicas` belongs to a Swarm service only.
 * - Swarm has no pause: a Swarm service sleeps by being scaled to 0, which is a stop. Its
 *   sleep_policy.mode therefore defaults to `stop` (service-defaults.ts fills it in before the
 *   entry is parsed), and a `mode: pause` it is given (by the entry, the `defaults:` block or the
 *   environment) is an error rather than silently turned into a stop: pause promises a fast wake
 *   with memory kept, and a scale from 0 is a cold start.
 * - wake-proxy scales Swarm services, it does not create them: the container-creation fields
 *   (`image` and the rest), `compose_project` and `sleep_policy.memory_reservation` (a container
 *   update) are for container services.
 */
import type { ConfigIssue } from './config-issue.ts';

/** The fields of a parsed services.yml entry these rules read. */
export interface SwarmEntryFields {
  readonly container?: string | undefined;
  readonly containers?: readonly string[] | undefined;
  readonly swarm_service?: string | undefined;
  readonly replicas?: number | undefined;
  readonly image?: string | undefined;
  readonly compose_project?: string | undefined;
  readonly sleep_policy: { readonly mode: 'pause' | 'stop'; readonly memoryReservationBytes: number | null };
}

/** A Swarm service's problems (and replicas on a container service), paths relative to the entry. */
export function swarmEntryIssues(entry: SwarmEntryFields): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const swarm = entry.swarm_service !== undefined;
  if (entry.replicas !== undefined && !swarm) {
    issues.push({ path: ['replicas'], message: 'replicas is for a swarm_service' });
  }
  if (!swarm) return issues;
  if (entry.container !== undefined || entry.containers !== undefined) {
    issues.push({
      path: ['swarm_service'],
      message: 'swarm_service excludes container and containers: a service is its containers or one Swarm service',
    });
  }
  if (entry.sleep_policy.mode === 'pause') {
    issues.push({
      path: ['sleep_policy', 'mode'],
      message: 'a Swarm service cannot pause: it sleeps by scaling to 0, which is a stop (use mode: stop, or leave mode out)',
    });
  }
  if (entry.sleep_policy.memoryReservationBytes !== null) {
    issues.push({ path: ['sleep_policy', 'memory_reservation'], message: 'memory_reservation is for container services: a Swarm service sleeps at 0 tasks' });
  }
  if (entry.image !== undefined) {
    issues.push({ path: ['image'], message: 'wake-proxy scales a Swarm service, it does not create it: image and the container fields are for container services' });
  }
  if (entry.compose_project !== undefined) {
    issues.push({ path: ['compose_project'], message: 'compose_project is for container services' });
  }
  return issues;
}

/** True when a raw (not yet parsed) services.yml entry names a Swarm service. */
export function isRawSwarmEntry(entry: Readonly<Record<string, unknown>>): boolean {
  return entry['swarm_service'] !== undefined;
}
