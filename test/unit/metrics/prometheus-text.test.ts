import { describe, expect, it } from 'vitest';
import { renderServiceFamilies } from '../../../src/metrics/prometheus-text.ts';
import type { ServiceSnapshot } from '../../../src/metrics/service-snapshot.ts';

const snapshot: ServiceSnapshot = {
  name: 'api',
  state: 'SLEEPING',
  transition: null,
  ready: false,
  upstream: null,
  inFlight: 0,
  lastActivityAt: 5_000,
  stateSince: 6_000,
  wakeCount: 3,
  sleepCount: 2,
  stopCount: 1,
  wakeFailures: 0,
  probes: 7,
  flaps: 0,
  idleTimeoutMs: 300_000,
  nextSleepAt: null,
  totalUptimeMs: 12_500,
  lastWake: { from: 'SLEEPING', cause: 'request', totalMs: 18, phases: { dependencyMs: 0, providerMs: 15, runningMs: 0, readyMs: 3 }, at: 4_000 },
};

describe('renderServiceFamilies', () => {
  const text = renderServiceFamilies([snapshot]);

  it('marks exactly the current state with 1', () => {
    expect(text).toContain('wake_proxy_service_state{service="api",state="SLEEPING"} 1');
    expect(text).toContain('wake_proxy_service_state{service="api",state="RUNNING"} 0');
    expect(text).toContain('wake_proxy_service_state{service="api",state="STOPPED"} 0');
  });

  it('reports counters and durations in base units', () => {
    expect(text).toContain('wake_proxy_wakes_total{service="api"} 3');
    expect(text).toContain('wake_proxy_uptime_seconds_total{service="api"} 12.5');
    expect(text).toContain('wake_proxy_last_wake_duration_seconds{service="api"} 0.018');
  });

  it('declares a TYPE for every family', () => {
    const families = new Set([...text.matchAll(/^(wake_proxy_\w+)\{/gm)].map((m) => m[1]));
    for (const name of families) expect(text).toContain(`# TYPE ${name} `);
  });

  it('escapes a service name with quotes, backslashes and line feeds instead of mangling it', () => {
    const odd = renderServiceFamilies([{ ...snapshot, name: 'a"b\\c\nd' }]);
    expect(odd).toContain('wake_proxy_wakes_total{service="a\\"b\\\\c\\nd"} 3');
  });
});
