import { describe, expect, it } from 'vitest';
import {
  ContainerNotFoundError,
  ERROR_CODES,
  HoldQueueFullError,
  InvalidTransitionError,
  ProviderUnavailableError,
  RouteNotFoundError,
  ServiceAsleepError,
  UpstreamUnreachableError,
  WakeFailedError,
  WakeTimeoutError,
  type WakeProxyError,
} from '../../../src/errors.ts';
import { scrubAddresses, STATUS_BY_CODE, toProblem } from '../../../src/proxy/error-response.ts';

const IP = /\b\d{1,3}(\.\d{1,3}){3}\b|\[[0-9a-f:]+\]|unix:\/\//i;

describe('STATUS_BY_CODE', () => {
  it('has a status for every code in the catalogue, and nothing else', () => {
    expect(Object.keys(STATUS_BY_CODE).sort()).toEqual([...ERROR_CODES].sort());
  });

  it.each([
    ['WP_ROUTE_NOT_FOUND', 404],
    ['WP_BAD_REQUEST_PATH', 400],
    ['WP_WAKE_TIMEOUT', 504],
    ['WP_WAKE_FAILED', 503],
    ['WP_PROVIDER_UNAVAILABLE', 503],
    ['WP_CONTAINER_NOT_FOUND', 503],
    ['WP_PROVIDER_FAILED', 503],
    ['WP_HOLD_QUEUE_FULL', 503],
    ['WP_SERVICE_ASLEEP', 503],
    ['WP_UPSTREAM_UNREACHABLE', 502],
    ['WP_UPSTREAM_TIMEOUT', 504],
    ['WP_SHUTTING_DOWN', 503],
    ['WP_INVALID_TRANSITION', 500],
    ['WP_CONFIG_INVALID', 500],
  ] as const)('maps %s to %i', (code, status) => {
    expect(STATUS_BY_CODE[code]).toBe(status);
  });
});

describe('toProblem', () => {
  const leaky: [string, WakeProxyError][] = [
    ['wake timeout', new WakeTimeoutError({ service: 'api', step: 'ready', waitedMs: 30000, lastProbe: 'connect ECONNREFUSED 172.17.0.3:8080' })],
    ['wake failed', new WakeFailedError({ service: 'api', step: 'running', waitedMs: 10 }, 'exited (code 3) at [fd00::2]:80')],
    ['provider unavailable', new ProviderUnavailableError('unix:///var/run/docker.sock')],
    ['container not found', new ContainerNotFoundError('api-1')],
    ['upstream unreachable', new UpstreamUnreachableError('api', 'refused by 10.1.2.3:80')],
  ];

  it.each(leaky)('keeps internal addresses out of the %s body', (_name, err) => {
    const problem = toProblem(err);
    expect(JSON.stringify(problem.body)).not.toMatch(IP);
    expect(problem.body.code).toBe(err.code);
  });

  it('writes a problem document with the standard title', () => {
    expect(toProblem(new RouteNotFoundError('h.example', '/x'))).toEqual({
      status: 404,
      headers: {},
      body: { type: 'about:blank', title: 'Not Found', status: 404, code: 'WP_ROUTE_NOT_FOUND', detail: 'no route for host "h.example" and path "/x"' },
    });
  });

  it.each([
    ['hold queue full', new HoldQueueFullError('api', 1000, 7), '7'],
    ['service asleep', new ServiceAsleepError('api', 3), '3'],
  ])('adds Retry-After when the %s', (_name, err, seconds) => {
    const problem = toProblem(err);
    expect(problem.status).toBe(503);
    expect(problem.headers['retry-after']).toBe(seconds);
  });

  it.each([
    ['a plain Error', new Error('secret at 10.0.0.1')],
    ['a string', 'boom'],
    ['a bug', new InvalidTransitionError('api', 'RUNNING', 'RUNNING')],
  ])('answers 500 with no detail for %s', (_name, err) => {
    const problem = toProblem(err);
    expect(problem.status).toBe(500);
    expect(problem.body.detail).toBe('internal error');
  });
});

describe('scrubAddresses', () => {
  it.each([
    ['connect ECONNREFUSED 172.17.0.3:8080', 'connect ECONNREFUSED <internal>'],
    ['at [fe80::1]:80 now', 'at <internal> now'],
    ['engine tcp://10.0.0.2:2375 down', 'engine <internal> down'],
    ['service "api" not ready after 30000 ms (stuck at: ready)', 'service "api" not ready after 30000 ms (stuck at: ready)'],
  ])('turns %j into %j', (input, output) => {
    expect(scrubAddresses(input)).toBe(output);
  });
});
