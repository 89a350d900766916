/**
 * Defaults in one place (issue 14 item 7): the `defaults:` block of services.yml and the
 * CONTAINER_* environment variables, merged into every service's plain data before the service is
 * parsed, so each merged value is validated and converted exactly like a value the service wrote.
 *
 * Policy:
 * - Precedence, field by field: the service's own value, then the `defaults:` block, then the
 *   environment, then the built-in default (the schema's).
 * - The merge is generic at the raw-object level: every field of `health_check` and
 *   `sleep_policy` (whatever fields those schemas have) and `auto_start`. Nothing here names a
 *   health_check or sleep_policy field except the per-priority idle timeouts of the environment.
 * - A `defaults:` block with any error is not merged at all: its errors are reported once, at the
 *   block (by the file schema), instead of once per service.
 * - The environment's idle timeouts are per priority (CONTAINER_IDLE_TIMEOUT for normal,
 *   CONTAINER_LOW_IDLE_TIMEOUT for low): one applies to a service whose idle_timeout is set
 *   neither by itself nor by the block, by the priority it ends up with.
 * - A Swarm service (`swarm_service:`) whose sleep_policy.mode is set nowhere gets `stop`, not the
 *   schema's `pause` (swarm-entry.ts).
 * - An entry that is not a mapping, or a section that is not one, is left as it is: the schema
 *   reports it where the user wrote it.
 */
import type { ConfigIssue } from './config-issue.ts';
import { HEALTH_CHECK_INTERVAL_FIELD, type ContainerDefaults } from './env-schema.ts';
import { HealthCheckSchema, ServiceDefaultsSchema } from './services-schema.ts';
import { isRawSwarmEntry } from './swarm-entry.ts';

/** Sections of a service merged field by field. */
const SECTIONS = ['health_check', 'sleep_policy'] as const;
/** Service fields merged as a whole. */
const FIELDS = ['auto_start'] as const;

type Raw = Readonly<Record<string, unknown>>;

/** Defaults from the environment, in raw services.yml form (durations as strings such as "1800000ms"). */
export interface EnvServiceDefaults {
  readonly health_check?: Raw;
  readonly sleep_policy?: Raw;
  readonly auto_start?: boolean;
  /** sleep_policy.idle_timeout by priority, when no idle_timeout is set otherwise. */
  readonly idle_timeout_by_priority?: Readonly<Partial<Record<'normal' | 'low', string>>>;
}

/** No defaults from the environment. */
export const NO_ENV_DEFAULTS: EnvServiceDefaults = {};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function record(value: unknown): Raw {
  return isRecord(value) ? value : {};
}

function mergeEntry(entry: Raw, block: Raw, env: EnvServiceDefaults): Raw {
  const merged: Record<string, unknown> = { ...entry };
  const envRaw = env as Raw;
  for (const section of SECTIONS) {
    const own = entry[section];
    if (own !== undefined && !isRecord(own)) continue;
    const layered = { ...record(envRaw[section]), ...record(block[section]), ...record(own) };
    if (Object.keys(layered).length > 0 || own !== undefined) merged[section] = layered;
  }
  for (const field of FIELDS) {
    const value = entry[field] ?? block[field] ?? envRaw[field];
    if (value !== undefined) merged[field] = value;
  }
  const policy = merged['sleep_policy'];
  const byPriority = env.idle_timeout_by_priority;
  if (byPriority !== undefined && (policy === undefined || isRecord(policy)) && record(policy)['idle_timeout'] === undefined) {
    const priority = record(policy)['priority'] ?? 'normal';
    const idle = priority === 'normal' || priority === 'low' ? byPriority[priority] : undefined;
    if (idle !== undefined) merged['sleep_policy'] = { ...record(policy), idle_timeout: idle };
  }
  return withSwarmMode(merged);
}

