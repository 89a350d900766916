import { describe, expect, it } from 'vitest';
import { ContainerNotFoundError, ProviderOperationError, WakeFailedError } from '../../../src/errors.ts';
import { createWorld, linesWith } from './lifecycle-fixtures.ts';

describe('ServiceController dependencies', () => {
  it('wakes dependencies to readiness before the dependent', async () => {
    const world = createWorld({ db: {}, api: { depends_on: ['db'] }, web: { depends_on: ['api'] } });
    await world.reconcile();
    await world.service('web').ensureAwake('request');
    expect(world.transitions.map((t) => `${t.service}:${t.to}:${t.cause}`)).toEqual([
      'db:RUNNING:dependency',
      'api:RUNNING:dependency',
      'web:RUNNING:request',
    ]);
    const woke = linesWith(world.lines(), 'service woke').map((l) => l['service']);
    expect(woke).toEqual(['db', 'api', 'web']);
  });

  it('wakes independent dependencies concurrently', async () => {
    const world = createWorld({ db: {}, cache: {}, api: { depends_on: ['db', 'cache'] } });
    await world.reconcile();
    const db = world.provider.gate('start', 'db');
    const cache = world.provider.gate('start', 'cache');
    const waking = world.service('api').ensureAwake('request');
    await Promise.all([db.entered, cache.entered]);
    expect(world.provider.calls('start', 'api')).toBe(0);
    db.open();
    cache.open();
    await waking;
    expect(world.provider.calls('start', 'api')).toBe(1);
  });

  it('shares the wake of a dependency with requests for it', async () => {
    const world = createWorld({ db: {}, api: { depends_on: ['db'] } });
    await world.reconcile();
    const gate = world.provider.gate('start', 'db');
    const viaApi = world.service('api').ensureAwake('request');
    const direct = world.service('db').ensureAwake('request');
    await gate.entered;
    gate.open();
    await Promise.all([viaApi, direct]);
    expect(world.provider.calls('start', 'db')).toBe(1);
  });

  it('fails the dependent at step dependency when a dependency fails, without starting it', async () => {
    const world = createWorld({ db: {}, api: { depends_on: ['db'] } });
    world.provider.failNext('start', 'db', new ProviderOperationError('start', 'db', 'port is already allocated'));
    await world.reconcile();
    const err = await world
      .service('api')
      .ensureAwake('request')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WakeFailedError);
    expect((err as WakeFailedError).details.step).toBe('dependency');
    expect((err as WakeFailedError).message).toContain('dependency "db" failed');
    expect(world.provider.calls('start', 'api')).toBe(0);
  });

  it('answers ContainerNotFoundError naming a dependency whose container does not exist', async () => {
    const world = createWorld({ db: {}, api: { depends_on: ['db'] } });
    world.provider.remove('db');
    await world.reconcile();
    const err = await world
      .service('api')
      .ensureAwake('request')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ContainerNotFoundError);
    expect((err as ContainerNotFoundError).code).toBe('WP_CONTAINER_NOT_FOUND');
    expect((err as ContainerNotFoundError).message).toContain('"db"');
    expect(world.provider.calls('start', 'api')).toBe(0);
    expect(world.service('api').state()).toBe('STOPPED');
  });

  it('holds a request to a ready service whose dependency was stopped by hand, restarting only the dependency', async () => {
    const world = createWorld({ db: {}, api: { depends_on: ['db'] } });
    await world.reconcile();
    const api = world.service('api');
    await api.ensureAwake('request');
    expect(api.readyUpstream()).not.toBeNull();
    const apiProbes = world.probe('api').checked.length;

    world.provider.byHand('db', 'stop');
    expect(world.service('db').state()).toBe('STOPPED');
    expect(api.readyUpstream()).toBeNull();
    expect(api.isReady()).toBe(true);

    const again = await api.ensureAwake('request');
    expect(again.waitedForWakeMs).not.toBeNull();
    expect(world.provider.calls('start', 'db')).toBe(2);
    expect(world.provider.calls('start', 'api')).toBe(1);
    expect(world.probe('api').checked.length).toBe(apiProbes);
    expect(api.readyUpstream()).not.toBeNull();
    expect(api.snapshot().wakeCount).toBe(1);
    expect(world.service('db').snapshot().wakeCount).toBe(2);
  });

  it('follows dependencies transitively: a stopped dependency of a dependency holds the request too', async () => {
    const world = createWorld({ db: {}, api: { depends_on: ['db'] }, web: { depends_on: ['api'] } });
    await world.reconcile();
    const web = world.service('web');
    await web.ensureAwake('request');
    world.provider.byHand('db', 'pause');
    expect(web.readyUpstream()).toBeNull();
    await web.ensureAwake('request');
    expect(world.service('db').state()).toBe('RUNNING');
    expect(web.readyUpstream()).not.toBeNull();
  });

  it('keeps the fast path of a dependent closed while its dependency is running but not yet ready', async () => {
    const world = createWorld({ db: {}, api: { depends_on: ['db'] } });
    await world.reconcile();
    await world.service('api').ensureAwake('request');
    world.provider.byHand('db', 'stop');
    world.provider.byHand('db', 'start');
    expect(world.service('db').state()).toBe('RUNNING');
    expect(world.service('api').readyUpstream()).toBeNull();
    await world.service('db').ensureAwake('external');
    expect(world.service('api').readyUpstream()).not.toBeNull();
    expect(linesWith(world.lines(), 'service readiness confirmed').map((l) => l['service'])).toEqual(['db']);
  });
});
