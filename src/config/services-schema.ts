/**
 * services.yml: which container backs each service, how to tell it is ready, and when it sleeps.
 * Field names follow the seeds (snake_case) and are turned into camelCase, milliseconds and nulls
 * once, here. Every field has a default or is required, and a `.describe()` the README's config
 * reference is generated from (a test keeps the two in step).
 */
import { z } from 'zod';
import { DurationSchema, PositiveDurationSchema } from './duration.ts';
import { ComposeProjectSchema } from './env-schema.ts';
import { ContainerSpecFields, specWithoutImage, toContainerSpec } from './container-spec-schema.ts';
import { LoadingPageSchema } from './loading-page-schema.ts';
import { MemorySizeSchema } from './memory-size.ts';
import { NETWORK_PROBES, PROBE_KINDS, resolveProbeKind } from './probe-kind.ts';
import { RequestRuleSchema } from './request-rule-schema.ts';
import { swarmEntryIssues } from './swarm-entry.ts';

/** Default idle timeout per priority (ms); `high` never sleeps. */
export const DEFAULT_IDLE_TIMEOUT_MS = { normal: 300_000, low: 60_000 } as const;

const StatusRangeSchema = z
  .string()
  .regex(/^[1-5]\d\d(-[1-5]\d\d)?$/, { error: (i) => `expected a status or range like "200" or "200-399", got ${JSON.stringify(i.input)}` })
  .transform((s) => {
    const [lo, hi] = s.split('-').map(Number);
    return { min: lo ?? 200, max: hi ?? lo ?? 399 };
  })
  .refine((r) => r.min <= r.max, 'range start is above its end');

/** services.<name>.health_check (also the shape of defaults.health_check). */
export const HealthCheckSchema = z
  .object({
    probe: z
      .enum(PROBE_KINDS)
      .optional()
      .describe(
        'Readiness probe: http, tcp, postgres, redis, mysql, exec (run `command` in the container), docker (HEALTHCHECK healthy) or running. Default: http when `path` is set, else by port (5432 postgres, 6379 redis, 3306 mysql, other tcp; no port: running).',
      ),
    path: z
      .string()
      .startsWith('/')
      .optional()
      .describe('HTTP GET this path to probe readiness (probe http).'),
    status: StatusRangeSchema.prefault('200-399').describe('HTTP statuses that mean ready.'),
    command: z
      .array(z.string().min(1))
      .min(1)
      .optional()
      .describe('Probe exec: the command run inside the container through the Docker exec API, e.g. ["pg_isready", "-q"]; exit 0 is ready.'),
    timeout: PositiveDurationSchema.default(30_000).describe('How long a wake may take before held requests get 504.'),
    probe_timeout: PositiveDurationSchema.default(1_000).describe('Deadline of one readiness probe.'),
    interval: PositiveDurationSchema.default(100).describe(
      'Longest pause between probes: they start 1-5 ms apart for ~60 ms (for 1 s while the connection is refused), then the gap grows x1.5 up to this.',
    ),
    docker_health: z
      .boolean()
      .default(false)
      .describe('Deprecated (use probe: docker): also wait for Docker HEALTHCHECK to report healthy.'),
  })
  .strict()
  .superRefine((h, ctx) => {
    if (h.path !== undefined && h.probe !== undefined && h.probe !== 'http') {
      ctx.addIssue({ code: 'custom', path: ['path'], message: `path is for probe http, not probe ${h.probe}` });
    }
    if (h.probe === 'exec' && h.command === undefined) {
      ctx.addIssue({ code: 'custom', path: ['command'], message: 'probe exec needs a command, e.g. ["pg_isready", "-q"]' });
    }
    if (h.command !== undefined && h.probe !== 'exec') {
      ctx.addIssue({ code: 'custom', path: ['command'], message: 'command is for probe exec: add probe: exec' });
    }
  })
  .transform((h) => ({
    probe: h.probe ?? null,
    path: h.path ?? null,
    status: h.status,
    command: h.command ?? null,
    timeoutMs: h.timeout,
    probeTimeoutMs: h.probe_timeout,
    intervalMs: h.interval,
    dockerHealth: h.docker_health,
  }));

