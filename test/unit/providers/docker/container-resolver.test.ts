import { describe, expect, it } from 'vitest';
import { matchesRef } from '../../../../src/providers/docker/container-resolver.ts';

const ID = 'db5c7e0a9f3e6e1d2c4b5a69788f7e6d5c4b3a2918273645546372819aabbccd';

describe('matchesRef', () => {
  it.each([
    ['its exact name', '/api', 'api', true],
    ['its full id', '/api', ID, true],
    ['a 12-character id prefix', '/api', ID.slice(0, 12), true],
    ['a short id prefix Docker would also accept', '/something-else', 'db', false],
    ['a name that is only a prefix of the real name', '/api-1', 'api', false],
  ] as const)('accepts a container for %s: %s', (_case, name, ref, expected) => {
    expect(matchesRef({ Id: ID, Name: name }, ref)).toBe(expected);
  });
});
