import { describe, expect, it } from 'vitest';
import { sleepTargetOf } from '../../../src/lifecycle/settle-flight.ts';
import { serviceConfigs } from './lifecycle-fixtures.ts';

const policyOf = (mode: 'pause' | 'stop') => serviceConfigs({ api: { sleep_policy: { mode } } })[0]!.sleepPolicy;

describe('sleepTargetOf', () => {
  it.each([
    { mode: 'pause', specStale: false, to: 'SLEEPING' },
    { mode: 'stop', specStale: false, to: 'STOPPED' },
    { mode: 'pause', specStale: true, to: 'STOPPED' },
  ] as const)('sends a $mode sleep to $to when the spec is stale: $specStale', ({ mode, specStale, to }) => {
    expect(sleepTargetOf(policyOf(mode), specStale)).toBe(to);
  });
});