/** One sleep_policy mapping, as services.yml (and PUT /services/:name/policy) writes it; also the shape of defaults.sleep_policy. */
export const SleepPolicySchema = z
  .object({
    enabled: z.boolean().default(true).describe('false: the proxy never puts this service to sleep.'),
    mode: z
      .enum(['pause', 'stop'])
      .default('pause')
      .describe('pause: idle → SLEEPING (docker pause, fast wake). stop: idle → STOPPED directly (frees memory).'),
    idle_timeout: PositiveDurationSchema.optional().describe(
      'Time with no in-flight work before sleeping. Default 300s (priority low: 60s), or CONTAINER_IDLE_TIMEOUT (CONTAINER_LOW_IDLE_TIMEOUT) minutes.',
    ),
    max_sleep_time: PositiveDurationSchema.optional().describe(
      'Time SLEEPING before the container is stopped (STOPPED frees memory). Omit to never stop.',
    ),
    min_sleep_time: DurationSchema.default(60_000).describe(
      'Flap damping: each consecutive idle sleep ended by a request sooner than this doubles the next idle_timeout (up to 8x), a sleep this long resets it, and no wake is ever delayed.',
    ),
    min_uptime: DurationSchema.default(0).describe('No sleep within this long after a wake or start.'),
    memory_reservation: MemorySizeSchema.optional().describe(
      'While SLEEPING, lower the container\'s memory reservation (soft limit) to this, e.g. "128M", so the kernel reclaims from it first under memory pressure; restored after the wake has answered. A paused container keeps its pages: this frees nothing by itself.',
    ),
    idle_cpu_threshold: z
      .number()
      .min(0)
      .max(1024)
      .optional()
      .describe(
        'CPU in cores (0.1 = a tenth of one core) above which a service with nothing in flight is still busy and does not sleep (a transcode, a batch job); read from Docker stats every 15 s. Omit to judge by requests only.',
      ),
    priority: z
      .enum(['high', 'normal', 'low'])
      .default('normal')
      .describe('high: never sleeps. normal: idle_timeout default 300s. low: idle_timeout default 60s.'),
  })
  .strict()
  .transform((p) => ({
    enabled: p.enabled && p.priority !== 'high',
    mode: p.mode,
    idleTimeoutMs: p.idle_timeout ?? (p.priority === 'low' ? DEFAULT_IDLE_TIMEOUT_MS.low : DEFAULT_IDLE_TIMEOUT_MS.normal),
    maxSleepTimeMs: p.max_sleep_time ?? null,
    minSleepTimeMs: p.min_sleep_time,
    minUptimeMs: p.min_uptime,
    idleCpuThreshold: p.idle_cpu_threshold ?? null,
    memoryReservationBytes: p.memory_reservation ?? null,
    priority: p.priority,
  }));

const UpstreamSchema = z
  .string()
  .transform((s, ctx) => {
    let url: URL;
    try {
      url = new URL(s);
    } catch {
      ctx.addIssue({ code: 'custom', message: `expected a URL like "http://127.0.0.1:8080", got ${JSON.stringify(s)}` });
      return z.NEVER;
    }
    if (url.protocol !== 'http:' || url.pathname !== '/' || url.search !== '' || url.username !== '') {
      ctx.addIssue({ code: 'custom', message: `expected a plain http://host:port URL, got ${JSON.stringify(s)}` });
      return z.NEVER;
    }
    return { host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port || 80) };
  });

/** services.<name>.circuit_breaker: per instance of a service of several containers. */
export const CircuitBreakerSchema = z
  .object({
    failures: z
      .number()
      .int()
      .min(1)
      .default(3)
      .describe('Consecutive failures (connection refused or reset before a response, a failed trial probe) that open the breaker: the instance leaves the rotation.'),
    open_for: PositiveDurationSchema.default(5_000).describe(
      'How long an open breaker waits before one trial probe (half-open); the instance rejoins when it answers, else waits again.',
    ),
  })
  .strict()
  .transform((b) => ({ failures: b.failures, openForMs: b.open_for }));

