/**
 * How a wake failure becomes the error held requests see.
 *
 * Policy: a timeout (the wake's deadline, or the readiness deadline) is WakeTimeoutError (504);
 * anything that will not get better by waiting (the container exited, a provider call was refused,
 * a dependency failed) is WakeFailedError (503), raised as soon as it is known. An unreachable
 * runtime, a container that does not exist (the service's or a dependency's: the error names it)
 * and a shutdown keep their own types. Every error names the step it was
 * stuck in, how long it waited, the container's state and the last probe result.
 */
import {
  ContainerNotFoundError,
  ImageNotFoundError,
  ProviderUnavailableError,
  ShuttingDownError,
  type WakeFailureDetails,
  WakeFailedError,
  WakeProxyError,
  WakeTimeoutError,
} from '../errors.ts';
import { ReadinessDeadlineError } from '../health/wait-until-ready.ts';
import type { ContainerStatus } from '../providers/container-provider.ts';
import type { WakeStep } from './wake-timeline.ts';

/** Abort reason: the wake's deadline (health_check.timeout) passed. */
export class WakeDeadlineReached extends Error {
  constructor() {
    super('wake deadline reached');
    this.name = 'WakeDeadlineReached';
  }
}

/** Abort reason: the container was seen exited, dead or gone while the wake was in progress. */
export class ContainerDied extends Error {
  readonly exitCode: number | null;
  readonly containerState: string;
  constructor(containerState: string, exitCode: number | null) {
    super(`container ${containerState}`);
    this.name = 'ContainerDied';
    this.exitCode = exitCode;
    this.containerState = containerState;
  }
}

/** A dependency's wake failed; `cause` is the dependency's error. */
export class DependencyFailed extends Error {
  readonly dependency: string;
  constructor(dependency: string, cause: unknown) {
    super(`dependency "${dependency}" failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'DependencyFailed';
    this.dependency = dependency;
  }
}

/** Docker's view of a container for errors and logs, e.g. `running`, `exited (code 137, OOM killed)`. */
export function describeContainer(status: Pick<ContainerStatus, 'state' | 'exitCode' | 'oomKilled'>): string {
  const facts = [
    ...(status.exitCode === null ? [] : [`code ${status.exitCode}`]),
    ...(status.oomKilled ? ['OOM killed'] : []),
  ];
  return facts.length > 0 ? `${status.state} (${facts.join(', ')})` : status.state;
}

/** True when a container in this state cannot become ready without another start. */
export function isDead(status: Pick<ContainerStatus, 'state'>): boolean {
  return status.state === 'exited' || status.state === 'dead' || status.state === 'missing' || status.state === 'removing';
}

/** What is known about a wake when it fails. */
export interface WakeFailureContext {
  readonly service: string;
  readonly step: WakeStep;
  readonly waitedMs: number;
  readonly containerState: string | null;
  readonly lastProbe: string | null;
  /** Readiness probes run before the wake gave up. */
  readonly probes?: number;
}

/** Turns whatever stopped a wake into the error every waiting caller receives. */
export function toWakeError(err: unknown, ctx: WakeFailureContext): Error {
  if (err instanceof ProviderUnavailableError || err instanceof ShuttingDownError || err instanceof ImageNotFoundError) return err;
  const details: WakeFailureDetails = {
    service: ctx.service,
    step: ctx.step,
    waitedMs: ctx.waitedMs,
    ...(ctx.containerState === null ? {} : { containerState: ctx.containerState }),
    ...(ctx.lastProbe === null ? {} : { lastProbe: ctx.lastProbe }),
    ...(ctx.probes === undefined ? {} : { probes: ctx.probes }),
  };
  if (err instanceof WakeDeadlineReached || err instanceof ReadinessDeadlineError) return new WakeTimeoutError(details);
  if (err instanceof ContainerDied) {
    const withExit = err.exitCode === null ? details : { ...details, exitCode: err.exitCode, containerState: err.containerState };
    return new WakeFailedError(withExit, err.message);
  }
  if (err instanceof DependencyFailed) {
    if (err.cause instanceof ProviderUnavailableError || err.cause instanceof ContainerNotFoundError) return err.cause;
    if (err.cause instanceof WakeTimeoutError) return new WakeTimeoutError({ ...details, step: 'dependency' });
    return new WakeFailedError({ ...details, step: 'dependency' }, err.message, { cause: err.cause });
  }
  if (err instanceof ContainerNotFoundError) return err;
  const reason = err instanceof WakeProxyError || err instanceof Error ? err.message : String(err);
  return new WakeFailedError(details, reason, { cause: err });
}
