/**
 * Every figure /metrics exports, in one place: per-service state and counters from the snapshots,
 * wake histograms and counters fed by lifecycle events, request counters fed by the proxy edge,
 * held-request gauges, and the process's own figures.
 *
 * Policy:
 * - Wake durations are histograms (`wake_proxy_wake_duration_seconds{service,from}` and
 *   `wake_proxy_wake_phase_duration_seconds{service,phase}`), so no wake between two scrapes is
 *   lost and `histogram_quantile` works; buckets 5 ms to 60 s.
 * - Requests are counted by service and status class (`2xx`…`5xx`, and `499` for a client that
 *   left before any status); refusals by the proxy itself also by their WP_ code, which is how
 *   hold-queue refusals and wake failures seen by clients are counted.
 * - Label values come from the configuration and from fixed vocabularies, never from what a
 *   client sends (a request with no route counts under `service=""`), so series stay bounded.
 * - Recording is O(1) and allocation-free after a series exists; rendering happens per scrape.
 *   Hand-written exposition: see exposition.ts for why no client library.
 */
import type { TransitionEvent } from '../lifecycle/service-controller.ts';
import type { WakeEvent } from '../lifecycle/wake-event.ts';
import { WAKE_STEPS } from '../lifecycle/wake-timeline.ts';
import { family, sample } from './exposition.ts';
import { CounterFamily, Histogram, WAKE_BUCKETS_SECONDS } from './histogram.ts';
import { ProcessFigures } from './process-figures.ts';
import { renderServiceFamilies } from './prometheus-text.ts';
import type { ResourceSample } from './resource-sampler.ts';
import type { ServiceSnapshot } from './service-snapshot.ts';

/** What a scrape reads besides the recorded events. */
export interface MetricsSources {
  snapshots(): readonly ServiceSnapshot[];
  /** Requests held now for a service. */
  heldCount(service: string): number;
  /** The service's max_held_requests. */
  maxHeld(service: string): number;
  /** Priority and sleep mode, exported as wake_proxy_service_info for joins in alert rules. */
  info(service: string): { readonly priority: string; readonly mode: string };
  /** The latest resource figures, or null when none were sampled. */
  resources(service: string): ResourceSample | null;
}

const PHASE_FIELDS = {
  dependency: 'dependencyMs',
  provider: 'providerMs',
  running: 'runningMs',
  ready: 'readyMs',
} as const;

/** The status class label of an HTTP status. */
const STATUS_CLASSES = ['0xx', '1xx', '2xx', '3xx', '4xx', '5xx'];

export function statusClass(status: number): string {
  if (status === 499) return '499';
  const hundreds = Math.floor(status / 100);
  return STATUS_CLASSES[hundreds] ?? `${hundreds}xx`;
}

