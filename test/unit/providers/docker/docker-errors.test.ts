import { describe, expect, it } from 'vitest';
import { ContainerNotFoundError, ProviderOperationError, ProviderUnavailableError } from '../../../../src/errors.ts';
import {
  actDocker,
  dockerMessage,
  isAlreadyDone,
  toProviderError,
} from '../../../../src/providers/docker/docker-errors.ts';

const ID = 'ce10fb034c16b275795290e93ea2cfe2c8e7d2b038634254eb3f08a05d3efb96';
const context = { operation: 'pause', ref: 'api', endpoint: 'unix:///var/run/docker.sock' };

/** An error shaped the way docker-modem builds them (recorded from Docker 20.10). */
function httpError(statusCode: number, reason: string, message: string): Error {
  const err = new Error(`(HTTP code ${statusCode}) ${reason} - ${message} `);
  return Object.assign(err, { statusCode, reason, json: message === '' ? Buffer.alloc(0) : { message } });
}

function socketError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

const alreadyDone: ReadonlyArray<readonly [string, Error, boolean]> = [
  ['start of a running container (304)', httpError(304, 'container already started', ''), true],
  ['stop of a stopped container (304)', httpError(304, 'container already stopped', ''), true],
  ['pause of a paused container (409)', httpError(409, 'unexpected', `Container ${ID} is already paused`), true],
  ['unpause of a running container (500)', httpError(500, 'server error', `Container ${ID} is not paused`), true],
  ['pause of a stopped container (409)', httpError(409, 'unexpected', `Container ${ID} is not running`), true],
  ['start of a paused container (409)', httpError(409, 'unexpected', 'cannot start a paused container, try unpause instead'), false],
  ['stop of a paused container on old engines (409)', httpError(409, 'unexpected', `Container ${ID} is paused. Unpause the container before stopping`), false],
  ['a missing container (404)', httpError(404, 'no such container', 'No such container: api'), false],
  ['"not running" with another status (400)', httpError(400, 'bad parameter', `Container ${ID} is not running`), false],
  ['a socket error', socketError('ENOENT', 'connect ENOENT /nonexistent.sock'), false],
];

describe('isAlreadyDone', () => {
  it.each(alreadyDone)('answers for %s', (_name, err, expected) => {
    expect(isAlreadyDone(err)).toBe(expected);
  });
});

describe('toProviderError', () => {
  it('turns 404 into ContainerNotFoundError for the reference', () => {
    const mapped = toProviderError(httpError(404, 'no such container', 'No such container: api'), context);
    expect(mapped).toBeInstanceOf(ContainerNotFoundError);
    expect(mapped.message).toContain('"api"');
  });

  it.each(['ENOENT', 'ECONNREFUSED', 'EACCES', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH'])(
    'turns a %s socket error into ProviderUnavailableError naming the endpoint',
    (code) => {
      const cause = socketError(code, `connect ${code} /var/run/docker.sock`);
      const mapped = toProviderError(cause, context);
      expect(mapped).toBeInstanceOf(ProviderUnavailableError);
      expect(mapped.message).toContain('unix:///var/run/docker.sock');
      expect(mapped.cause).toBe(cause);
    },
  );

  it('turns any other refusal into ProviderOperationError with Docker message', () => {
    const cause = httpError(409, 'unexpected', `Container ${ID} is restarting, wait until the container is running`);
    const mapped = toProviderError(cause, context);
    expect(mapped).toBeInstanceOf(ProviderOperationError);
    expect(mapped.message).toBe(`docker pause of "api" failed: Container ${ID} is restarting, wait until the container is running`);
    expect(mapped.cause).toBe(cause);
  });

  it('passes an abort through untouched', () => {
    const abort = new DOMException('The operation was aborted', 'AbortError');
    expect(toProviderError(abort, context)).toBe(abort);
  });
});

describe('dockerMessage', () => {
  it.each([
    [httpError(500, 'server error', 'driver failed'), 'driver failed'],
    [Object.assign(new Error('(HTTP code 502) unexpected - bad gateway '), { statusCode: 502 }), 'bad gateway'],
    [new Error('plain failure'), 'plain failure'],
    ['a string', 'a string'],
  ] as const)('reads %o as %s', (err, expected) => {
    expect(dockerMessage(err)).toBe(expected);
  });
});

describe('actDocker', () => {
  it('resolves when Docker says the container is already in the wanted state', async () => {
    await expect(actDocker(context, () => Promise.reject(httpError(304, 'x', '')))).resolves.toBeUndefined();
  });

  it('rejects with the signal reason once the signal has aborted', async () => {
    const controller = new AbortController();
    const reason = new Error('caller gave up');
    controller.abort(reason);
    const call = (): Promise<never> => Promise.reject(new DOMException('aborted', 'AbortError'));
    await expect(actDocker(context, call, controller.signal)).rejects.toBe(reason);
  });

  it('rejects with the mapped error otherwise', async () => {
    const call = (): Promise<never> => Promise.reject(socketError('ECONNREFUSED', 'connect ECONNREFUSED'));
    await expect(actDocker(context, call)).rejects.toBeInstanceOf(ProviderUnavailableError);
  });
});
