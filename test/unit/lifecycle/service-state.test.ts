import { describe, expect, it } from 'vitest';
import { InvalidTransitionError } from '../../../src/errors.ts';
import type { ServiceState } from '../../../src/lifecycle/service-handle.ts';
import {
  SERVICE_STATES,
  assertTransition,
  isAllowedTransition,
  stateAfterEvent,
  toServiceState,
  transitionTowards,
} from '../../../src/lifecycle/service-state.ts';

describe('service-state transition table', () => {
  const table: [ServiceState, ServiceState, string | null][] = [
    ['STOPPED', 'RUNNING', 'start'],
    ['SLEEPING', 'RUNNING', 'unpause'],
    ['RUNNING', 'SLEEPING', 'pause'],
    ['RUNNING', 'STOPPED', 'stop'],
    ['SLEEPING', 'STOPPED', 'stop'],
    ['STOPPED', 'SLEEPING', null],
    ['RUNNING', 'RUNNING', null],
    ['SLEEPING', 'SLEEPING', null],
    ['STOPPED', 'STOPPED', null],
  ];

  it('covers every pair of states', () => {
    const pairs = new Set(table.map(([from, to]) => `${from}->${to}`));
    expect(pairs.size).toBe(SERVICE_STATES.length ** 2);
  });

  it.each(table)('%s -> %s is performed by %s', (from, to, verb) => {
    expect(isAllowedTransition(from, to)).toBe(verb !== null);
    if (verb === null) {
      expect(() => assertTransition('api', from, to)).toThrow(InvalidTransitionError);
      expect(() => assertTransition('api', from, to)).toThrow(`service "api": transition ${from} -> ${to} is not allowed`);
    } else {
      expect(assertTransition('api', from, to)).toBe(verb);
    }
  });

  it.each([
    ['RUNNING', 'waking'],
    ['SLEEPING', 'sleeping'],
    ['STOPPED', 'stopping'],
  ] as const)('names the transition towards %s %s', (to, transition) => {
    expect(transitionTowards(to)).toBe(transition);
  });
});

describe('toServiceState', () => {
  it.each([
    ['running', 'RUNNING'],
    ['restarting', 'RUNNING'],
    ['paused', 'SLEEPING'],
    ['created', 'STOPPED'],
    ['exited', 'STOPPED'],
    ['dead', 'STOPPED'],
    ['removing', 'STOPPED'],
    ['missing', 'STOPPED'],
  ] as const)('maps a %s container to %s', (container, state) => {
    expect(toServiceState(container)).toBe(state);
  });
});

describe('stateAfterEvent', () => {
  it.each([
    ['start', 'RUNNING'],
    ['unpause', 'RUNNING'],
    ['pause', 'SLEEPING'],
    ['die', 'STOPPED'],
    ['stop', 'STOPPED'],
    ['destroy', 'STOPPED'],
    ['create', 'STOPPED'],
    ['health_status', null],
  ] as const)('maps a %s event to %s', (action, state) => {
    expect(stateAfterEvent(action)).toBe(state);
  });
});
