import { describe, expect, it } from 'vitest';
import type { AdminServices } from '../../../src/admin/admin-target.ts';
import { ProviderUnavailableError } from '../../../src/errors.ts';
import { IdleScheduler } from '../../../src/idle/idle-scheduler.ts';
import type { ContainerEvent } from '../../../src/providers/container-provider.ts';
import { eventually } from '../../support/eventually.ts';
import { createWorld, linesWith } from './lifecycle-fixtures.ts';

function rawEvent(action: ContainerEvent['action'], fields: Partial<ContainerEvent>): ContainerEvent {
  return { action, id: '', name: '', composeService: null, exitCode: null, time: 0, ...fields };
}

describe('ServiceRegistry reconcile', () => {
  it('takes every service state from the runtime, and a missing container as STOPPED with a warning', async () => {
    const world = createWorld({ a: {}, b: {}, c: {}, gone: { container: 'ghost' } }, { states: { a: 'running', b: 'paused' } });
    world.provider.remove('ghost');
    await world.reconcile();
    expect(world.registry.all().map((s) => [s.name, s.state()])).toEqual([
      ['a', 'RUNNING'],
      ['b', 'SLEEPING'],
      ['c', 'STOPPED'],
      ['gone', 'STOPPED'],
    ]);
    expect(linesWith(world.lines(), 'container not found')).toEqual([
      expect.objectContaining({ level: 40, service: 'gone', container: 'ghost' }),
    ]);
    // a's readiness was confirmed in the background: no wake, and a's own log line.
    expect(world.registry.get('a')?.readyUpstream()).toEqual({ host: world.provider.get('a').ip, port: 8080 });
    expect(world.registry.get('a')?.snapshot()).toMatchObject({ wakeCount: 0, ready: true, probes: 1 });
    expect(linesWith(world.lines(), 'service readiness confirmed')).toEqual([expect.objectContaining({ service: 'a', from: 'RUNNING', cause: 'startup', probes: 1 })]);
    expect(linesWith(world.lines(), 'service woke')).toEqual([]);
  });

  it('wakes auto_start services in dependency order with cause startup', async () => {
    const world = createWorld({
      web: { auto_start: true, depends_on: ['api'] },
      api: { auto_start: true, depends_on: ['db'] },
      db: {},
      idle: {},
    });
    await world.reconcile();
    expect(world.transitions.map((t) => `${t.service}:${t.cause}`)).toEqual(['db:dependency', 'api:startup', 'web:startup']);
    expect(world.service('idle').state()).toBe('STOPPED');
  });

  it('does not fail start-up when an auto_start wake fails', async () => {
    const world = createWorld({ api: { auto_start: true } });
    world.provider.remove('api');
    await expect(world.registry.reconcile()).resolves.toBeUndefined();
    expect(linesWith(world.lines(), 'wake failed')).toHaveLength(1);
  });

  it('fails start-up when the runtime cannot be reached', async () => {
    const world = createWorld({ api: {} });
    world.provider.failNext('inspect', 'api', new ProviderUnavailableError('unix:///var/run/docker.sock'));
    await expect(world.registry.reconcile()).rejects.toBeInstanceOf(ProviderUnavailableError);
  });

  it('serves the admin API: every service with its snapshot', async () => {
    const world = createWorld({ a: {}, b: {} }, { states: { b: 'paused' } });
    await world.reconcile();
    const admin: AdminServices = world.registry;
    expect(admin.all().map((s) => s.snapshot().state)).toEqual(['STOPPED', 'SLEEPING']);
  });

  it('registers every service with the idle scheduler and notifies it for that service', async () => {
    const world = createWorld({ a: {}, b: {} }, { states: { a: 'running' } });
    expect(world.added).toEqual(['a', 'b']);
    await world.reconcile();
    expect(world.notified).toContain('a');
  });
});

