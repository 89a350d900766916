/**
 * What the admin API needs from the services: a port owned by `admin/`, implemented by the
 * lifecycle's ServiceRegistry/ServiceController, so the admin edge does not depend on their classes.
 */
import type { ServiceSnapshot } from '../metrics/service-snapshot.ts';

/** One service as the operator API drives it. */
export interface AdminService {
  readonly name: string;
  /** Whether the service's sleep policy lets it sleep at all (priority high or enabled: false do not). */
  readonly policy: { readonly enabled: boolean };
  snapshot(): ServiceSnapshot;
  /** Wakes the service (cause manual) and resolves when it is ready. */
  wake(cause: 'manual'): Promise<unknown>;
  /** Puts a RUNNING service to sleep now, whatever its idle clock says. */
  sleepNow(cause: 'manual'): Promise<void>;
  /** Stops a RUNNING or SLEEPING service now. */
  stopNow(cause: 'manual'): Promise<void>;
}

/** All configured services. */
export interface AdminServices {
  all(): readonly AdminService[];
  /** Service names grouped in dependency order: each level depends only on earlier levels. */
  dependencyLevels(): readonly (readonly string[])[];
}
