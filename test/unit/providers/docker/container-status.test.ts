import { describe, expect, it } from 'vitest';
import type { ContainerStatus } from '../../../../src/providers/container-provider.ts';
import { missingStatus, toContainerStatus, toRunState } from '../../../../src/providers/docker/container-status.ts';
import { inspectFixture } from './load-fixture.ts';

type Expected = Pick<ContainerStatus, 'state' | 'health' | 'exitCode' | 'oomKilled' | 'upstream'>;

const cases: ReadonlyArray<readonly [fixture: string, expected: Expected]> = [
  ['running', { state: 'running', health: 'none', exitCode: null, oomKilled: false, upstream: { host: '172.17.0.2', port: 8080 } }],
  ['paused', { state: 'paused', health: 'none', exitCode: null, oomKilled: false, upstream: { host: '172.17.0.3', port: 8080 } }],
  ['exited', { state: 'exited', health: 'none', exitCode: 3, oomKilled: false, upstream: null }],
  ['created', { state: 'created', health: 'none', exitCode: null, oomKilled: false, upstream: null }],
  ['healthy', { state: 'running', health: 'healthy', exitCode: null, oomKilled: false, upstream: { host: '172.17.0.7', port: 8080 } }],
  ['unhealthy', { state: 'running', health: 'unhealthy', exitCode: null, oomKilled: false, upstream: { host: '172.17.0.8', port: 8080 } }],
  ['starting', { state: 'running', health: 'starting', exitCode: null, oomKilled: false, upstream: { host: '172.17.0.9', port: 8080 } }],
  ['host', { state: 'running', health: 'none', exitCode: null, oomKilled: false, upstream: { host: '127.0.0.1', port: 8080 } }],
];

describe('toContainerStatus', () => {
  it.each(cases)('maps the recorded %s container', (fixture, expected) => {
    const status = toContainerStatus(inspectFixture(fixture), 8080, []);
    expect(status).toMatchObject(expected);
  });

  it('strips the leading slash from the name and keeps the full id', () => {
    const data = inspectFixture('running');
    const status = toContainerStatus(data, 8080, []);
    expect(status.name).toBe('rec-running');
    expect(status.id).toBe(data.Id);
    expect(status.id).toHaveLength(64);
  });

  it('reports the start time of a started container and null for one never started', () => {
    const running = inspectFixture('running');
    expect(toContainerStatus(running, 8080, []).startedAt).toBe(Date.parse(running.State.StartedAt ?? ''));
    expect(toContainerStatus(inspectFixture('created'), 8080, []).startedAt).toBeNull();
  });

  it('reports an OOM kill', () => {
    const data = inspectFixture('exited');
    const oom = { ...data, State: { ...data.State, OOMKilled: true, ExitCode: 137 } };
    expect(toContainerStatus(oom, 8080, [])).toMatchObject({ state: 'exited', exitCode: 137, oomKilled: true });
  });

  it('hides the exit code of a previous run while the container runs again', () => {
    const data = inspectFixture('running');
    const restarted = { ...data, State: { ...data.State, ExitCode: 3 } };
    expect(toContainerStatus(restarted, 8080, []).exitCode).toBeNull();
  });
});

describe('toRunState', () => {
  it.each([
    [{ Status: 'restarting' }, 'restarting'],
    [{ Status: 'removing' }, 'removing'],
    [{ Status: 'dead' }, 'dead'],
    [{ Status: 'Running' }, 'running'],
    [{ Status: 'unknown-future-state', Paused: true, Running: true }, 'paused'],
    [{ Status: 'unknown-future-state', Running: true }, 'running'],
    [{ Status: 'unknown-future-state' }, 'exited'],
  ] as const)('maps %o to %s', (state, expected) => {
    expect(toRunState(state)).toBe(expected);
  });
});

describe('missingStatus', () => {
  it('reports state missing with no id, address or exit code', () => {
    expect(missingStatus('api')).toEqual({
      id: '',
      name: 'api',
      state: 'missing',
      health: 'none',
      exitCode: null,
      oomKilled: false,
      startedAt: null,
      upstream: null,
    });
  });
});