/** One service entry of services.yml. */
export const ServiceEntrySchema = z
  .object({
    container: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Container name or id, or compose service name (label com.docker.compose.service), read in the compose scope (README: Compose scope). Exactly one of container, containers and swarm_service is required.',
      ),
    containers: z
      .array(z.string().min(1))
      .min(1)
      .optional()
      .describe(
        'Several containers (instances) that serve this service instead of one `container`: requests go to the ready instance with the fewest in flight; the first is woken first and serves as soon as it is ready, the others follow; a sleep takes all of them down.',
      ),
    compose_scale: z
      .boolean()
      .default(false)
      .describe(
        'true: every container of the compose service named by `container` in its compose scope (`docker compose up --scale`) is an instance, as with `containers`; they are listed at start and again when containers are created or removed.',
      ),
    circuit_breaker: CircuitBreakerSchema.prefault({}).describe('When an instance of a several-instance service is taken out of rotation, and when it is tried again.'),
    swarm_service: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Docker Swarm service name or id, instead of a container: woken by scaling it to `replicas`, put to sleep by scaling it to 0 (Swarm has no pause, so sleep_policy.mode is stop; README: Docker Swarm services).',
      ),
    replicas: z
      .number()
      .int()
      .min(1)
      .max(1000)
      .optional()
      .describe('swarm_service only: how many tasks a wake scales the service to. Default 1.'),
    compose_project: ComposeProjectSchema.optional().describe(
      "Compose project the container belongs to; default WAKE_PROXY_COMPOSE_PROJECT, else the proxy's own project.",
    ),
    port: z
      .number()
      .int()
      .min(1)
      .max(65535)
      .optional()
      .describe('Port the service listens on inside the container. Omit for a service nothing routes to (a worker, a dependency reached by others).'),
    upstream: UpstreamSchema.optional().describe('Fixed http://host:port to forward to, instead of the address Docker reports.'),
    health_check: HealthCheckSchema.prefault({}).describe('How readiness is probed after a wake.'),
    sleep_policy: SleepPolicySchema.prefault({}).describe('When the service sleeps and stops.'),
    auto_start: z.boolean().default(false).describe('Wake the service when the proxy starts.'),
    depends_on: z.array(z.string().min(1)).default([]).describe('Services woken (to readiness) before this one.'),
    max_held_requests: z
      .number()
      .int()
      .min(1)
      .default(1000)
      .describe('Requests held at once while waking; more get 503 with Retry-After.'),
    request_rules: z.array(RequestRuleSchema).default([]).describe('Requests that must not wake or not count as activity.'),
    ...ContainerSpecFields,
    loading_page: LoadingPageSchema.optional().describe(
      'Off by default (a transparent hold). Set: a browser navigation (GET preferring text/html) still held after `after` gets a page that follows the wake and reloads itself when the service is ready; API clients, other methods and WebSockets are always held.',
    ),
  })
  .strict()
  // For editors: the superRefine below says the same in located errors.
  .meta({ oneOf: [{ required: ['container'] }, { required: ['containers'] }, { required: ['swarm_service'] }] })
  .refine((e) => !specWithoutImage(e), { message: 'command, entrypoint, environment, volumes, networks, labels and resources need an image to create the container from', path: ['image'] })
  .superRefine((s, ctx) => {
    if (s.container === undefined && s.containers === undefined && s.swarm_service === undefined) {
      ctx.addIssue({ code: 'custom', path: ['container'], message: 'required (or containers for several instances, or swarm_service)' });
    }
    for (const issue of swarmEntryIssues(s)) ctx.addIssue({ code: 'custom', path: [...issue.path], message: issue.message });
    if (s.container !== undefined && s.containers !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['containers'], message: 'set container or containers, not both' });
    }
    if (s.compose_scale && s.container === undefined) {
      ctx.addIssue({ code: 'custom', path: ['compose_scale'], message: 'compose_scale needs container: the compose service whose containers are the instances' });
    }
    if (s.containers !== undefined && new Set(s.containers).size !== s.containers.length) {
      ctx.addIssue({ code: 'custom', path: ['containers'], message: 'a container is listed twice' });
    }
    if ((s.containers !== undefined || s.compose_scale) && s.upstream !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['upstream'], message: 'a fixed upstream is one address: each instance of containers or compose_scale has its own' });
    }
    if ((s.containers !== undefined || s.compose_scale) && s.image !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['image'], message: 'image (create the container) is for a service of one container, not containers or compose_scale' });
    }
    const probe = s.health_check.probe;
    if (s.port === undefined && probe !== null && NETWORK_PROBES.has(probe)) {
      ctx.addIssue({ code: 'custom', path: ['health_check', 'probe'], message: `probe ${probe} needs a port` });
    }
    if (s.port === undefined && s.health_check.path !== null && probe === null) {
      ctx.addIssue({ code: 'custom', path: ['health_check', 'path'], message: 'an HTTP probe needs a port' });
    }
  });