describe('ServiceRegistry events', () => {
  it('routes events by container name and compose service label, and ends when aborted', async () => {
    const world = createWorld({ api: {}, web: { container: 'frontend' } }, { states: { api: 'running', web: 'running' }, syncEvents: false });
    await world.reconcile();
    const stop = new AbortController();
    const loop = world.registry.runEvents(stop.signal);
    // An event is a hint: the registry adopts what an inspect then shows.
    world.provider.set('api', { state: 'paused' });
    world.provider.set('frontend', { state: 'paused' });
    world.provider.push(rawEvent('pause', { name: 'api', id: 'unknown' }));
    world.provider.push(rawEvent('pause', { name: 'project-frontend-1', composeService: 'frontend' }));
    await eventually(() => expect(world.registry.all().map((s) => s.state())).toEqual(['SLEEPING', 'SLEEPING']));
    stop.abort();
    await expect(loop).resolves.toBeUndefined();
  });

  it('does not take the state of a same-named container it has not inspected (another compose project)', async () => {
    const world = createWorld({ api: {} }, { states: { api: 'running' }, syncEvents: false });
    await world.registry.reconcile();
    const stop = new AbortController();
    const loop = world.registry.runEvents(stop.signal);
    const inspectsBefore = world.provider.calls('inspect', 'api');
    world.provider.push(rawEvent('pause', { name: 'other-api-1', id: 'other-project-id', composeService: 'api' }));
    await eventually(() => expect(world.provider.calls('inspect', 'api')).toBeGreaterThan(inspectsBefore));
    expect(world.service('api').state()).toBe('RUNNING');
    stop.abort();
    await loop;
  });

  it('finds a recreated container again and follows it by its new id', async () => {
    const world = createWorld({ api: { container: 'proj-api-1' } }, { states: { api: 'running' }, syncEvents: false });
    await world.reconcile();
    const oldId = world.provider.get('proj-api-1').id;
    world.provider.remove('proj-api-1');
    const fresh = world.provider.add('proj-api-1', { state: 'running' });
    const stop = new AbortController();
    const loop = world.registry.runEvents(stop.signal);
    world.provider.push(rawEvent('destroy', { id: oldId }));
    world.provider.push(rawEvent('create', { name: 'proj-api-1', id: fresh.id }));
    await eventually(() => expect(world.service('api').state()).toBe('RUNNING'));
    await eventually(() => expect(world.service('api').snapshot().upstream?.host).toBe(fresh.ip));
    world.provider.set('proj-api-1', { state: 'paused' });
    world.provider.push(rawEvent('pause', { id: fresh.id, name: 'renamed' }));
    await eventually(() => expect(world.service('api').state()).toBe('SLEEPING'));
    stop.abort();
    await loop;
  });

  it('confirms a pause event by inspecting: a late echo of its own pause does not mark a running service asleep', async () => {
    const world = createWorld({ api: {} }, { states: { api: 'running' }, syncEvents: false });
    await world.registry.reconcile();
    const stop = new AbortController();
    const loop = world.registry.runEvents(stop.signal);
    const inspectsBefore = world.provider.calls('inspect');
    world.provider.push(rawEvent('pause', { name: 'api', id: 'unknown' }));
    await eventually(() => world.provider.calls('inspect') > inspectsBefore);
    stop.abort();
    await loop; // the loop waits for the inspects it started
    expect(world.service('api').state()).toBe('RUNNING');
  });

  it('inspects every service again when the event stream asks for a resync', async () => {
    const world = createWorld({ api: {}, db: {} }, { states: { api: 'running', db: 'running' } });
    await world.reconcile();
    world.provider.set('api', { state: 'exited', exitCode: 0 });
    world.provider.set('db', { state: 'paused' });
    const stop = new AbortController();
    const loop = world.registry.runEvents(stop.signal);
    world.provider.push({ action: 'resync', id: '', name: '', composeService: null, exitCode: null, time: 0 });
    await eventually(() => expect([world.service('api').state(), world.service('db').state()]).toEqual(['STOPPED', 'SLEEPING']));
    stop.abort();
    await loop;
  });

  it('never rejects when the events stream breaks, and logs it once', async () => {
    const world = createWorld({ api: {} }, { syncEvents: false });
    const loop = world.registry.runEvents(new AbortController().signal);
    world.provider.breakEvents(new Error('socket hang up'));
    await expect(loop).resolves.toBeUndefined();
    expect(linesWith(world.lines(), 'container events loop failed')).toEqual([
      expect.objectContaining({ level: 50, err: expect.objectContaining({ message: 'socket hang up' }) }),
    ]);
  });
});

