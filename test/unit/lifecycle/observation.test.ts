import { describe, expect, it } from 'vitest';
import { decideObservation, type Observation } from '../../../src/lifecycle/observation.ts';
import type { ServiceState } from '../../../src/lifecycle/service-handle.ts';
import type { Transition } from '../../../src/lifecycle/service-state.ts';
import type { ContainerEvent, ContainerRunState } from '../../../src/providers/container-provider.ts';

function event(action: ContainerEvent['action'], exitCode: number | null = null): Observation {
  return { action, id: 'id1', name: 'api', composeService: null, exitCode, time: 0 };
}

function status(state: ContainerRunState, exitCode: number | null = null): Observation {
  return { id: 'id1', name: 'api', state, health: 'none', exitCode, oomKilled: false, startedAt: null, upstream: null };
}

describe('decideObservation', () => {
  it.each<[string, ServiceState, Transition | null, Observation, unknown]>([
    ['an external pause', 'RUNNING', null, event('pause'), { kind: 'change', to: 'SLEEPING' }],
    ['an external start', 'STOPPED', null, event('start'), { kind: 'change', to: 'RUNNING' }],
    ['an external unpause', 'SLEEPING', null, event('unpause'), { kind: 'change', to: 'RUNNING' }],
    ['a crash', 'RUNNING', null, event('die', 1), { kind: 'change', to: 'STOPPED' }],
    ['a late echo of our own pause', 'SLEEPING', null, event('pause'), { kind: 'same' }],
    ['our own pause in flight', 'RUNNING', 'sleeping', event('pause'), { kind: 'ignore' }],
    ['our own stop in flight', 'SLEEPING', 'stopping', event('die', 0), { kind: 'ignore' }],
    ['our own start during a wake', 'STOPPED', 'waking', event('start'), { kind: 'ignore' }],
    ['a die during a wake', 'RUNNING', 'waking', event('die', 3), { kind: 'wake-died', exitCode: 3 }],
    ['a destroy during a wake', 'RUNNING', 'waking', event('destroy'), { kind: 'wake-died', exitCode: null }],
    ['an exited inspect during a wake', 'RUNNING', 'waking', status('exited', 2), { kind: 'wake-died', exitCode: 2 }],
    ['a health event', 'RUNNING', null, event('health_status'), { kind: 'ignore' }],
    ['an inspect that agrees', 'RUNNING', null, status('running'), { kind: 'same' }],
    ['an inspect that finds it paused', 'STOPPED', null, status('paused'), { kind: 'change', to: 'SLEEPING' }],
    ['an inspect that finds it missing', 'RUNNING', null, status('missing'), { kind: 'change', to: 'STOPPED' }],
  ])('reads %s', (_label, state, transition, observation, outcome) => {
    expect(decideObservation({ state, transition }, observation)).toEqual(outcome);
  });
});
