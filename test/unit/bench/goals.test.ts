import { describe, expect, it } from 'vitest';
import { evaluateGoals, type GoalRow } from '../../../bench/goals.ts';
import type { BenchResults } from '../../../bench/results.ts';

const MEETS_EVERY_GOAL: BenchResults = {
  wake_paused_p50_ms: 16,
  wake_paused_p99_ms: 25,
  wake_paused_floor_p50_ms: 15,
  wake_paused_ratio: 1.07,
  cold_start_floor_p50_ms: 250,
  cold_start_p50_ms: 270,
  cold_start_added_p50_ms: 8,
  burst_requests: 1000,
  burst_provider_calls: 1,
  burst_failures: 0,
  burst_rss_kept_mb: 12,
  proxy_rps: 9000,
  nginx_rps: 12000,
  proxy_to_nginx_rps_ratio: 0.75,
  proxy_to_nginx_cpu_ratio: 1.9,
  proxy_to_bare_cpu_ratio: 1.05,
  proxy_to_bare_instructions_ratio: 1.02,
  steady_rss_kept_mb: 10,
  added_p50_ms: 0.12,
  added_p99_ms: 0.8,
  rss_idle_mb: 80,
  rss_500_services_mb: 95,
  scale_services: 500,
};

function rowWithGoal(rows: readonly GoalRow[], goal: string): GoalRow {
  const row = rows.find((r) => r.goal === goal);
  if (row === undefined) throw new Error(`no row with goal ${goal}`);
  return row;
}

describe('evaluateGoals', () => {
  it('marks every goal met when each figure is inside its promise', () => {
    const withGoals = evaluateGoals(MEETS_EVERY_GOAL).filter((r) => r.goal !== '');
    expect(withGoals).toHaveLength(13);
    expect(withGoals.every((r) => r.met === true)).toBe(true);
  });

  it.each([
    { key: 'wake_paused_ratio', value: 1.11, goal: 'p50 ≤ 1.1x floor' },
    { key: 'wake_paused_p99_ms', value: 30, goal: 'p99 < 30 ms' },
    { key: 'cold_start_added_p50_ms', value: 10.5, goal: 'p50 ≤ floor + 10 ms' },
    { key: 'burst_provider_calls', value: 2, goal: '1 call, 0 failures' },
    { key: 'burst_failures', value: 1, goal: '1 call, 0 failures' },
    { key: 'proxy_to_nginx_rps_ratio', value: 0.59, goal: '≥ 0.6x nginx' },
    { key: 'proxy_to_nginx_cpu_ratio', value: 2.01, goal: '≤ 2.0x nginx, ≤ 1.1x bare' },
    { key: 'proxy_to_bare_cpu_ratio', value: 1.11, goal: '≤ 2.0x nginx, ≤ 1.1x bare' },
    { key: 'proxy_to_bare_instructions_ratio', value: 1.101, goal: '≤ 1.1x bare' },
    { key: 'steady_rss_kept_mb', value: 20.1, goal: '≤ +20 MB after 10 s' },
    { key: 'burst_rss_kept_mb', value: 21, goal: '≤ idle + 20 MB after 10 s' },
    { key: 'added_p50_ms', value: 0.15, goal: '< 0.15 ms' },
    { key: 'added_p99_ms', value: 1, goal: '< 1 ms' },
    { key: 'rss_idle_mb', value: 85, goal: '< 85 MB' },
    { key: 'rss_500_services_mb', value: 100, goal: '< 100 MB' },
  ])('marks "$goal" missed when $key is $value', ({ key, value, goal }) => {
    const rows = evaluateGoals({ ...MEETS_EVERY_GOAL, [key]: value });
    expect(rowWithGoal(rows, goal).met).toBe(false);
  });

  it('leaves the nginx goal undecided when nginx was not available', () => {
    const rows = evaluateGoals({ ...MEETS_EVERY_GOAL, nginx_rps: null, proxy_to_nginx_rps_ratio: null });
    const row = rowWithGoal(rows, '≥ 0.6x nginx');
    expect(row.met).toBeNull();
    expect(row.reference).toContain('nginx not available');
  });

  it('writes a difference with its own sign, a negative one with a minus alone', () => {
    const rows = evaluateGoals({ ...MEETS_EVERY_GOAL, cold_start_added_p50_ms: -16.84, burst_rss_kept_mb: 14.3 });
    expect(rowWithGoal(rows, 'p50 ≤ floor + 10 ms')).toMatchObject({ ratio: 'n/a, -16.84 ms (p50)', met: true });
    expect(rowWithGoal(rows, '≤ idle + 20 MB after 10 s').ratio).toBe('+14.3 MB over idle');
  });

  it('shows a missing figure as n/a rather than a number', () => {
    const rows = evaluateGoals({});
    expect(rowWithGoal(rows, '< 100 MB')).toMatchObject({ value: 'n/a', met: null });
  });
});
