import { describe, expect, it } from 'vitest';
import { ProviderOperationError, ServiceBusyError } from '../../../src/errors.ts';
import { createWorld, linesWith } from './lifecycle-fixtures.ts';

describe('ServiceController sleep and stop', () => {
  it('pauses an idle RUNNING service (mode pause) and logs it', async () => {
    const world = createWorld({ api: {} }, { states: { api: 'running' } });
    await world.reconcile();
    const api = world.service('api');
    world.clock.advance(40);
    await api.sleep('idle');
    expect(api.state()).toBe('SLEEPING');
    expect(world.provider.get('api').state).toBe('paused');
    expect(linesWith(world.lines(), 'service slept')).toEqual([
      expect.objectContaining({ service: 'api', from: 'RUNNING', to: 'SLEEPING', cause: 'idle', durationMs: 0 }),
    ]);
  });

  it('stops an idle RUNNING service directly in mode stop', async () => {
    const world = createWorld({ api: { sleep_policy: { mode: 'stop' } } }, { states: { api: 'running' } });
    await world.reconcile();
    await world.service('api').sleep('idle');
    expect(world.service('api').state()).toBe('STOPPED');
    expect([world.provider.calls('pause'), world.provider.calls('stop')]).toEqual([0, 1]);
  });

  it('stops a service that has slept too long', async () => {
    const world = createWorld({ api: {} }, { states: { api: 'paused' } });
    await world.reconcile();
    await world.service('api').stop('max_sleep');
    expect(world.service('api').state()).toBe('STOPPED');
    expect(world.provider.get('api').state).toBe('exited');
  });

  it('does not sleep while work is in flight, nor when not RUNNING', async () => {
    const world = createWorld({ api: {}, off: {} }, { states: { api: 'running' } });
    await world.reconcile();
    const release = world.service('api').trackActivity();
    await world.service('api').sleep('idle');
    await world.service('off').sleep('idle');
    expect(world.provider.calls('pause')).toBe(0);
    release();
    expect(world.notified).toContain('api');
    await world.service('api').sleep('idle');
    expect(world.provider.calls('pause', 'api')).toBe(1);
  });

  it('holds a request that arrives during a pause, then wakes the service (no lost request)', async () => {
    const world = createWorld({ api: {} }, { states: { api: 'running' } });
    await world.reconcile();
    const api = world.service('api');
    const pause = world.provider.gate('pause', 'api');
    const sleeping = api.sleep('idle');
    await pause.entered;
    expect(api.transition()).toBe('sleeping');
    expect(api.readyUpstream()).toBeNull();
    const request = api.ensureAwake('request');
    pause.open();
    await sleeping;
    await expect(request).resolves.toMatchObject({ upstream: { port: 8080 } });
    expect([world.provider.calls('pause'), world.provider.calls('unpause')]).toEqual([1, 1]);
    expect(world.transitions.map((t) => `${t.from}->${t.to}:${t.cause}`)).toEqual([
      'STOPPED->RUNNING:startup',
      'RUNNING->SLEEPING:idle',
      'SLEEPING->RUNNING:request',
    ]);
  });

  it('does not take the events of its own pause for an external change', async () => {
    const world = createWorld({ api: {} }, { states: { api: 'running' } });
    await world.reconcile();
    await world.service('api').sleep('idle');
    world.provider.emit('api', 'pause');
    expect(linesWith(world.lines(), 'state changed externally')).toEqual([]);
    expect(world.transitions.filter((t) => t.cause === 'external')).toEqual([]);
  });

  it('leaves the observed state after a failed pause and rethrows for the caller to log', async () => {
    const world = createWorld({ api: {} }, { states: { api: 'running' } });
    await world.reconcile();
    world.provider.failNext('pause', 'api', new ProviderOperationError('pause', 'api', 'cgroup busy'));
    await expect(world.service('api').sleep('idle')).rejects.toThrow('cgroup busy');
    expect(world.service('api').snapshot()).toMatchObject({ state: 'RUNNING', transition: null, sleepCount: 0 });
  });

  it('lets the admin sleep and stop a service after any transition in flight', async () => {
    const world = createWorld({ api: {} }, { states: { api: 'paused' } });
    await world.reconcile();
    const api = world.service('api');
    const waking = api.wake('manual');
    await api.sleepNow('manual');
    await waking;
    expect(api.state()).toBe('SLEEPING');
    await api.stopNow('manual');
    expect(api.state()).toBe('STOPPED');
    expect(api.snapshot()).toMatchObject({ wakeCount: 1, sleepCount: 1, stopCount: 1 });
  });

  it('refuses an admin sleep or stop while work is in flight, so nothing in flight is frozen', async () => {
    const world = createWorld({ api: {} }, { states: { api: 'running' } });
    await world.reconcile();
    const api = world.service('api');
    const release = api.trackActivity();
    await expect(api.sleepNow('manual')).rejects.toBeInstanceOf(ServiceBusyError);
    await expect(api.stopNow('manual')).rejects.toThrow('1 requests or streams in flight');
    expect(world.provider.get('api').state).toBe('running');
    release();
    await api.sleepNow('manual');
    expect(api.state()).toBe('SLEEPING');
  });

  it('refuses an admin sleep of a dependency while a service that needs it is awake', async () => {
    const world = createWorld({ api: { depends_on: ['db'] }, db: {} }, { states: { api: 'running', db: 'running' } });
    await world.reconcile();
    await expect(world.service('db').sleepNow('manual')).rejects.toThrow('needed by api');
    expect(world.provider.get('db').state).toBe('running');
  });
});

