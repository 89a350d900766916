import { describe, expect, it } from 'vitest';
import { ProxyMetrics, statusClass } from '../../../src/metrics/proxy-metrics.ts';
import type { ServiceSnapshot } from '../../../src/metrics/service-snapshot.ts';
import type { WakeLogFields } from '../../../src/lifecycle/wake-timeline.ts';

const snapshot: ServiceSnapshot = {
  name: 'api',
  state: 'RUNNING',
  transition: null,
  ready: true,
  upstream: null,
  inFlight: 1,
  lastActivityAt: 5_000,
  stateSince: 6_000,
  wakeCount: 1,
  sleepCount: 0,
  stopCount: 0,
  wakeFailures: 0,
  probes: 0,
  flaps: 0,
  idleTimeoutMs: 300_000,
  nextSleepAt: null,
  totalUptimeMs: 1_000,
  lastWake: null,
};

const fields: WakeLogFields = {
  from: 'SLEEPING',
  cause: 'request',
  held: 3,
  dependencyMs: 0,
  providerMs: 14,
  runningMs: 0,
  readyMs: 3,
  totalMs: 17,
  probes: 2,
};

function render(metrics: ProxyMetrics): string {
  return metrics.render({
    snapshots: () => [snapshot],
    heldCount: () => 4,
    maxHeld: () => 1000,
    info: () => ({ priority: 'normal', mode: 'pause' }),
    resources: () => ({ memoryBytes: 64, memoryLimitBytes: 128, cpuSeconds: 3, cpuCores: 0.25, sampledAt: 1 }),
  });
}

describe('ProxyMetrics', () => {
  it('turns a wake into the duration histogram, phase histograms and the probe counter', () => {
    const metrics = new ProxyMetrics();
    metrics.wake({ service: 'api', ok: true, fields, at: 1 });
    const text = render(metrics);
    expect(text).toContain('wake_proxy_wake_duration_seconds_bucket{service="api",from="SLEEPING",le="0.025"} 1');
    expect(text).toContain('wake_proxy_wake_duration_seconds_bucket{service="api",from="SLEEPING",le="0.01"} 0');
    expect(text).toContain('wake_proxy_wake_phase_duration_seconds_count{service="api",phase="provider"} 1');
    expect(text).toContain('wake_proxy_probes_total{service="api"} 2');
  });

  it('counts a failed wake by its code, outside the duration histogram', () => {
    const metrics = new ProxyMetrics();
    metrics.wake({ service: 'api', ok: false, fields, code: 'WP_WAKE_TIMEOUT', step: 'ready', at: 1 });
    const text = render(metrics);
    expect(text).toContain('wake_proxy_wake_failures_total{service="api",code="WP_WAKE_TIMEOUT"} 1');
    expect(text).not.toContain('wake_proxy_wake_duration_seconds_count');
  });

  it('counts responses by status class and refusals by code', () => {
    const metrics = new ProxyMetrics();
    metrics.response('api', 200, null);
    metrics.response('api', 204, null);
    metrics.response('api', 503, 'WP_HOLD_QUEUE_FULL');
    metrics.response(null, 404, 'WP_ROUTE_NOT_FOUND');
    const text = render(metrics);
    expect(text).toContain('wake_proxy_requests_total{service="api",code="2xx"} 2');
    expect(text).toContain('wake_proxy_request_errors_total{service="api",code="WP_HOLD_QUEUE_FULL"} 1');
    expect(text).toContain('wake_proxy_requests_total{service="",code="4xx"} 1');
  });

  it('shows held requests beside their cap, transitions by cause and the process figures', () => {
    const metrics = new ProxyMetrics();
    metrics.transition({ service: 'api', from: 'RUNNING', to: 'SLEEPING', cause: 'idle', at: 1 });
    const text = render(metrics);
    expect(text).toContain('wake_proxy_held_requests{service="api"} 4');
    expect(text).toContain('wake_proxy_max_held_requests{service="api"} 1000');
    expect(text).toContain('wake_proxy_transitions_total{service="api",from="RUNNING",to="SLEEPING",cause="idle"} 1');
    expect(text).toMatch(/^process_resident_memory_bytes \d+$/m);
  });

  it('exports the resource figures labelled by state, and the priority for alert joins', () => {
    const text = render(new ProxyMetrics());
    expect(text).toContain('wake_proxy_container_memory_bytes{service="api",state="RUNNING"} 64');
    expect(text).toContain('wake_proxy_container_memory_limit_bytes{service="api"} 128');
    expect(text).toContain('wake_proxy_container_cpu_cores{service="api"} 0.25');
    expect(text).toContain('wake_proxy_service_info{service="api",priority="normal",mode="pause"} 1');
  });

  it.each([
    [200, '2xx'],
    [302, '3xx'],
    [404, '4xx'],
    [499, '499'],
    [503, '5xx'],
  ])('puts status %i in class %s', (status, cls) => {
    expect(statusClass(status)).toBe(cls);
  });
});
