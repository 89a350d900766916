import { describe, expect, it } from 'vitest';
import { createWorld, serviceConfigs } from './lifecycle-fixtures.ts';

describe('ServiceRegistry.apply (a reload)', () => {
  it('keeps the state machine of a soft change and gives it the new policy', async () => {
    const world = createWorld({ api: { sleep_policy: { idle_timeout: '1m' } } }, { states: { api: 'running' } });
    await world.registry.reconcile();
    const before = world.service('api');
    const next = serviceConfigs({ api: { sleep_policy: { idle_timeout: '10m' } } });
    await world.registry.apply(next).inspect;
    expect(world.service('api')).toBe(before);
    expect(before.policy.idleTimeoutMs).toBe(600_000);
  });

  it('replaces the state machine when the container reference changes, and inspects the new one', async () => {
    const world = createWorld({ api: {} }, { states: { api: 'running' } });
    await world.registry.reconcile();
    const before = world.service('api');
    world.provider.add('api-v2', { state: 'paused' });
    await world.registry.apply(serviceConfigs({ api: { container: 'api-v2' } })).inspect;
    const after = world.service('api');
    expect(after).not.toBe(before);
    expect(after.config.container).toBe('api-v2');
    expect(after.state()).toBe('SLEEPING');
  });

  it('adds new services and drops removed ones without touching their containers', async () => {
    const world = createWorld({ api: {}, old: {} }, { states: { api: 'running', old: 'running' } });
    await world.registry.reconcile();
    world.provider.add('fresh', { state: 'exited' });
    await world.registry.apply(serviceConfigs({ api: {}, fresh: {} })).inspect;
    expect(world.registry.all().map((c) => c.name)).toEqual(['api', 'fresh']);
    expect(world.registry.get('old')).toBeUndefined();
    expect(world.provider.get('old').state).toBe('running');
    expect(world.provider.calls('stop', 'old') + world.provider.calls('pause', 'old')).toBe(0);
    expect(world.service('fresh').state()).toBe('STOPPED');
  });

  it('wires dependencies by the new configuration', async () => {
    const world = createWorld({ api: {}, db: {} }, { states: { api: 'running', db: 'running' } });
    await world.registry.reconcile();
    await world.registry.apply(serviceConfigs({ api: { depends_on: ['db'] }, db: {} })).inspect;
    expect(world.service('db').dependentsAwake()).toBe(true);
    expect(world.registry.dependencyLevels()).toEqual([['db'], ['api']]);
  });

  it('counts work still in flight on a replaced state machine, so the new one does not sleep under it', async () => {
    const world = createWorld({ api: {} }, { states: { api: 'running' } });
    await world.registry.reconcile();
    const release = world.service('api').trackActivity();
    await world.registry.apply(serviceConfigs({ api: { port: 9090 } })).inspect;
    const fresh = world.service('api');
    expect(fresh.activity().inFlight).toBe(1);
    await fresh.sleep('idle');
    expect(world.provider.calls('pause', 'api')).toBe(0);
    release();
    expect(fresh.activity().inFlight).toBe(0);
    await fresh.sleep('idle');
    expect(world.provider.calls('pause', 'api')).toBe(1);
  });

  it('holds requests to a ready dependent once its dependency is replaced by one not up yet, and confirms a running new one', async () => {
    const world = createWorld({ db: {}, api: { depends_on: ['db'] } }, { states: { db: 'running', api: 'running' } });
    await world.reconcile();
    expect(world.service('api').readyUpstream()).not.toBeNull();
    world.provider.add('db-v2', { state: 'exited' });
    await world.registry.apply(serviceConfigs({ db: { container: 'db-v2' }, api: { depends_on: ['db'] } })).inspect;
    expect(world.service('api').readyUpstream()).toBeNull();
    await world.service('api').ensureAwake('request');
    expect(world.provider.calls('start', 'db-v2')).toBe(1);
    expect(world.service('api').readyUpstream()).not.toBeNull();

    world.provider.add('db-v3', { state: 'running' });
    await world.registry.apply(serviceConfigs({ db: { container: 'db-v3' }, api: { depends_on: ['db'] } })).inspect;
    await world.registry.settled();
    expect(world.service('db').isReady()).toBe(true);
    expect(world.service('api').readyUpstream()).not.toBeNull();
  });
});
