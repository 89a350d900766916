import { describe, expect, it } from 'vitest';
import type { ContainerRunState, Upstream } from '../../../../src/providers/container-provider.ts';
import type { InspectData, InspectPortBinding } from '../../../../src/providers/docker/inspect-data.ts';
import { resolveUpstream } from '../../../../src/providers/docker/upstream-address.ts';
import { inspectFixture } from './load-fixture.ts';

/** A recorded container with its networks and published ports replaced. */
function variant(
  fixture: string,
  networks: Record<string, { IPAddress: string }>,
  ports: Record<string, InspectPortBinding[] | null>,
): InspectData {
  const data = inspectFixture(fixture);
  return { ...data, NetworkSettings: { ...data.NetworkSettings, Networks: networks, Ports: ports } };
}

interface Case {
  readonly name: string;
  readonly data: InspectData;
  readonly state: ContainerRunState;
  readonly port?: number;
  readonly ownNetworks?: readonly string[];
  readonly expected: Upstream | null;
}

const cases: readonly Case[] = [
  { name: 'bridge IP of a running container', data: inspectFixture('running'), state: 'running', expected: { host: '172.17.0.2', port: 8080 } },
  { name: 'bridge IP of a paused container', data: inspectFixture('paused'), state: 'paused', expected: { host: '172.17.0.3', port: 8080 } },
  { name: 'no address for an exited container', data: inspectFixture('exited'), state: 'exited', expected: null },
  { name: 'no address for a created container', data: inspectFixture('created'), state: 'created', expected: null },
  { name: 'no address while restarting, even with an old IP', data: inspectFixture('running'), state: 'restarting', expected: null },
  { name: 'the port asked for, not the published one', data: inspectFixture('published'), state: 'running', port: 9090, expected: { host: '172.17.0.5', port: 9090 } },
  {
    name: 'IP on a network the proxy shares before the bridge IP',
    data: inspectFixture('usernet'),
    state: 'running',
    ownNetworks: ['rec-net'],
    expected: { host: '172.18.0.2', port: 8080 },
  },
  {
    name: 'first shared network in the order given',
    data: variant('usernet', { a: { IPAddress: '10.0.0.1' }, b: { IPAddress: '10.0.1.1' } }, {}),
    state: 'running',
    ownNetworks: ['x', 'b', 'a'],
    expected: { host: '10.0.1.1', port: 8080 },
  },
  { name: 'bridge IP when the proxy shares no network', data: inspectFixture('usernet'), state: 'running', ownNetworks: ['other'], expected: { host: '172.17.0.6', port: 8080 } },
  { name: 'any network IP when not on the bridge', data: inspectFixture('usernet-only'), state: 'running', expected: { host: '172.18.0.3', port: 8080 } },
  {
    name: 'a published loopback port when no network has an IP',
    data: variant('published', { bridge: { IPAddress: '' } }, { '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: '32769' }] }),
    state: 'running',
    expected: { host: '127.0.0.1', port: 32769 },
  },
  {
    name: 'loopback for a wildcard binding, IPv4 preferred',
    data: variant('published-wild', {}, { '8080/tcp': [{ HostIp: '::', HostPort: '32768' }, { HostIp: '0.0.0.0', HostPort: '32770' }] }),
    state: 'running',
    expected: { host: '127.0.0.1', port: 32770 },
  },
  {
    name: 'loopback for an empty host IP',
    data: variant('published', {}, { '8080/tcp': [{ HostIp: '', HostPort: '4000' }] }),
    state: 'running',
    expected: { host: '127.0.0.1', port: 4000 },
  },
  {
    name: 'IPv6 loopback for an IPv6-only wildcard binding',
    data: variant('published', {}, { '8080/tcp': [{ HostIp: '::', HostPort: '4001' }] }),
    state: 'running',
    expected: { host: '::1', port: 4001 },
  },
  {
    name: 'the specific host IP of a binding',
    data: variant('published', {}, { '8080/tcp': [{ HostIp: '192.168.1.5', HostPort: '4002' }] }),
    state: 'running',
    expected: { host: '192.168.1.5', port: 4002 },
  },
  {
    name: 'no address when only another port is published',
    data: variant('published', {}, { '9090/tcp': [{ HostIp: '0.0.0.0', HostPort: '4003' }], '8080/tcp': null }),
    state: 'running',
    expected: null,
  },
  { name: 'loopback and the same port on the host network', data: inspectFixture('host'), state: 'running', port: 18999, expected: { host: '127.0.0.1', port: 18999 } },
];

describe('resolveUpstream', () => {
  it.each(cases)('gives $name', ({ data, state, port = 8080, ownNetworks = [], expected }) => {
    expect(resolveUpstream(data, state, port, ownNetworks)).toEqual(expected);
  });
});