/** Records events and renders the whole exposition. */
export class ProxyMetrics {
  readonly #wakeDuration = new Histogram(
    'wake_proxy_wake_duration_seconds',
    'Time from the start of a wake to readiness, by the state it woke from.',
    WAKE_BUCKETS_SECONDS,
  );
  readonly #wakePhase = new Histogram(
    'wake_proxy_wake_phase_duration_seconds',
    'Duration of each phase of a successful wake (dependency, provider, running, ready).',
    WAKE_BUCKETS_SECONDS,
  );
  readonly #wakeFailures = new CounterFamily('wake_proxy_wake_failures_total', 'Failed wakes, by error code.');
  readonly #probes = new CounterFamily('wake_proxy_probes_total', 'Readiness probes run during wakes.');
  readonly #transitions = new CounterFamily('wake_proxy_transitions_total', 'State changes, by cause.');
  readonly #requests = new CounterFamily('wake_proxy_requests_total', 'HTTP requests answered, by status class.');
  readonly #refusals = new CounterFamily(
    'wake_proxy_request_errors_total',
    'Requests the proxy answered itself with an error, by code (WP_HOLD_QUEUE_FULL counts hold-queue refusals).',
  );
  readonly #process = new ProcessFigures();
  /** service → status class → its wake_proxy_requests_total series (response() runs per request). */
  readonly #requestSeries = new Map<string, Map<string, { value: number }>>();

  /** Starts the process sampling (event-loop delay). */
  start(): void {
    this.#process.start();
  }

  /** Stops the process sampling. */
  close(): void {
    this.#process.close();
  }

  /** A wake ended. */
  wake(event: WakeEvent): void {
    const { service, fields } = event;
    this.#probes.inc({ service }, fields.probes);
    if (!event.ok) {
      this.#wakeFailures.inc({ service, code: event.code });
      return;
    }
    this.#wakeDuration.observe({ service, from: fields.from }, fields.totalMs / 1000);
    for (const phase of WAKE_STEPS) {
      const ms = fields[PHASE_FIELDS[phase]];
      if (ms !== null) this.#wakePhase.observe({ service, phase }, ms / 1000);
    }
  }

  /** A state changed. */
  transition(event: TransitionEvent): void {
    this.#transitions.inc({ service: event.service, from: event.from, to: event.to, cause: event.cause });
  }

  /** An HTTP exchange ended (the proxy edge's ResponseRecorder). */
  response(service: string | null, status: number, code: string | null): void {
    const name = service ?? '';
    const cls = statusClass(status);
    let byClass = this.#requestSeries.get(name);
    if (byClass === undefined) {
      byClass = new Map();
      this.#requestSeries.set(name, byClass);
    }
    let series = byClass.get(cls);
    if (series === undefined) {
      series = this.#requests.series({ service: name, code: cls });
      byClass.set(cls, series);
    }
    series.value += 1;
    if (code !== null) this.#refusals.inc({ service: name, code });
  }

  /** The /metrics body. */
  render(sources: MetricsSources): string {
    const snapshots = sources.snapshots();
    const held = family(
      'wake_proxy_held_requests',
      'gauge',
      'Requests held now, waiting for their service to wake.',
      snapshots.map((s) => sample('wake_proxy_held_requests', { service: s.name }, sources.heldCount(s.name))),
    );
    const maxHeld = family(
      'wake_proxy_max_held_requests',
      'gauge',
      'max_held_requests of the service: more held requests get 503.',
      snapshots.map((s) => sample('wake_proxy_max_held_requests', { service: s.name }, sources.maxHeld(s.name))),
    );
    return [
      renderServiceFamilies(snapshots),
      renderInfo(snapshots, sources),
      held,
      maxHeld,
      renderResources(snapshots, sources),
      this.#wakeDuration.render(),
      this.#wakePhase.render(),
      this.#wakeFailures.render(),
      this.#probes.render(),
      this.#transitions.render(),
      this.#requests.render(),
      this.#refusals.render(),
      this.#process.render(),
    ].join('');
  }
}

function renderInfo(snapshots: readonly ServiceSnapshot[], sources: MetricsSources): string {
  return family(
    'wake_proxy_service_info',
    'gauge',
    'Always 1; labels carry the service priority and sleep mode (join on service).',
    snapshots.map((s) => sample('wake_proxy_service_info', { service: s.name, ...sources.info(s.name) }, 1)),
  );
}

function renderResources(snapshots: readonly ServiceSnapshot[], sources: MetricsSources): string {
  const sampled = snapshots.flatMap((s) => {
    const r = sources.resources(s.name);
    return r === null ? [] : [{ s, r }];
  });
  return [
    family(
      'wake_proxy_container_memory_bytes',
      'gauge',
      'Memory the container uses (without droppable page cache), by service state: a paused container keeps its memory.',
      sampled.map(({ s, r }) => sample('wake_proxy_container_memory_bytes', { service: s.name, state: s.state }, r.memoryBytes)),
    ),
    family(
      'wake_proxy_container_memory_limit_bytes',
      'gauge',
      "The container's memory limit (the host's memory when it has none).",
      sampled.map(({ s, r }) => sample('wake_proxy_container_memory_limit_bytes', { service: s.name }, r.memoryLimitBytes)),
    ),
    family(
      'wake_proxy_container_cpu_cores',
      'gauge',
      'CPU the container used between the last two samples, in cores.',
      sampled.flatMap(({ s, r }) => (r.cpuCores === null ? [] : [sample('wake_proxy_container_cpu_cores', { service: s.name }, r.cpuCores)])),
    ),
  ].join('');
}
