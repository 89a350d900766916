/**
 * Docker's stats JSON → ContainerStats, the way `docker stats` reads it.
 *
 * Policy: memory in use is `usage` minus the inactive file cache (cgroup v2 `inactive_file`,
 * cgroup v1 `total_inactive_file`, else v1 `cache`), because the kernel drops that cache first and
 * counting it makes every container look full. CPU is the cumulative `total_usage` (ns), so two
 * samples give a rate: a one-shot read has no previous sample of its own.
 */
import type { ContainerStats } from '../container-provider.ts';

/** The part of Docker's stats answer that is read here. */
export interface DockerStatsData {
  readonly memory_stats?: { readonly usage?: number; readonly limit?: number; readonly stats?: Readonly<Record<string, number>> };
  readonly cpu_stats?: { readonly cpu_usage?: { readonly total_usage?: number } };
}

/** Maps one stats answer; absent figures read as 0. */
export function toContainerStats(raw: DockerStatsData): ContainerStats {
  const memory = raw.memory_stats ?? {};
  const detail = memory.stats ?? {};
  const cache = detail['inactive_file'] ?? detail['total_inactive_file'] ?? detail['cache'] ?? 0;
  const usage = memory.usage ?? 0;
  return {
    memoryBytes: Math.max(0, usage - (cache < usage ? cache : 0)),
    memoryLimitBytes: memory.limit ?? 0,
    cpuSeconds: (raw.cpu_stats?.cpu_usage?.total_usage ?? 0) / 1e9,
  };
}
