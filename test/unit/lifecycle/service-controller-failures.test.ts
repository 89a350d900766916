import { describe, expect, it } from 'vitest';
import { ContainerNotFoundError, ProviderOperationError, ProviderUnavailableError, WakeFailedError, WakeTimeoutError } from '../../../src/errors.ts';
import { WATCH_INTERVAL_MS } from '../../../src/lifecycle/wake-run.ts';
import { createWorld, linesWith } from './lifecycle-fixtures.ts';

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (err: unknown) => err,
  );
}

describe('ServiceController wake failures', () => {
  it('fails held requests at once with the exit code when the container dies during the wake', async () => {
    const world = createWorld({ api: {} }, { notReady: ['api'] });
    await world.reconcile();
    const api = world.service('api');
    const waiting = rejection(api.ensureAwake('request'));
    await world.clock.advanceAsync(10);
    world.provider.crash('api', 3);
    const err = (await waiting) as WakeFailedError;
    expect(err).toBeInstanceOf(WakeFailedError);
    expect(err.message).toBe('service "api" failed to wake: container exited (code 3)');
    expect(err.details).toMatchObject({ step: 'ready', exitCode: 3, waitedMs: 10 });
    expect(api.state()).toBe('STOPPED');
  });

  it('notices a crash whose event was missed by inspecting while probing, and names an OOM kill', async () => {
    const world = createWorld({ api: {} }, { notReady: ['api'] });
    await world.reconcile();
    const waiting = rejection(world.service('api').ensureAwake('request'));
    await world.clock.advanceAsync(10);
    world.provider.crash('api', 137, { oomKilled: true, silent: true });
    await world.clock.advanceAsync(WATCH_INTERVAL_MS);
    const err = (await waiting) as WakeFailedError;
    expect(err).toBeInstanceOf(WakeFailedError);
    expect(err.message).toContain('exited (code 137, OOM killed)');
    expect(err.details.exitCode).toBe(137);
  });

  it('fails fast when the container exits right after start', async () => {
    const world = createWorld({ api: {} });
    await world.reconcile();
    const stop = world.provider.subscribe((e) => {
      if (e.action === 'start') world.provider.set('api', { state: 'exited', exitCode: 1, ip: null });
    });
    const err = (await rejection(world.service('api').ensureAwake('request'))) as WakeFailedError;
    stop();
    expect(err).toBeInstanceOf(WakeFailedError);
    expect(err.details).toMatchObject({ step: 'running', exitCode: 1 });
  });

  it('gives up at the deadline with WakeTimeoutError naming the step and the last probe', async () => {
    const world = createWorld({ api: { health_check: { timeout: '100ms' } } }, { notReady: ['api'] });
    await world.reconcile();
    world.probe('api').detail = 'HTTP 503';
    const waiting = rejection(world.service('api').ensureAwake('request'));
    await world.clock.advanceAsync(100);
    const err = (await waiting) as WakeTimeoutError;
    expect(err).toBeInstanceOf(WakeTimeoutError);
    expect(err.details).toMatchObject({ service: 'api', step: 'ready', waitedMs: 100, lastProbe: 'HTTP 503', containerState: 'running' });
    expect(world.service('api').snapshot()).toMatchObject({ state: 'RUNNING', ready: false, wakeFailures: 1 });
  });

  it('times out in the provider step when the provider call hangs', async () => {
    const world = createWorld({ api: { health_check: { timeout: '2s' } } });
    await world.reconcile();
    world.provider.gate('start', 'api');
    const waiting = rejection(world.service('api').ensureAwake('request'));
    await world.clock.advanceAsync(2000);
    const err = (await waiting) as WakeTimeoutError;
    expect(err).toBeInstanceOf(WakeTimeoutError);
    expect(err.details.step).toBe('provider');
  });

  it('tries again on the next request after a failed wake, probing without a new start', async () => {
    const world = createWorld({ api: { health_check: { timeout: '100ms' } } }, { notReady: ['api'] });
    await world.reconcile();
    const api = world.service('api');
    const first = rejection(api.ensureAwake('request'));
    await world.clock.advanceAsync(100);
    await first;
    world.probe('api').ready = true;
    await expect(api.ensureAwake('request')).resolves.toMatchObject({ upstream: { port: 8080 } });
    expect(world.provider.calls('start', 'api')).toBe(1);
    // The first attempt started the container: the second only confirms its readiness.
    expect(api.snapshot()).toMatchObject({ wakeCount: 0, wakeFailures: 1, ready: true });
    expect(linesWith(world.lines(), 'service readiness confirmed')).toHaveLength(1);
  });

  it('logs one warn line for a failed wake with its step, timings and error', async () => {
    const world = createWorld({ api: {} });
    await world.reconcile();
    world.provider.failNext('start', 'api', new ProviderOperationError('start', 'api', 'port is already allocated'));
    const err = (await rejection(world.service('api').ensureAwake('request'))) as WakeFailedError;
    expect(err.details.step).toBe('provider');
    const lines = linesWith(world.lines(), 'wake failed');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 40, service: 'api', from: 'STOPPED', cause: 'request', step: 'provider', held: 1 });
    expect(lines[0]).toMatchObject({ code: 'WP_WAKE_FAILED', reason: expect.stringContaining('port is already allocated') });
    expect(lines[0]).not.toHaveProperty('err');
    expect(world.service('api').state()).toBe('STOPPED');
  });

  it('fails with ContainerNotFoundError (WP_CONTAINER_NOT_FOUND) when the container does not exist', async () => {
    const world = createWorld({ api: {} });
    world.provider.remove('api');
    await world.reconcile();
    const err = (await rejection(world.service('api').ensureAwake('request'))) as ContainerNotFoundError;
    expect(err).toBeInstanceOf(ContainerNotFoundError);
    expect(err.code).toBe('WP_CONTAINER_NOT_FOUND');
  });

  it('passes an unreachable runtime through as ProviderUnavailableError', async () => {
    const world = createWorld({ api: {} });
    await world.reconcile();
    world.provider.failNext('inspect', 'api', new ProviderUnavailableError('unix:///var/run/docker.sock'));
    await expect(world.service('api').ensureAwake('request')).rejects.toBeInstanceOf(ProviderUnavailableError);
  });
});
