/**
 * The seeds' container fields in services.yml: what wake-proxy creates a service's container from
 * when it does not exist (`image`, `command`, `entrypoint`, `environment`, `volumes`, `networks`,
 * `labels`, `resources`, `pull`).
 *
 * Policy: parsed into one ContainerSpec with a hash of its content; the container is labelled
 * with that hash, so a changed spec is seen and the container recreated (never while it serves).
 * `resources` takes the seeds' fields: `memory` and `memory_reservation` are sizes (`512M`),
 * `cpu` is cores (`"0.5"`, Docker's NanoCpus), `cpu_reservation` becomes CPU shares (a relative
 * weight: Docker has no CPU reservation outside Swarm, 1 core = 1024 shares). `pull: never` (the
 * default) refuses a missing image with a clear error; `missing` pulls it first.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { MemorySizeSchema } from './memory-size.ts';

const CpuSchema = z
  .union([z.number(), z.string()])
  .transform((value, ctx) => {
    const cores = typeof value === 'number' ? value : Number(value.trim());
    if (!Number.isFinite(cores) || cores <= 0 || cores > 1024) {
      ctx.addIssue({ code: 'custom', message: `expected a number of CPU cores like "0.5" or 2, got ${JSON.stringify(value)}` });
      return z.NEVER;
    }
    return cores;
  });

/** `resources`, with the seeds' field names. */
export const ResourcesSchema = z
  .object({
    memory: MemorySizeSchema.optional().describe('Memory limit, e.g. "512M".'),
    cpu: CpuSchema.optional().describe('CPU limit in cores, e.g. "0.5".'),
    memory_reservation: MemorySizeSchema.optional().describe('Memory reservation (soft limit), e.g. "128M".'),
    cpu_reservation: CpuSchema.optional().describe('CPU weight in cores (Docker CPU shares: 1 core = 1024).'),
  })
  .strict();

const Words = z.union([z.string().min(1), z.array(z.string())]).transform((v) => (typeof v === 'string' ? ['/bin/sh', '-c', v] : v));

/** The container fields of one services.yml entry (all optional; `image` is what turns them on). */
export const ContainerSpecFields = {
  image: z.string().min(1).optional().describe('Create the container from this image when it does not exist (on its first wake); it is labelled with a hash of the spec and recreated when the spec changes.'),
  command: Words.optional().describe('Command of a created container: a list, or a string run with /bin/sh -c.'),
  entrypoint: Words.optional().describe('Entrypoint of a created container: a list, or a string run with /bin/sh -c.'),
  environment: z
    .union([z.array(z.string().regex(/^[^=]+=/, 'expected NAME=value')), z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]))])
    .optional()
    .describe('Environment of a created container: a list of NAME=value or a mapping.'),
  volumes: z.array(z.string().min(1)).optional().describe('Volumes of a created container, as Docker binds: "name:/path" or "/host:/path:ro".'),
  networks: z.array(z.string().min(1)).optional().describe("Networks of a created container; default the proxy's own network (when it runs in a container)."),
  labels: z.record(z.string(), z.string()).optional().describe('Labels of a created container.'),
  resources: ResourcesSchema.optional().describe('Limits and reservations of a created container.'),
  pull: z.enum(['never', 'missing']).default('never').describe('never: a missing image is an error. missing: pull it first.'),
} as const;

/** What a container is created from. */
export interface ContainerSpec {
  readonly image: string;
  readonly command: readonly string[] | null;
  readonly entrypoint: readonly string[] | null;
  readonly env: readonly string[];
  readonly volumes: readonly string[];
  readonly networks: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
  readonly memoryBytes: number | null;
  readonly nanoCpus: number | null;
  readonly memoryReservationBytes: number | null;
  readonly cpuShares: number | null;
  readonly pull: 'never' | 'missing';
  /** 16 hex characters of a hash of everything above. */
  readonly hash: string;
}

type RawSpec = {
  image?: string | undefined;
  command?: string[] | undefined;
  entrypoint?: string[] | undefined;
  environment?: string[] | Record<string, string | number | boolean> | undefined;
  volumes?: string[] | undefined;
  networks?: string[] | undefined;
  labels?: Record<string, string> | undefined;
  resources?: z.output<typeof ResourcesSchema> | undefined;
  pull: 'never' | 'missing';
};

/** The ContainerSpec of a parsed entry, or null when it has no `image`. */
export function toContainerSpec(raw: RawSpec): ContainerSpec | null {
  if (raw.image === undefined) return null;
  const env = Array.isArray(raw.environment)
    ? raw.environment
    : Object.entries(raw.environment ?? {}).map(([k, v]) => `${k}=${String(v)}`);
  const r = raw.resources ?? {};
  const body = {
    image: raw.image,
    command: raw.command ?? null,
    entrypoint: raw.entrypoint ?? null,
    env,
    volumes: raw.volumes ?? [],
    networks: raw.networks ?? [],
    labels: raw.labels ?? {},
    memoryBytes: r.memory ?? null,
    nanoCpus: r.cpu === undefined ? null : Math.round(r.cpu * 1e9),
    memoryReservationBytes: r.memory_reservation ?? null,
    cpuShares: r.cpu_reservation === undefined ? null : Math.max(2, Math.round(r.cpu_reservation * 1024)),
    pull: raw.pull,
  };
  return { ...body, hash: createHash('sha256').update(JSON.stringify(body)).digest('hex').slice(0, 16) };
}

/** True when an entry sets container fields without an image. */
export function specWithoutImage(raw: RawSpec): boolean {
  const set = [raw.command, raw.entrypoint, raw.environment, raw.volumes, raw.networks, raw.labels, raw.resources].some((v) => v !== undefined);
  return raw.image === undefined && set;
}
