import { describe, expect, it } from 'vitest';
import type { ContainerRunState } from '../../../../src/providers/container-provider.ts';
import { planVerb, type DockerAction, type ProviderVerb } from '../../../../src/providers/docker/verb-plan.ts';

const table: ReadonlyArray<readonly [ProviderVerb, ContainerRunState, readonly DockerAction[]]> = [
  ['start', 'created', ['start']],
  ['start', 'exited', ['start']],
  ['start', 'running', []],
  ['start', 'paused', ['unpause']],
  ['start', 'restarting', []],
  ['start', 'dead', ['start']],
  ['unpause', 'paused', ['unpause']],
  ['unpause', 'running', []],
  ['unpause', 'exited', []],
  ['pause', 'running', ['pause']],
  ['pause', 'paused', []],
  ['pause', 'exited', []],
  ['pause', 'created', []],
  ['stop', 'running', ['stop']],
  ['stop', 'paused', ['unpause', 'stop']],
  ['stop', 'restarting', ['stop']],
  ['stop', 'exited', []],
  ['stop', 'created', []],
  ['stop', 'dead', []],
];

describe('planVerb', () => {
  it.each(table)('plans %s of a %s container as %o', (verb, state, expected) => {
    expect(planVerb(verb, state)).toEqual(expected);
  });
});