/** A Swarm service's sleep mode defaults to stop (swarm-entry.ts: Swarm has no pause). */
function withSwarmMode(entry: Record<string, unknown>): Record<string, unknown> {
  const policy = entry['sleep_policy'];
  if (!isRawSwarmEntry(entry) || (policy !== undefined && !isRecord(policy)) || record(policy)['mode'] !== undefined) return entry;
  return { ...entry, sleep_policy: { ...record(policy), mode: 'stop' } };
}

/**
 * The CONTAINER_* values (read by env-schema.ts) as service defaults, plus a warning for each
 * variable that has no effect: CONTAINER_HIGH_IDLE_TIMEOUT (priority high never sleeps), and
 * CONTAINER_HEALTH_CHECK_INTERVAL while the health_check schema has no such field.
 */
export function envServiceDefaults(e: ContainerDefaults): { defaults: EnvServiceDefaults; warnings: string[] } {
  const warnings: string[] = [];
  const healthCheck: Record<string, unknown> = {};
  const sleepPolicy: Record<string, unknown> = {};
  if (e.CONTAINER_STARTUP_TIMEOUT !== undefined) healthCheck['timeout'] = e.CONTAINER_STARTUP_TIMEOUT;
  if (e.CONTAINER_HEALTH_CHECK_INTERVAL !== undefined) {
    if (HealthCheckSchema.safeParse({ [HEALTH_CHECK_INTERVAL_FIELD]: e.CONTAINER_HEALTH_CHECK_INTERVAL }).success) {
      healthCheck[HEALTH_CHECK_INTERVAL_FIELD] = e.CONTAINER_HEALTH_CHECK_INTERVAL;
    } else {
      warnings.push(`CONTAINER_HEALTH_CHECK_INTERVAL has no effect: this version has no health_check.${HEALTH_CHECK_INTERVAL_FIELD}`);
    }
  }
  if (e.CONTAINER_AUTO_STOP !== undefined) sleepPolicy['enabled'] = e.CONTAINER_AUTO_STOP;
  if (e.CONTAINER_HIGH_IDLE_TIMEOUT !== undefined) {
    warnings.push('CONTAINER_HIGH_IDLE_TIMEOUT has no effect: priority high never sleeps; give such services priority normal and an idle_timeout');
  }
  const byPriority = {
    ...(e.CONTAINER_IDLE_TIMEOUT === undefined ? {} : { normal: e.CONTAINER_IDLE_TIMEOUT }),
    ...(e.CONTAINER_LOW_IDLE_TIMEOUT === undefined ? {} : { low: e.CONTAINER_LOW_IDLE_TIMEOUT }),
  };
  const defaults: EnvServiceDefaults = {
    ...(Object.keys(healthCheck).length > 0 ? { health_check: healthCheck } : {}),
    ...(Object.keys(sleepPolicy).length > 0 ? { sleep_policy: sleepPolicy } : {}),
    ...(e.CONTAINER_AUTO_START === undefined ? {} : { auto_start: e.CONTAINER_AUTO_START }),
    ...(Object.keys(byPriority).length > 0 ? { idle_timeout_by_priority: byPriority } : {}),
  };
  return { defaults, warnings };
}

/**
 * services.yml's plain data with the defaults merged into every service (see the module header).
 * Pure; the issues list is empty (errors of the block are the file schema's to report).
 */
export function mergeServiceDefaults(data: unknown, env: EnvServiceDefaults): { data: unknown; issues: readonly ConfigIssue[] } {
  if (!isRecord(data) || !isRecord(data['services'])) return { data, issues: [] };
  const blockRaw = data['defaults'];
  const block = blockRaw === undefined || ServiceDefaultsSchema.safeParse(blockRaw).success ? record(blockRaw) : {};
  const services = Object.fromEntries(
    Object.entries(data['services']).map(([name, entry]) => [name, isRecord(entry) ? mergeEntry(entry, block, env) : entry]),
  );
  return { data: { ...data, services }, issues: [] };
}