describe('ServiceRegistry with the real idle scheduler', () => {
  it('pauses a service after its idle timeout, then stops it after max_sleep_time', async () => {
    const world = createWorld(
      { api: { sleep_policy: { idle_timeout: '10s', max_sleep_time: '60s' } } },
      { scheduler: (clock, logger) => new IdleScheduler({ clock, logger }) },
    );
    await world.reconcile();
    const api = world.service('api');
    const release = api.trackActivity();
    await api.ensureAwake('request');
    await world.clock.advanceAsync(30_000);
    expect(api.state()).toBe('RUNNING');
    release();
    await world.clock.advanceAsync(9_999);
    expect(api.state()).toBe('RUNNING');
    await world.clock.advanceAsync(1);
    expect(api.state()).toBe('SLEEPING');
    await world.clock.advanceAsync(60_000);
    expect(api.state()).toBe('STOPPED');
    expect(world.transitions.map((t) => `${t.to}:${t.cause}`)).toEqual(['RUNNING:request', 'SLEEPING:idle', 'STOPPED:max_sleep']);
  });

  it('confirms in the background the readiness of a container started by hand, without a wake', async () => {
    const world = createWorld({ api: {} }, { syncEvents: false });
    await world.reconcile();
    const stop = new AbortController();
    const loop = world.registry.runEvents(stop.signal);
    world.provider.byHand('api', 'start');
    await eventually(() => expect(world.service('api').readyUpstream()).not.toBeNull());
    expect(world.service('api').snapshot()).toMatchObject({ wakeCount: 0, ready: true });
    expect(linesWith(world.lines(), 'service readiness confirmed')).toEqual([expect.objectContaining({ service: 'api', cause: 'external' })]);
    stop.abort();
    await loop;
  });

  it('wakes again a container paused by hand while work is in flight for it', async () => {
    const world = createWorld({ api: {} }, { states: { api: 'running' }, syncEvents: false });
    await world.reconcile();
    const stop = new AbortController();
    const loop = world.registry.runEvents(stop.signal);
    const release = world.service('api').trackActivity();
    world.provider.byHand('api', 'pause');
    await eventually(() => expect(world.provider.calls('unpause', 'api')).toBe(1));
    await eventually(() => expect(world.service('api').state()).toBe('RUNNING'));
    expect(world.provider.get('api').state).toBe('running');
    release();
    world.provider.byHand('api', 'pause');
    await eventually(() => expect(world.service('api').state()).toBe('SLEEPING'));
    expect(world.provider.calls('unpause', 'api')).toBe(1);
    stop.abort();
    await loop;
  });

  it('never starts a container whose background readiness check finds it stopped by hand', async () => {
    const world = createWorld({ api: {} }, { states: { api: 'running' }, notReady: ['api'] });
    const scan = world.provider.gate('inspect', 'api');
    const check = world.provider.gate('inspect', 'api');
    const reconciling = world.registry.reconcile();
    await scan.entered;
    scan.open();
    await reconciling;
    await check.entered;
    world.provider.byHand('api', 'stop');
    check.open();
    await world.registry.settled();
    expect(world.provider.calls('start', 'api')).toBe(0);
    expect(world.service('api').state()).toBe('STOPPED');
    expect(linesWith(world.lines(), 'service readiness confirmed')).toEqual([]);
    expect(world.service('api').snapshot()).toMatchObject({ wakeCount: 0, wakeFailures: 0, ready: false });
  });

  it('sees a container paused by hand while its readiness is being checked (a check is not a transition)', async () => {
    const world = createWorld({ api: {} }, { states: { api: 'running' }, notReady: ['api'] });
    await world.registry.reconcile();
    await eventually(() => expect(world.probe('api').checked.length).toBeGreaterThan(0));
    expect(world.service('api').transition()).toBeNull();
    world.provider.byHand('api', 'pause');
    expect(world.service('api').state()).toBe('SLEEPING');
    await world.registry.settled();
    expect(world.service('api').isReady()).toBe(false);
    expect(linesWith(world.lines(), 'state changed externally')).toHaveLength(1);
  });
});
