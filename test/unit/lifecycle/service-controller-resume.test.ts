import { describe, expect, it } from 'vitest';
import { createWorld } from './lifecycle-fixtures.ts';

describe('ServiceController resuming a container it paused', () => {
  it('wakes a service it paused while ready with one unpause and no inspect or probe', async () => {
    const world = createWorld({ api: {} }, { states: { api: 'running' } });
    await world.reconcile();
    const api = world.service('api');
    await api.ensureAwake('request');
    await api.sleep('idle');
    const probesBefore = world.probe('api').checked.length;
    const inspectsBefore = world.provider.calls('inspect', 'api');
    const { upstream } = await api.ensureAwake('request');
    expect(upstream).not.toBeNull();
    expect(api.readyUpstream()).toEqual(upstream);
    expect(world.provider.calls('unpause', 'api')).toBe(1);
    expect(world.provider.calls('inspect', 'api')).toBe(inspectsBefore);
    expect(world.probe('api').checked.length).toBe(probesBefore);
  });

  it('probes again when the container was paused by hand', async () => {
    const world = createWorld({ api: {} }, { states: { api: 'running' } });
    await world.reconcile();
    const api = world.service('api');
    await api.ensureAwake('request');
    world.provider.byHand('api', 'pause');
    api.observe({ action: 'pause', id: world.provider.get('api').id, name: 'api', composeService: null, exitCode: null, time: 0 });
    expect(api.state()).toBe('SLEEPING');
    const probesBefore = world.probe('api').checked.length;
    await api.ensureAwake('request');
    expect(world.probe('api').checked.length).toBeGreaterThan(probesBefore);
  });

  it('probes a service found paused at start-up, whose readiness it never saw', async () => {
    const world = createWorld({ api: {} }, { states: { api: 'paused' } });
    await world.reconcile();
    await world.service('api').ensureAwake('request');
    expect(world.probe('api').checked.length).toBeGreaterThan(0);
  });

  it('probes after a pause that failed and left the service running', async () => {
    const world = createWorld({ api: {} }, { states: { api: 'running' } });
    await world.reconcile();
    const api = world.service('api');
    await api.ensureAwake('request');
    world.provider.failNext('pause', 'api', new Error('cgroup busy'));
    await expect(api.sleep('idle')).rejects.toThrow('cgroup busy');
    world.provider.byHand('api', 'pause');
    api.observe({ action: 'pause', id: world.provider.get('api').id, name: 'api', composeService: null, exitCode: null, time: 0 });
    const probesBefore = world.probe('api').checked.length;
    await api.ensureAwake('request');
    expect(world.probe('api').checked.length).toBeGreaterThan(probesBefore);
  });
});
