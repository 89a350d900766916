/**
 * Which readiness probe a service uses, decided once from its config. Pure.
 *
 * Policy: an explicit `health_check.probe` wins; a `path` means `http`; otherwise the probe follows
 * the well-known port (5432 postgres, 6379 redis, 3306 mysql), because a TCP connect is not
 * readiness for a database (PostgreSQL accepts connections while it is still recovering). Any
 * other port gets `tcp`, and a service without a port is ready once its container runs.
 */

/** Every readiness probe. `running`: ready as soon as the container runs (services without a port). */
export const PROBE_KINDS = ['http', 'tcp', 'postgres', 'redis', 'mysql', 'exec', 'docker', 'running'] as const;

/** One readiness probe kind. */
export type ProbeKind = (typeof PROBE_KINDS)[number];

/** The probes that connect to the service's port, so they need one. */
export const NETWORK_PROBES: ReadonlySet<ProbeKind> = new Set(['http', 'tcp', 'postgres', 'redis', 'mysql']);

/** Ports whose protocol has a probe of its own. */
export const WELL_KNOWN_PORTS: ReadonlyMap<number, ProbeKind> = new Map([
  [5432, 'postgres'],
  [6379, 'redis'],
  [3306, 'mysql'],
]);

/** The probe a service uses, from what its config says (see the module header). */
export function resolveProbeKind(given: { probe: ProbeKind | null; path: string | null; port: number | null }): ProbeKind {
  if (given.probe !== null) return given.probe;
  if (given.path !== null) return 'http';
  if (given.port === null) return 'running';
  return WELL_KNOWN_PORTS.get(given.port) ?? 'tcp';
}
