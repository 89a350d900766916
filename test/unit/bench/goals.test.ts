import { describe, expect, it } from 'vitest';
import { evaluateGoals, type GoalRow } from '../../../bench/goals.ts';
import type { BenchResults } from '../../../bench/results.ts';

const MEETS_EVERY_GOAL: BenchResults = {
  wake_paused_p50_ms: 16,
  wake_paused_p99_ms: 30,
  wake_paused_floor_p50_ms: 14,
  wake_paused_ratio: 1.14,
  cold_start_floor_p50_ms: 250,
  cold_start_p50_ms: 270,
  cold_start_added_p50_ms: 20,
  burst_requests: 1000,
  burst_provider_calls: 1,
  burst_failures: 0,
  proxy_rps: 9000,
  nginx_rps: 12000,
  proxy_to_nginx_rps_ratio: 0.75,
  added_p50_ms: 0.2,
  added_p99_ms: 1.1,
  rss_500_services_mb: 80,
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
    expect(withGoals).toHaveLength(8);
    expect(withGoals.every((r) => r.met === true)).toBe(true);
  });

  it.each([
    { key: 'wake_paused_ratio', value: 1.31, goal: 'p50 ≤ 1.3x floor' },
    { key: 'wake_paused_p99_ms', value: 50, goal: 'p99 < 50 ms' },
    { key: 'cold_start_added_p50_ms', value: 30.5, goal: 'p50 ≤ floor + 30 ms' },
    { key: 'burst_provider_calls', value: 2, goal: '1 call, 0 failures' },
    { key: 'burst_failures', value: 1, goal: '1 call, 0 failures' },
    { key: 'proxy_to_nginx_rps_ratio', value: 0.49, goal: '≥ 0.5x nginx' },
    { key: 'added_p50_ms', value: 0.5, goal: '< 0.5 ms' },
    { key: 'added_p99_ms', value: 2, goal: '< 2 ms' },
    { key: 'rss_500_services_mb', value: 100, goal: '< 100 MB' },
  ])('marks "$goal" missed when $key is $value', ({ key, value, goal }) => {
    const rows = evaluateGoals({ ...MEETS_EVERY_GOAL, [key]: value });
    expect(rowWithGoal(rows, goal).met).toBe(false);
  });

  it('leaves the nginx goal undecided when nginx was not available', () => {
    const rows = evaluateGoals({ ...MEETS_EVERY_GOAL, nginx_rps: null, proxy_to_nginx_rps_ratio: null });
    const row = rowWithGoal(rows, '≥ 0.5x nginx');
    expect(row.met).toBeNull();
    expect(row.reference).toContain('nginx not available');
  });

  it('shows a missing figure as n/a rather than a number', () => {
    const rows = evaluateGoals({});
    expect(rowWithGoal(rows, '< 100 MB')).toMatchObject({ value: 'n/a', met: null });
  });
});
