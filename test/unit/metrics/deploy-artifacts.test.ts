/**
 * deploy/: the Grafana dashboard is valid JSON and, like the alert rules, queries only metrics
 * that /metrics exports (names read from a rendering with every family present).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ProxyMetrics } from '../../../src/metrics/proxy-metrics.ts';
import type { ServiceSnapshot } from '../../../src/metrics/service-snapshot.ts';

const ROOT = join(import.meta.dirname, '../../..');

function exportedNames(): Set<string> {
  const metrics = new ProxyMetrics();
  metrics.start();
  const fields = { from: 'SLEEPING', cause: 'request', held: 1, dependencyMs: 0, providerMs: 1, runningMs: 0, readyMs: 1, totalMs: 2, probes: 1 } as const;
  metrics.wake({ service: 'a', ok: true, fields, at: 1 });
  metrics.wake({ service: 'a', ok: false, fields, code: 'WP_WAKE_TIMEOUT', step: 'ready', at: 1 });
  metrics.response('a', 503, 'WP_HOLD_QUEUE_FULL');
  metrics.transition({ service: 'a', from: 'RUNNING', to: 'SLEEPING', cause: 'idle', at: 1 });
  const snapshot: ServiceSnapshot = {
    name: 'a', state: 'RUNNING', transition: null, ready: true, upstream: null, inFlight: 0, lastActivityAt: 1, stateSince: 1,
    wakeCount: 1, sleepCount: 0, stopCount: 0, wakeFailures: 0, probes: 0, flaps: 0, idleTimeoutMs: 300_000, nextSleepAt: null, totalUptimeMs: 1, lastWake: null,
  };
  const text = metrics.render({
    snapshots: () => [snapshot],
    heldCount: () => 0,
    maxHeld: () => 1,
    info: () => ({ priority: 'normal', mode: 'pause' }),
    resources: () => ({ memoryBytes: 1, memoryLimitBytes: 2, cpuSeconds: 1, cpuCores: 0.1, sampledAt: 1 }),
  });
  metrics.close();
  const names = new Set<string>();
  for (const [, name, type] of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    if (name === undefined) continue;
    names.add(name);
    if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${name}${suffix}`);
  }
  return names;
}

/** Metric names a PromQL expression reads: identifiers with our prefixes, not label names. */
function metricNames(expr: string): string[] {
  const withoutLabels = expr.replace(/\{[^}]*\}/g, '{}');
  return [...withoutLabels.matchAll(/\b((?:wake_proxy|process|nodejs)_[a-z0-9_]+)\b/g)].map((m) => m[1] ?? '');
}

const exported = exportedNames();

describe('deploy/grafana/wake-proxy.json', () => {
  const dashboard = JSON.parse(readFileSync(join(ROOT, 'deploy/grafana/wake-proxy.json'), 'utf8')) as {
    panels: { title: string; targets: { expr: string }[] }[];
  };
  const exprs = dashboard.panels.flatMap((p) => p.targets.map((t) => ({ panel: p.title, expr: t.expr })));

  it("has the seeds' panels", () => {
    const titles = dashboard.panels.map((p) => p.title).join(' | ');
    for (const wanted of [/state overview/i, /wake time percentiles/i, /requests/i, /errors/i, /memory by state/i, /cpu/i]) {
      expect(titles).toMatch(wanted);
    }
  });

  it('queries only exported metrics', () => {
    const unknown = exprs.flatMap(({ panel, expr }) => metricNames(expr).filter((n) => !exported.has(n)).map((n) => `${panel}: ${n}`));
    expect(exprs.length).toBeGreaterThan(10);
    expect(unknown).toEqual([]);
  });
});

describe('deploy/prometheus/alerts.yml', () => {
  const rules = (parse(readFileSync(join(ROOT, 'deploy/prometheus/alerts.yml'), 'utf8')) as {
    groups: { rules: { alert: string; expr: string }[] }[];
  }).groups.flatMap((g) => g.rules);

  it('queries only exported metrics', () => {
    const unknown = rules.flatMap((r) => metricNames(r.expr).filter((n) => !exported.has(n)).map((n) => `${r.alert}: ${n}`));
    expect(rules.length).toBeGreaterThanOrEqual(6);
    expect(unknown).toEqual([]);
  });
});
