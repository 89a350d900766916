/**
 * What the admin API needs from the services: a port owned by `admin/`, implemented by the
 * lifecycle's ServiceRegistry/ServiceController, so the admin edge does not depend on their classes.
 */
import type { SleepPolicy } from '../config/services-schema.ts';
import type { ServiceSnapshot } from '../metrics/service-snapshot.ts';

/** One service as the operator API drives it. */
export interface AdminService {
  readonly name: string;
  /** The sleep policy in force (`enabled` is false for priority high or `enabled: false`). */
  readonly policy: SleepPolicy;
  /** What the seed views and GET /config show of the service's configuration. */
  readonly config: {
    readonly dependsOn: readonly string[];
    readonly autoStart: boolean;
    /** The Swarm service behind it (null or absent: containers). */
    readonly swarmService?: string | null;
  };
  /** Replaces the sleep policy until the next reload or restart. */
  setPolicy(policy: SleepPolicy): void;
  /** True when the policy was set at run time. */
  policyChanged(): boolean;
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
