import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.ts';
import { ContainerAmbiguousError, ContainerNotFoundError, ProviderUnavailableError } from '../../src/errors.ts';
import { createSilentLogger } from '../../src/logging/logger.ts';
import type { ContainerStatus } from '../../src/providers/container-provider.ts';
import { DockerProvider } from '../../src/providers/docker/docker-provider.ts';
import {
  BACKEND_PORT,
  createBackend,
  ensureBackendImage,
  testDocker,
  testLabels,
  uniqueName,
  type Backend,
  type BackendOptions,
} from '../support/docker-fixture.ts';
import { eventually } from '../support/eventually.ts';

const provider = new DockerProvider({ logger: createSilentLogger(), clock: systemClock });
const created: Backend[] = [];

async function backend(options: Partial<BackendOptions> = {}): Promise<Backend> {
  const made = await createBackend({ name: 'wp-verbs', ...options });
  created.push(made);
  return made;
}

async function statusOf(ref: string): Promise<ContainerStatus> {
  return provider.inspect(ref, BACKEND_PORT);
}

async function waitForState(ref: string, state: ContainerStatus['state']): Promise<ContainerStatus> {
  return eventually(
    async () => {
      const status = await statusOf(ref);
      expect(status.state).toBe(state);
      return status;
    },
    { timeoutMs: 20_000, intervalMs: 50 },
  );
}

/** GET / on the container's upstream until it answers; returns status and body. */
async function getRoot(status: ContainerStatus): Promise<{ status: number; body: string }> {
  const upstream = status.upstream;
  if (!upstream) throw new Error(`container ${status.name} has no upstream`);
  return eventually(
    async () => {
      const res = await fetch(`http://${upstream.host}:${upstream.port}/`, { signal: AbortSignal.timeout(2000) });
      return { status: res.status, body: await res.text() };
    },
    { timeoutMs: 20_000, intervalMs: 50 },
  );
}

beforeAll(async () => {
  await ensureBackendImage();
});

afterEach(async () => {
  await Promise.all(created.splice(0).map((c) => c.remove()));
});

describe('DockerProvider.inspect', () => {
  it('reports a running container with an upstream that answers HTTP', async () => {
    const { name, id } = await backend();
    const status = await waitForState(name, 'running');
    expect(status).toMatchObject({ id, name, exitCode: null, oomKilled: false, health: 'none' });
    expect(status.startedAt).toBeGreaterThan(0);
    const reply = await getRoot(status);
    expect(reply.status).toBe(200);
    expect(reply.body).toBe(`hello from ${id.slice(0, 12)}`);
  });

  it('reports a paused container, keeping its upstream', async () => {
    const { name } = await backend();
    await testDocker().getContainer(name).pause();
    const status = await statusOf(name);
    expect(status.state).toBe('paused');
    expect(status.upstream?.port).toBe(BACKEND_PORT);
  });

  it('reports an exited container with its exit code and no upstream', async () => {
    const { name } = await backend({ env: { CRASH_AFTER_MS: '50', CRASH_CODE: '3' } });
    const status = await waitForState(name, 'exited');
    expect(status).toMatchObject({ exitCode: 3, upstream: null });
  });

  it('reports state missing for a reference that matches nothing', async () => {
    const status = await statusOf(uniqueName('wp-nothing'));
    expect(status).toMatchObject({ state: 'missing', id: '', upstream: null });
  });

  it('rejects with the signal reason when the signal has aborted', async () => {
    const reason = new Error('caller gave up');
    await expect(provider.inspect('anything', BACKEND_PORT, AbortSignal.abort(reason))).rejects.toBe(reason);
  });
});

describe('DockerProvider.start', () => {
  it('starts a created container', async () => {
    const { name } = await backend({ start: false });
    expect((await statusOf(name)).state).toBe('created');
    await provider.start(name);
    expect((await getRoot(await statusOf(name))).status).toBe(200);
  });

  it('starts an exited container again', async () => {
    const { name } = await backend();
    await getRoot(await statusOf(name));
    await testDocker().getContainer(name).stop({ t: 5 });
    expect((await statusOf(name)).state).toBe('exited');
    await provider.start(name);
    expect((await statusOf(name)).state).toBe('running');
  });

  it('does nothing to a running container', async () => {
    const { name } = await backend();
    const before = await statusOf(name);
    await provider.start(name);
    await provider.start(name);
    const after = await statusOf(name);
    expect(after.state).toBe('running');
    expect(after.startedAt).toBe(before.startedAt);
  });

  it('unpauses a paused container instead of restarting it', async () => {
    const { name } = await backend();
    const before = await statusOf(name);
    await testDocker().getContainer(name).pause();
    await provider.start(name);
    const after = await statusOf(name);
    expect(after.state).toBe('running');
    expect(after.startedAt).toBe(before.startedAt);
  });
});