describe('ServiceController external changes', () => {
  it('follows a container paused by hand, restarting the idle clock', async () => {
    const world = createWorld({ api: {} }, { states: { api: 'running' } });
    await world.reconcile();
    world.clock.advance(5000);
    world.notified.length = 0;
    world.provider.byHand('api', 'pause');
    const api = world.service('api');
    expect(api.state()).toBe('SLEEPING');
    expect(api.activity().lastActivityAt).toBe(world.clock.now());
    expect(world.notified).toContain('api');
    expect(world.transitions.at(-1)).toMatchObject({ from: 'RUNNING', to: 'SLEEPING', cause: 'external' });
    expect(linesWith(world.lines(), 'state changed externally')).toEqual([
      expect.objectContaining({ service: 'api', from: 'RUNNING', to: 'SLEEPING', cause: 'external' }),
    ]);
  });

  it('takes a container started by hand as RUNNING but not ready, and probes it without a provider call', async () => {
    const world = createWorld({ api: {} });
    await world.reconcile();
    world.provider.byHand('api', 'start');
    const api = world.service('api');
    expect(api.state()).toBe('RUNNING');
    expect(api.readyUpstream()).toBeNull();
    const woke = await api.ensureAwake('request');
    expect(woke.upstream?.host).toBe(world.provider.get('api').ip);
    expect([world.provider.calls('start'), world.provider.calls('unpause')]).toEqual([0, 0]);
  });

  it('follows a container that died by itself', async () => {
    const world = createWorld({ api: {} }, { states: { api: 'running' } });
    await world.reconcile();
    await world.service('api').ensureAwake('request');
    world.provider.crash('api', 2);
    expect(world.service('api').snapshot()).toMatchObject({ state: 'STOPPED', ready: false });
  });
});

describe('ServiceController metrics', () => {
  it('counts wakes, sleeps, stops, failures and uptime', async () => {
    const world = createWorld({ api: {} });
    await world.reconcile();
    const api = world.service('api');
    world.provider.delay('start', 'api', 300);
    const waking = api.ensureAwake('request');
    await world.clock.advanceAsync(300);
    await waking;
    world.clock.advance(1000);
    await api.sleep('idle');
    world.clock.advance(9000);
    await api.ensureAwake('request');
    world.clock.advance(500);
    expect(api.snapshot()).toMatchObject({
      name: 'api',
      state: 'RUNNING',
      transition: null,
      ready: true,
      inFlight: 0,
      wakeCount: 2,
      sleepCount: 1,
      stopCount: 0,
      wakeFailures: 0,
      totalUptimeMs: 1500,
      lastWake: { from: 'SLEEPING', cause: 'request', totalMs: 0 },
    });
  });

  it('knows when a dependent is awake or waking', async () => {
    const world = createWorld({ db: {}, api: { depends_on: ['db'] } });
    await world.reconcile();
    const gate = world.provider.gate('start', 'api');
    const waking = world.service('api').ensureAwake('request');
    await gate.entered;
    expect(world.service('db').dependentsAwake()).toBe(true);
    gate.open();
    await waking;
    await world.service('api').sleep('idle');
    expect(world.service('db').dependentsAwake()).toBe(false);
  });
});
