import { describe, expect, it } from 'vitest';
import { renderSharedStateFamilies } from '../../../src/metrics/shared-state-metrics.ts';

describe('renderSharedStateFamilies', () => {
  it('says whether the shared state answers and counts its failed operations', () => {
    expect(renderSharedStateFamilies({ up: false, errors: 3 })).toBe(
      [
        '# HELP wake_proxy_shared_state_up 1 while the shared state (--state) answers; 0 while each replica decides alone.',
        '# TYPE wake_proxy_shared_state_up gauge',
        'wake_proxy_shared_state_up 0',
        '# HELP wake_proxy_shared_state_errors_total Shared-state operations that failed.',
        '# TYPE wake_proxy_shared_state_errors_total counter',
        'wake_proxy_shared_state_errors_total 3',
        '',
      ].join('\n'),
    );
    expect(renderSharedStateFamilies({ up: true, errors: 0 })).toContain('wake_proxy_shared_state_up 1\n');
  });
});
