import { describe, expect, it } from 'vitest';
import {
  ContainerNotFoundError,
  ProviderUnavailableError,
  WakeFailedError,
  WakeTimeoutError,
} from '../../../src/errors.ts';
import { ReadinessDeadlineError } from '../../../src/health/wait-until-ready.ts';
import {
  ContainerDied,
  DependencyFailed,
  WakeDeadlineReached,
  describeContainer,
  toWakeError,
  type WakeFailureContext,
} from '../../../src/lifecycle/wake-errors.ts';

const ctx: WakeFailureContext = { service: 'api', step: 'ready', waitedMs: 30_000, containerState: 'running', lastProbe: 'HTTP 503' };

describe('toWakeError', () => {
  it('turns the wake deadline into WakeTimeoutError that explains itself', () => {
    const err = toWakeError(new WakeDeadlineReached(), ctx);
    expect(err).toBeInstanceOf(WakeTimeoutError);
    expect(err.message).toBe('service "api" not ready after 30000 ms (stuck at: ready, last probe: HTTP 503)');
    expect((err as WakeTimeoutError).details).toEqual(ctx);
  });

  it('turns the readiness deadline into WakeTimeoutError', () => {
    expect(toWakeError(new ReadinessDeadlineError({ ready: false, detail: 'HTTP 503' }, 7), ctx)).toBeInstanceOf(WakeTimeoutError);
  });

  it('turns a dead container into WakeFailedError with its exit code', () => {
    const err = toWakeError(new ContainerDied('exited (code 137, OOM killed)', 137), ctx) as WakeFailedError;
    expect(err).toBeInstanceOf(WakeFailedError);
    expect(err.message).toBe('service "api" failed to wake: container exited (code 137, OOM killed)');
    expect(err.details).toMatchObject({ exitCode: 137, containerState: 'exited (code 137, OOM killed)', step: 'ready' });
  });

  it('fails the dependent at step dependency, keeping the kind of the dependency failure', () => {
    const failed = new WakeFailedError({ service: 'db', step: 'ready', waitedMs: 1 }, 'container exited (code 1)');
    const err = toWakeError(new DependencyFailed('db', failed), { ...ctx, step: 'dependency' }) as WakeFailedError;
    expect(err).toBeInstanceOf(WakeFailedError);
    expect(err.details.step).toBe('dependency');
    expect(err.message).toContain('dependency "db" failed: service "db" failed to wake');
    const timedOut = new WakeTimeoutError({ service: 'db', step: 'ready', waitedMs: 1 });
    expect(toWakeError(new DependencyFailed('db', timedOut), ctx)).toBeInstanceOf(WakeTimeoutError);
  });

  it('passes an unreachable runtime through, even from a dependency', () => {
    const down = new ProviderUnavailableError('unix:///var/run/docker.sock');
    expect(toWakeError(down, ctx)).toBe(down);
    expect(toWakeError(new DependencyFailed('db', down), ctx)).toBe(down);
  });

  it('keeps a missing container as ContainerNotFoundError, its own or a dependency\'s', () => {
    const notFound = new ContainerNotFoundError('api');
    expect(toWakeError(notFound, { ...ctx, step: 'provider' })).toBe(notFound);
    expect(toWakeError(new DependencyFailed('db', notFound), ctx)).toBe(notFound);
  });

  it('turns any other failure into WakeFailedError keeping the cause', () => {
    const other = new Error('boom');
    expect(toWakeError(other, ctx).cause).toBe(other);
  });
});

describe('describeContainer', () => {
  it.each([
    [{ state: 'running', exitCode: null, oomKilled: false }, 'running'],
    [{ state: 'exited', exitCode: 3, oomKilled: false }, 'exited (code 3)'],
    [{ state: 'exited', exitCode: 137, oomKilled: true }, 'exited (code 137, OOM killed)'],
  ] as const)('describes %o as %s', (status, text) => {
    expect(describeContainer(status)).toBe(text);
  });
});
