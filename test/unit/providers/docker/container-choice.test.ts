import { describe, expect, it } from 'vitest';
import {
  chooseContainer,
  toCandidate,
  type Candidate,
  type ContainerChoice,
  type LookupResult,
} from '../../../../src/providers/docker/container-choice.ts';

const compose = (id: string, name: string, project: string, service: string, oneOff = false): Candidate =>
  toCandidate(id, `/${name}`, {
    'com.docker.compose.project': project,
    'com.docker.compose.service': service,
    ...(oneOff ? { 'com.docker.compose.oneoff': 'True' } : {}),
  });
const plain = (id: string, name: string): Candidate => toCandidate(id, `/${name}`, { maintainer: 'someone' });

const ownWeb = compose('own-web', 'shop-web-1', 'shop', 'web');
const otherWeb = compose('other-web', 'blog-web-1', 'blog', 'web');
const strayWeb = plain('stray', 'web');
const otherNamedWeb = compose('other-named', 'web', 'blog', 'frontend');

const lookup = (byName: Candidate | null, byService: Candidate[], byId = false): LookupResult => ({ byName, byId, byService });

describe('chooseContainer', () => {
  it.each<[string, string | null, LookupResult, ContainerChoice]>([
    // In a compose project (scope "shop").
    ['own service beats an unrelated container of that name', 'shop', lookup(strayWeb, [ownWeb]), { kind: 'found', id: 'own-web' }],
    ['own service beats another project\'s same service', 'shop', lookup(null, [otherWeb, ownWeb]), { kind: 'found', id: 'own-web' }],
    ['own service beats another project\'s container of that name', 'shop', lookup(otherNamedWeb, [ownWeb]), { kind: 'found', id: 'own-web' }],
    ['own container_name counts as in the project', 'shop', lookup(compose('cn', 'demo-web', 'shop', 'web'), []), { kind: 'found', id: 'cn' }],
    ['a plain container of that name when the project has no such service', 'shop', lookup(strayWeb, [otherWeb]), { kind: 'found', id: 'stray' }],
    ['another project\'s service is out of scope', 'shop', lookup(null, [otherWeb]), { kind: 'out-of-scope', projects: ['blog'] }],
    ['another project\'s named container is out of scope', 'shop', lookup(otherNamedWeb, []), { kind: 'out-of-scope', projects: ['blog'] }],
    ['an id is explicit, whatever its project', 'shop', lookup(otherWeb, [], true), { kind: 'found', id: 'other-web' }],
    [
      'two containers of the own service are ambiguous',
      'shop',
      lookup(null, [ownWeb, compose('own-web-2', 'shop-web-2', 'shop', 'web')]),
      { kind: 'ambiguous', candidates: ['shop-web-1 (project shop, service web)', 'shop-web-2 (project shop, service web)'] },
    ],
    ['a one-off container is never the service', 'shop', lookup(null, [ownWeb, compose('run', 'shop-web-run', 'shop', 'web', true)]), { kind: 'found', id: 'own-web' }],
    ['nothing at all', 'shop', lookup(null, []), { kind: 'not-found' }],
    // Outside compose (no scope).
    ['a name is explicit', null, lookup(otherNamedWeb, [ownWeb]), { kind: 'found', id: 'other-named' }],
    ['a single compose service', null, lookup(null, [otherWeb]), { kind: 'found', id: 'other-web' }],
    [
      'the same service in two projects is ambiguous',
      null,
      lookup(null, [otherWeb, ownWeb]),
      { kind: 'ambiguous', candidates: ['blog-web-1 (project blog, service web)', 'shop-web-1 (project shop, service web)'] },
    ],
    ['only one-off containers', null, lookup(null, [compose('run', 'x', 'shop', 'web', true)]), { kind: 'not-found' }],
  ])('%s', (_name, scope, result, expected) => {
    expect(chooseContainer(scope, result)).toEqual(expected);
  });
});
