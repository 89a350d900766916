import { describe, expect, it } from 'vitest';
import { bearerToken, checkAdminAccess, createTokenCheck, isLoopback, type AdminVerdict } from '../../../src/admin/admin-auth.ts';
import { matchAdminRoute } from '../../../src/admin/admin-routes.ts';

const TOKEN = 'correct-horse-battery-staple';
const check = createTokenCheck(TOKEN);

describe('isLoopback', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['::1', true],
    ['::ffff:127.0.0.1', true],
    ['172.17.0.1', false],
    ['::ffff:172.17.0.2', false],
    ['0.0.0.0', false],
    ['1127.0.0.1', false],
    [undefined, false],
  ])('%s → %s', (address, expected) => {
    expect(isLoopback(address)).toBe(expected);
  });
});

describe('bearerToken', () => {
  it.each([
    [`Bearer ${TOKEN}`, TOKEN],
    [`bearer   ${TOKEN} `, TOKEN],
    [`Basic ${TOKEN}`, null],
    ['Bearer', null],
    [`Bearer a b`, null],
    [undefined, null],
  ])('%s → %s', (header, expected) => {
    expect(bearerToken(header)).toBe(expected);
  });
});

describe('createTokenCheck', () => {
  it('accepts the token only, whatever the length of the guess', () => {
    expect(check(TOKEN)).toBe(true);
    expect(check(`${TOKEN}x`)).toBe(false);
    expect(check(TOKEN.slice(0, -1))).toBe(false);
    expect(check('')).toBe(false);
  });
});

describe('checkAdminAccess', () => {
  const remote = '172.18.0.5';
  it.each<[string, string, string, string | undefined, string | undefined, boolean, AdminVerdict]>([
    ['healthz is open to everyone', 'GET', '/healthz', remote, undefined, true, 'allowed'],
    ['healthz is open even with no token configured', 'HEAD', '/healthz', remote, undefined, false, 'allowed'],
    ['the status page (no data in it) is open', 'GET', '/', remote, undefined, true, 'allowed'],
    ['the event stream is not', 'GET', '/events', remote, undefined, true, 'token-required'],
    ['the seed\'s stop alias is not', 'POST', '/health/containers/api/stop', remote, undefined, true, 'token-required'],
    ['a POST to healthz is not the open probe', 'POST', '/healthz', remote, undefined, true, 'token-required'],
    ['loopback needs no token', 'POST', '/services/api/stop', '127.0.0.1', undefined, true, 'allowed'],
    ['loopback needs no token when none is configured', 'GET', '/services', '::1', undefined, false, 'allowed'],
    ['a remote client without a token', 'POST', '/services/api/stop', remote, undefined, true, 'token-required'],
    ['a remote client with a wrong token', 'GET', '/metrics', remote, 'Bearer wrong-token-0123456789', true, 'token-required'],
    ['a remote client with the token', 'POST', '/services/api/stop', remote, `Bearer ${TOKEN}`, true, 'allowed'],
    ['a remote client when no token is configured', 'GET', '/services', remote, `Bearer ${TOKEN}`, false, 'remote-refused'],
    ['an unknown path from a remote client', 'GET', '/nope', remote, undefined, true, 'token-required'],
  ])('%s', (_name, method, path, remoteAddress, authorization, configured, expected) => {
    const action = matchAdminRoute(method, path);
    expect(checkAdminAccess({ action, method, remoteAddress, authorization }, configured ? check : null)).toBe(expected);
  });
});
