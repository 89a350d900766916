import { describe, expect, it } from 'vitest';
import { ServiceCounters } from '../../../src/lifecycle/service-counters.ts';
import { serviceSnapshotOf, type ServiceSnapshotParts } from '../../../src/lifecycle/service-snapshot-of.ts';
import { serviceConfigs } from './lifecycle-fixtures.ts';

const policy = serviceConfigs({ api: { sleep_policy: { idle_timeout: '60s' } } })[0]!.sleepPolicy;

function parts(overrides: Partial<ServiceSnapshotParts> = {}): ServiceSnapshotParts {
  return {
    name: 'api',
    state: 'RUNNING',
    transition: null,
    ready: true,
    upstream: { host: '10.0.0.2', port: 8080 },
    activity: { inFlight: 0, lastActivityAt: 1_000 },
    stateSince: 1_000,
    dependentsAwake: false,
    policy,
    counters: new ServiceCounters('RUNNING', 1_000),
    shared: null,
    instances: null,
    now: 11_000,
    ...overrides,
  };
}

describe('serviceSnapshotOf', () => {
  it('shows when the idle clock is due and how long the service has run', () => {
    const snapshot = serviceSnapshotOf(parts());
    expect(snapshot).toMatchObject({ name: 'api', state: 'RUNNING', ready: true, idleTimeoutMs: 60_000, nextSleepAt: 61_000, totalUptimeMs: 10_000 });
    expect(snapshot).not.toHaveProperty('instances');
  });

  it('schedules no sleep while a transition is in flight', () => {
    expect(serviceSnapshotOf(parts({ transition: 'sleeping' })).nextSleepAt).toBeNull();
  });

  it('shows the replicas’ shared counts when they are known, else its own', () => {
    const counters = new ServiceCounters('RUNNING', 1_000);
    counters.settled('SLEEPING');
    const shared = { wakeCount: 7, sleepCount: 5, stopCount: 1, lastWake: null };
    expect(serviceSnapshotOf(parts({ counters }))).toMatchObject({ wakeCount: 0, sleepCount: 1, stopCount: 0 });
    expect(serviceSnapshotOf(parts({ counters, shared }))).toMatchObject({ wakeCount: 7, sleepCount: 5, stopCount: 1 });
  });

  it('lists the instances of a service of several containers', () => {
    const instances = [{ container: 'api-1', primary: true, state: 'ready', upstream: null, inFlight: 0, breaker: 'closed' }] as const;
    expect(serviceSnapshotOf(parts({ instances })).instances).toEqual(instances);
  });
});
