import { describe, expect, it } from 'vitest';
import { chooseTask, hasLiveTasks, toServiceFacts, toSwarmStatus, toTaskFacts, type SwarmTaskFacts } from '../../../../src/providers/swarm/swarm-status.ts';
import { gwbridgeAddress, taskUpstream } from '../../../../src/providers/swarm/task-upstream.ts';
import { toSwarmHint } from '../../../../src/providers/swarm/swarm-events.ts';
import type { InspectData } from '../../../../src/providers/docker/inspect-data.ts';

const UPDATED = Date.parse('2026-12-01T10:00:00Z');
const service = { id: 'svc-id', name: 'api', replicas: 2, updatedAt: UPDATED };

function task(overrides: Partial<SwarmTaskFacts>): SwarmTaskFacts {
  return { id: 't', slot: 1, state: 'running', desiredState: 'running', containerId: 'c1', exitCode: null, createdAt: UPDATED + 1, ...overrides };
}

const chosen = { health: 'none', startedAt: 5, upstream: { host: '172.17.0.9', port: 8080 } } as const;

describe('toServiceFacts and toTaskFacts', () => {
  it('read a replicated service and a running task from the Engine API answers', () => {
    expect(
      toServiceFacts({ ID: 'x', UpdatedAt: '2026-12-01T10:00:00Z', Spec: { Name: 'api', Mode: { Replicated: { Replicas: 3 } } } }),
    ).toEqual({ id: 'x', name: 'api', replicas: 3, updatedAt: UPDATED });
    expect(toServiceFacts({ ID: 'g', Spec: { Name: 'agent', Mode: { Global: {} } } }).replicas).toBeNull();
    expect(
      toTaskFacts({
        ID: 't1',
        Slot: 2,
        DesiredState: 'running',
        CreatedAt: '2026-12-01T10:00:00Z',
        Status: { State: 'running', ContainerStatus: { ContainerID: 'abc', ExitCode: 0 } },
      }),
    ).toEqual({ id: 't1', slot: 2, state: 'running', desiredState: 'running', containerId: 'abc', exitCode: 0, createdAt: UPDATED });
  });
});

describe('toSwarmStatus', () => {
  it.each([
    ['0 desired replicas is exited (STOPPED), even with a task still stopping', { ...service, replicas: 0 }, [task({ desiredState: 'shutdown' })], 'exited'],
    ['all desired tasks running is running', service, [task({ slot: 1 }), task({ slot: 2, containerId: 'c2' })], 'running'],
    ['some running is restarting (RUNNING, not yet all up)', service, [task({ slot: 1 }), task({ slot: 2, state: 'starting' })], 'restarting'],
    ['none running yet is created (not dead: a wake waits)', service, [task({ state: 'pending' }), task({ state: 'assigned' })], 'created'],
    ['a task that failed since the scale is exited', service, [task({ state: 'failed', exitCode: 3, createdAt: UPDATED + 5 }), task({ state: 'shutdown', createdAt: UPDATED + 2 })], 'exited'],
    ['a failure with its replacement queued is still exited', service, [task({ state: 'failed', createdAt: UPDATED + 5 }), task({ state: 'ready', createdAt: UPDATED + 6 })], 'exited'],
    ['a failure from before the last scale does not count', service, [task({ state: 'failed', createdAt: UPDATED - 1000 })], 'created'],
  ] as const)('%s', (_name, facts, tasks, state) => {
    expect(toSwarmStatus(facts, tasks, chosen).state).toBe(state);
  });

  it('reports the failed task exit code and no address when no task runs', () => {
    const status = toSwarmStatus(service, [task({ state: 'rejected', exitCode: 127, createdAt: UPDATED + 9 })], null);
    expect(status).toMatchObject({ id: 'svc-id', name: 'api', state: 'exited', exitCode: 127, upstream: null });
  });

  it('takes address, health and start time from the chosen task when running', () => {
    const status = toSwarmStatus(service, [task({ slot: 1 }), task({ slot: 2 })], chosen);
    expect(status).toMatchObject({ state: 'running', upstream: chosen.upstream, startedAt: 5, exitCode: null });
  });
});

describe('chooseTask and hasLiveTasks', () => {
  it('choose the running task with the lowest slot, never one that is stopping', () => {
    const tasks = [task({ id: 'b', slot: 2 }), task({ id: 'a', slot: 1, desiredState: 'shutdown' }), task({ id: 'c', slot: 3 })];
    expect(chooseTask(tasks)?.id).toBe('b');
    expect(chooseTask([task({ state: 'starting' })])).toBeNull();
  });

  it('see a task as live until it is complete, shut down, failed or rejected', () => {
    expect(hasLiveTasks([task({ state: 'shutdown' }), task({ state: 'complete' }), task({ state: 'failed' })])).toBe(false);
    expect(hasLiveTasks([task({ state: 'shutdown' }), task({ state: 'running', desiredState: 'shutdown' })])).toBe(true);
  });
});

describe('taskUpstream', () => {
  const data = (networks: Record<string, string>): InspectData => ({
    Id: 'c1',
    Name: '/api.1.x',
    State: { Status: 'running' },
    NetworkSettings: { Networks: Object.fromEntries(Object.entries(networks).map(([k, ip]) => [k, { IPAddress: ip }])) },
  });

  it('prefers a network the proxy shares, then the default bridge, then docker_gwbridge; never an overlay IP', () => {
    expect(taskUpstream(data({ bridge: '172.17.0.4', shared: '10.0.1.5' }), 8080, ['shared'], '172.18.0.3')).toEqual({ host: '10.0.1.5', port: 8080 });
    expect(taskUpstream(data({ bridge: '172.17.0.4' }), 8080, [], '172.18.0.3')).toEqual({ host: '172.17.0.4', port: 8080 });
    expect(taskUpstream(data({ overlay: '10.0.1.5' }), 8080, [], '172.18.0.3')).toEqual({ host: '172.18.0.3', port: 8080 });
    expect(taskUpstream(data({ overlay: '10.0.1.5' }), 8080, [], null)).toBeNull();
    expect(taskUpstream(data({ bridge: '172.17.0.4' }), null, [], null)).toBeNull();
  });

  it('reads a container address on docker_gwbridge from the network inspect', () => {
    const network = { Containers: { c1: { Name: 'gateway_x', IPv4Address: '172.18.0.3/16' } } };
    expect(gwbridgeAddress(network, 'c1')).toBe('172.18.0.3');
    expect(gwbridgeAddress(network, 'c2')).toBeNull();
    expect(gwbridgeAddress({}, 'c1')).toBeNull();
  });
});

describe('toSwarmHint', () => {
  const base = { id: 'c1', name: 'api.1.x', composeService: null, exitCode: 1, time: 7 } as const;

  it('turns a task container start or end into a start or stop hint named after its service, with no id', () => {
    expect(toSwarmHint({ ...base, action: 'start', swarmService: 'api' })).toEqual({
      action: 'start',
      id: '',
      name: 'api',
      composeService: null,
      swarmService: 'api',
      exitCode: null,
      time: 7,
    });
    expect(toSwarmHint({ ...base, action: 'die', swarmService: 'api' })?.action).toBe('stop');
    expect(toSwarmHint({ ...base, action: 'destroy', swarmService: 'api' })?.action).toBe('stop');
  });

  it('says nothing for other containers and other actions', () => {
    expect(toSwarmHint({ ...base, action: 'start', swarmService: null })).toBeNull();
    expect(toSwarmHint({ ...base, action: 'start' })).toBeNull();
    expect(toSwarmHint({ ...base, action: 'health_status', swarmService: 'api' })).toBeNull();
  });
});
