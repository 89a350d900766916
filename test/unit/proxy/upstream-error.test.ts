import { describe, expect, it } from 'vitest';
import { UpstreamTimeoutError, UpstreamUnreachableError } from '../../../src/errors.ts';
import { isClientGone, toUpstreamError } from '../../../src/proxy/upstream-error.ts';

function coded(code: string, message = `failed ${code} 10.0.0.9:80`): Error {
  return Object.assign(new Error(message), { code });
}

describe('toUpstreamError', () => {
  it.each([
    ['ECONNREFUSED', UpstreamUnreachableError, 'connection refused'],
    ['ECONNRESET', UpstreamUnreachableError, 'connection reset'],
    ['UND_ERR_SOCKET', UpstreamUnreachableError, 'closed by the upstream'],
    ['UND_ERR_CONNECT_TIMEOUT', UpstreamUnreachableError, 'connect timed out'],
    ['EHOSTUNREACH', UpstreamUnreachableError, 'host unreachable'],
    ['UND_ERR_HEADERS_TIMEOUT', UpstreamTimeoutError, 'no response headers'],
    ['UND_ERR_BODY_TIMEOUT', UpstreamTimeoutError, 'body stalled'],
    ['SOMETHING_NEW', UpstreamUnreachableError, 'exchange failed (SOMETHING_NEW)'],
  ])('maps %s to %s', (code, type, reason) => {
    const cause = coded(code);
    const err = toUpstreamError(cause, 'api');
    expect(err).toBeInstanceOf(type);
    expect(err.message).toContain(reason);
    expect(err.message).not.toContain('10.0.0.9');
    expect(err.cause).toBe(cause);
  });

  it('finds the code inside an AggregateError and inside a cause', () => {
    expect(toUpstreamError(new AggregateError([coded('ECONNREFUSED')]), 'api').message).toContain('refused');
    expect(toUpstreamError(new Error('wrapped', { cause: coded('UND_ERR_HEADERS_TIMEOUT') }), 'api')).toBeInstanceOf(UpstreamTimeoutError);
  });
});

describe('isClientGone', () => {
  it.each([
    [coded('ERR_STREAM_PREMATURE_CLOSE'), true],
    [coded('UND_ERR_ABORTED'), true],
    [new DOMException('aborted', 'AbortError'), true],
    [coded('ECONNRESET'), false],
    [coded('UND_ERR_HEADERS_TIMEOUT'), false],
  ])('classifies %s as %s', (err, expected) => {
    expect(isClientGone(err)).toBe(expected);
  });
});