/**
 * The `defaults:` block: values for every service that does not set them itself. It is validated
 * with the very schemas of a service's fields, so any field they gain is covered; service-defaults.ts
 * merges it (and the environment's CONTAINER_* values) into each service before the service is parsed.
 */
export const ServiceDefaultsSchema = z
  .object({
    health_check: HealthCheckSchema.optional().describe('health_check fields for every service that does not set them.'),
    sleep_policy: SleepPolicySchema.optional().describe('sleep_policy fields for every service that does not set them.'),
    auto_start: z.boolean().optional().describe('auto_start for every service that does not set it.'),
  })
  .strict();

const SERVICE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** The whole services.yml file. */
export const ServicesFileSchema = z
  .object({
    services: z
      .record(
        z.string().regex(SERVICE_NAME, 'service names use letters, digits, ".", "_" and "-"'),
        ServiceEntrySchema,
      )
      .refine((r) => Object.keys(r).length > 0, 'at least one service is required')
      .describe('Services by name.'),
    defaults: ServiceDefaultsSchema.optional().describe(
      'Defaults for every service: precedence is the service\'s own value, then this block, then the CONTAINER_* environment variables, then the built-in default.',
    ),
  })
  .strict()
  .transform((f) =>
    Object.entries(f.services).map(([name, s]) => ({
      name,
      /** What the provider is asked about: the container reference, or the Swarm service's name. */
      container: s.container ?? s.containers?.[0] ?? s.swarm_service ?? '',
      instances: s.containers ?? [s.container ?? s.swarm_service ?? ''],
      composeScale: s.compose_scale,
      circuitBreaker: s.circuit_breaker,
      swarmService: s.swarm_service ?? null,
      replicas: s.replicas ?? 1,
      composeProject: s.compose_project ?? null,
      port: s.port ?? null,
      upstream: s.upstream ?? null,
      healthCheck: {
        ...s.health_check,
        probe: resolveProbeKind({ probe: s.health_check.probe, path: s.health_check.path, port: s.port ?? null }),
      },
      sleepPolicy: s.sleep_policy,
      autoStart: s.auto_start,
      dependsOn: s.depends_on,
      maxHeldRequests: s.max_held_requests,
      requestRules: s.request_rules,
      loadingPage: s.loading_page ?? null,
      spec: toContainerSpec(s),
    })),
  );

/** One parsed service. */
export type ServiceConfig = z.infer<typeof ServicesFileSchema>[number];
/** A parsed sleep policy. */
export type SleepPolicy = ServiceConfig['sleepPolicy'];
/** A parsed circuit breaker policy. */
export type CircuitBreakerConfig = ServiceConfig['circuitBreaker'];
/** A parsed health check. */
export type HealthCheckConfig = ServiceConfig['healthCheck'];