describe('DockerProvider.pause and unpause', () => {
  it('pauses and unpauses, and repeating either changes nothing', async () => {
    const { name } = await backend();
    await provider.pause(name);
    await provider.pause(name);
    expect((await statusOf(name)).state).toBe('paused');
    await provider.unpause(name);
    await provider.unpause(name);
    const status = await statusOf(name);
    expect(status.state).toBe('running');
    expect((await getRoot(status)).status).toBe(200);
  });

  it('leaves a stopped container stopped', async () => {
    const { name } = await backend({ start: false });
    await provider.pause(name);
    await provider.unpause(name);
    expect((await statusOf(name)).state).toBe('created');
  });
});

describe('DockerProvider.stop', () => {
  it('stops a running container, which exits cleanly on SIGTERM', async () => {
    const { name } = await backend();
    // Answering HTTP means the server is up, with its SIGTERM handler installed (it is PID 1).
    await getRoot(await statusOf(name));
    await provider.stop(name);
    expect(await statusOf(name)).toMatchObject({ state: 'exited', exitCode: 0 });
  });

  it('stops a paused container cleanly, without waiting for the kill timeout', async () => {
    const { name } = await backend();
    await getRoot(await statusOf(name));
    await provider.pause(name);
    await provider.stop(name);
    // Exit code 0 means the process got SIGTERM while unfrozen; a frozen one is SIGKILLed (137).
    expect(await statusOf(name)).toMatchObject({ state: 'exited', exitCode: 0 });
  });

  it('does nothing to a stopped container', async () => {
    const { name } = await backend({ start: false });
    await provider.stop(name);
    expect((await statusOf(name)).state).toBe('created');
  });
});

describe('DockerProvider with compose service names', () => {
  it('finds a container by its com.docker.compose.service label, again after it is recreated', async () => {
    const service = uniqueName('svc');
    const labels = { 'com.docker.compose.service': service, 'com.docker.compose.project': 'wp-test' };
    const first = await backend({ name: 'wp-project-web-1', labels });
    expect(await statusOf(service)).toMatchObject({ id: first.id, state: 'running' });
    await provider.pause(service);
    expect((await statusOf(first.name)).state).toBe('paused');

    await first.remove();
    const second = await backend({ name: 'wp-project-web-1', labels, start: false });
    expect(await statusOf(service)).toMatchObject({ id: second.id, state: 'created' });
    await provider.start(service);
    expect((await statusOf(second.name)).state).toBe('running');
  });

  it('refuses a service name that several containers carry, naming them (issue 9: no guessing)', async () => {
    const service = uniqueName('svc');
    const labels = { 'com.docker.compose.service': service };
    const stopped = await backend({ name: 'wp-stopped', labels, start: false });
    const running = await backend({ name: 'wp-running', labels });
    const inspecting = provider.inspect(service, BACKEND_PORT);
    await expect(inspecting).rejects.toBeInstanceOf(ContainerAmbiguousError);
    await expect(inspecting).rejects.toThrow(`${running.name}, ${stopped.name}`);
  });
});

describe('DockerProvider errors', () => {
  it.each(['start', 'pause', 'unpause', 'stop'] as const)('%s of a missing container throws ContainerNotFoundError', async (verb) => {
    const ref = uniqueName('wp-nothing');
    await expect(provider[verb](ref)).rejects.toBeInstanceOf(ContainerNotFoundError);
  });

  it('names the socket when the engine cannot be reached', async () => {
    const offline = new DockerProvider({ dockerHost: 'unix:///nonexistent.sock', logger: createSilentLogger(), clock: systemClock });
    expect(offline.describeEndpoint()).toBe('unix:///nonexistent.sock');
    const inspecting = offline.inspect('api', BACKEND_PORT);
    await expect(inspecting).rejects.toBeInstanceOf(ProviderUnavailableError);
    await expect(inspecting).rejects.toThrow('unix:///nonexistent.sock');
    await expect(offline.start('api')).rejects.toBeInstanceOf(ProviderUnavailableError);
  });
});

describe('DockerProvider with a container started by testcontainers', () => {
  const started: Array<{ stop(): Promise<unknown> }> = [];
  afterAll(async () => {
    await Promise.all(started.map((c) => c.stop()));
  });

  it('sees, reaches and stops it', async () => {
    const { GenericContainer, PullPolicy, Wait } = await import('testcontainers');
    const name = uniqueName('wp-tc');
    const container = await new GenericContainer(await ensureBackendImage())
      .withName(name)
      .withLabels(testLabels())
      .withExposedPorts(BACKEND_PORT)
      .withPullPolicy(PullPolicy.neverPull())
      .withWaitStrategy(Wait.forLogMessage(/listening on/))
      .start();
    started.push(container);
    const status = await statusOf(name);
    expect(status.state).toBe('running');
    expect((await getRoot(status)).status).toBe(200);
    await provider.stop(name);
    expect((await statusOf(name)).state).toBe('exited');
  });
});
