import { afterEach, describe, expect, it } from 'vitest';
import type { HealthCheckConfig } from '../../../src/config/services-schema.ts';
import { combine, createReadinessProbe } from '../../../src/health/create-probe.ts';
import { createDockerHealthProbe } from '../../../src/health/docker-health-probe.ts';
import type { ContainerHealth, ContainerProvider, ContainerStatus } from '../../../src/providers/container-provider.ts';
import { type LocalServer, refusedUpstream, startHttpServer } from './local-servers.ts';

/** A provider that only answers inspect, with a health the test sets. */
function fakeProvider(health: ContainerHealth | Error): ContainerProvider & { inspected: string[] } {
  const inspected: string[] = [];
  const unused = (): Promise<void> => Promise.reject(new Error('not used by probes'));
  return {
    inspected,
    async inspect(ref, port): Promise<ContainerStatus> {
      inspected.push(`${ref}:${port}`);
      if (health instanceof Error) throw health;
      return { id: 'abc', name: ref, state: 'running', health, exitCode: null, oomKilled: false, startedAt: 1, upstream: null };
    },
    start: unused,
    unpause: unused,
    pause: unused,
    stop: unused,
    stats: () => Promise.resolve(null),
    listLabelled: () => Promise.resolve([]),
    updateMemoryReservation: () => Promise.resolve(null),
    create: unused,
    removeContainer: unused,
    specHash: () => Promise.resolve(null),
    exec: () => Promise.reject(new Error('not used by these probes')),
    events: () => ({ [Symbol.asyncIterator]: () => ({ next: () => Promise.resolve({ done: true, value: undefined }) }) }),
    describeEndpoint: () => 'fake://',
  };
}

function health(overrides: Partial<HealthCheckConfig>): HealthCheckConfig {
  const base: HealthCheckConfig = {
    probe: overrides.path ? 'http' : 'tcp',
    path: null,
    status: { min: 200, max: 399 },
    command: null,
    timeoutMs: 30_000,
    probeTimeoutMs: 1000,
    intervalMs: 100,
    dockerHealth: false,
  };
  return { ...base, ...overrides };
}

const servers: LocalServer[] = [];
const signal = (): AbortSignal => new AbortController().signal;

async function serve(status: number): Promise<LocalServer> {
  const server = await startHttpServer((_req, res) => res.writeHead(status).end());
  servers.push(server);
  return server;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('createReadinessProbe', () => {
  const deps = (provider: ContainerProvider) => ({ provider, container: 'api', port: 8080 });

  it('probes over HTTP when a path is set', async () => {
    const server = await serve(503);
    const probe = createReadinessProbe(health({ path: '/ready' }), deps(fakeProvider('healthy')));

    expect(await probe.check(server.upstream, signal())).toEqual({ ready: false, detail: 'HTTP 503' });
  });

  it('probes with a TCP connect when no path is set', async () => {
    const server = await serve(503);
    const probe = createReadinessProbe(health({}), deps(fakeProvider('healthy')));

    expect(await probe.check(server.upstream, signal())).toEqual({ ready: true, detail: 'connected' });
  });

  it('waits for Docker HEALTHCHECK alone with probe docker, and counts a service without a port ready once running with probe running', async () => {
    const starting = fakeProvider('starting');
    const docker = createReadinessProbe(health({ probe: 'docker' }), { provider: starting, container: 'api', port: null });
    expect(await docker.check(null, signal())).toEqual({ ready: false, detail: 'docker health starting' });
    expect(starting.inspected).toEqual(['api:null']);
    const running = createReadinessProbe(health({ probe: 'running' }), { provider: starting, container: 'api', port: null });
    expect(await running.check(null, signal())).toEqual({ ready: true, detail: 'running' });
    expect(starting.inspected).toHaveLength(1);
  });

  it('speaks the protocol of the probe kind: a postgres probe is not fooled by a port that merely accepts', async () => {
    const server = await serve(200);
    const probe = createReadinessProbe(health({ probe: 'postgres' }), deps(fakeProvider('healthy')));
    expect((await probe.check(server.upstream, signal())).ready).toBe(false);
  });

  it('does not ask Docker when docker_health is off', async () => {
    const server = await serve(200);
    const provider = fakeProvider('unhealthy');

    const result = await createReadinessProbe(health({ path: '/' }), deps(provider)).check(server.upstream, signal());

    expect(result.ready).toBe(true);
    expect(provider.inspected).toEqual([]);
  });

  it.each([
    ['healthy', 200, { ready: true, detail: 'HTTP 200; docker health healthy' }],
    ['none', 200, { ready: true, detail: 'HTTP 200; docker health none' }],
    ['starting', 200, { ready: false, detail: 'docker health starting' }],
    ['unhealthy', 200, { ready: false, detail: 'docker health unhealthy' }],
    ['healthy', 503, { ready: false, detail: 'HTTP 503' }],
    ['starting', 503, { ready: false, detail: 'HTTP 503; docker health starting' }],
  ] as const)('with docker_health and Docker %s, HTTP %i gives %o', async (dockerHealth, status, expected) => {
    const server = await serve(status);
    const provider = fakeProvider(dockerHealth);

    const result = await createReadinessProbe(health({ path: '/', dockerHealth: true }), deps(provider)).check(server.upstream, signal());

    expect(result).toEqual(expected);
    expect(provider.inspected).toEqual(['api:8080']);
  });

  it('needs both the TCP probe and Docker when docker_health is on without a path', async () => {
    const probe = createReadinessProbe(health({ dockerHealth: true }), deps(fakeProvider('healthy')));

    expect(await probe.check(await refusedUpstream(), signal())).toEqual({ ready: false, detail: 'ECONNREFUSED', refused: true });
  });
});

describe('createDockerHealthProbe', () => {
  it('reports a provider failure as not ready instead of throwing', async () => {
    const probe = createDockerHealthProbe({ provider: fakeProvider(new Error('socket gone')), container: 'api', port: 80 });

    expect(await probe.check({ host: '127.0.0.1', port: 80 }, signal())).toEqual({
      ready: false,
      detail: 'docker inspect failed: socket gone',
    });
  });

  it('rejects with the signal reason when aborted', async () => {
    const reason = new Error('bye');
    const probe = createDockerHealthProbe({ provider: fakeProvider('healthy'), container: 'api', port: 80 });

    await expect(probe.check({ host: '127.0.0.1', port: 80 }, AbortSignal.abort(reason))).rejects.toBe(reason);
  });
});

describe('combine', () => {
  it.each([
    [[], { ready: true, detail: '' }],
    [[{ ready: true, detail: 'a' }], { ready: true, detail: 'a' }],
    [[{ ready: true, detail: 'a' }, { ready: false, detail: 'b' }], { ready: false, detail: 'b' }],
    [[{ ready: false, detail: 'a' }, { ready: false, detail: 'b' }], { ready: false, detail: 'a; b' }],
  ])('combines %o into %o', (results, expected) => {
    expect(combine(results)).toEqual(expected);
  });
});
