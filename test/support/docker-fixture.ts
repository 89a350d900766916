/**
 * Real containers for integration tests, made from the locally built backend image
 * (images/backend/). Every container is labelled `wake-proxy-test=1` plus the test run that owns
 * it (`wake-proxy-test-owner=<host>:<pid of the vitest main process>`) and gets a random name
 * suffix, so files never collide. Sweeping removes this run's containers and those of runs whose
 * process is gone, but never the containers of another run still going on the same engine.
 * Tests talk to Docker through dockerode here; only the provider under test uses DockerProvider.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import Docker from 'dockerode';
import { buildBackendImage } from './images/backend/build-backend-image.ts';

/** Label carried by every container the tests create. */
export const TEST_LABEL = 'wake-proxy-test';
/** Label naming the test run that created a container. */
export const OWNER_LABEL = 'wake-proxy-test-owner';
/** Env var through which global-setup hands its run id to test workers. */
export const OWNER_ENV = 'WAKE_PROXY_TEST_OWNER';
/** A container without an owner label is swept only once it is this old. */
const UNOWNED_GRACE_MS = 15 * 60_000;
/** Env var through which global-setup hands the image tag to test workers. */
export const BACKEND_IMAGE_ENV = 'WAKE_PROXY_TEST_BACKEND_IMAGE';
/** Port the backend listens on inside its container. */
export const BACKEND_PORT = 8080;

let imagePromise: Promise<string> | undefined;

/** A dockerode client on the engine the tests use (DOCKER_HOST or the local socket). */
export function testDocker(): Docker {
  return new Docker();
}

/** The backend image's tag, building the image first if this machine does not have it yet. */
export function ensureBackendImage(): Promise<string> {
  const provided = process.env[BACKEND_IMAGE_ENV];
  imagePromise ??= provided ? Promise.resolve(provided) : buildBackendImage(testDocker());
  return imagePromise;
}

/** The run id of this test run: `<host>:<pid>` of the process that ran global-setup. */
export function testRunOwner(): string {
  return process.env[OWNER_ENV] ?? `${hostname()}:${process.pid}`;
}

/** `extra` plus the labels every test container carries (test marker and owning run). */
export function testLabels(extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  return { ...extra, [TEST_LABEL]: '1', [OWNER_LABEL]: testRunOwner() };
}

/** A unique container name: `<prefix>-<random>`. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/** What createBackend needs; only `name` is required. */
export interface BackendOptions {
  /** Name prefix; a random suffix is appended. */
  readonly name: string;
  /** Backend settings such as READY_AFTER_MS, CRASH_AFTER_MS (see images/backend/server.mjs). */
  readonly env?: Readonly<Record<string, string>>;
  readonly labels?: Readonly<Record<string, string>>;
  /** Publish port 8080 on 127.0.0.1: `true` for a random host port, or a fixed one. */
  readonly publishPort?: boolean | number;
  /** Attach to this network instead of the default bridge. */
  readonly network?: string;
  /** Start the container after creating it; default true. */
  readonly start?: boolean;
}

/** A test container; `remove()` force-removes it and ignores "already gone". */
export interface Backend {
  readonly id: string;
  readonly name: string;
  remove(): Promise<void>;
}

function hostConfig(options: BackendOptions): Docker.HostConfig {
  const config: Docker.HostConfig = {};
  if (options.publishPort !== undefined && options.publishPort !== false) {
    const hostPort = options.publishPort === true ? '' : String(options.publishPort);
    config.PortBindings = { [`${BACKEND_PORT}/tcp`]: [{ HostIp: '127.0.0.1', HostPort: hostPort }] };
  }
  if (options.network) config.NetworkMode = options.network;
  return config;
}

/** Creates (and by default starts) a backend container. */
export async function createBackend(options: BackendOptions): Promise<Backend> {
  const docker = testDocker();
  const name = uniqueName(options.name);
  const container = await docker.createContainer({
    name,
    Image: await ensureBackendImage(),
    Env: Object.entries(options.env ?? {}).map(([key, value]) => `${key}=${value}`),
    Labels: testLabels(options.labels),
    ExposedPorts: { [`${BACKEND_PORT}/tcp`]: {} },
    HostConfig: hostConfig(options),
  });
  const backend: Backend = { id: container.id, name, remove: () => removeContainer(docker, container.id) };
  if (options.start ?? true) {
    await container.start().catch(async (err: unknown) => {
      await backend.remove();
      throw err;
    });
  }
  return backend;
}

async function removeContainer(docker: Docker, id: string): Promise<void> {
  await docker
    .getContainer(id)
    .remove({ force: true })
    .catch((err: unknown) => {
      const status = (err as { statusCode?: number }).statusCode;
      if (status !== 404 && status !== 409) throw err;
    });
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True when a test container belongs to this run or to a run that is over. */
export function isSweepable(labels: Readonly<Record<string, string>>, createdMs: number, nowMs: number): boolean {
  const owner = labels[OWNER_LABEL];
  if (owner === undefined) return nowMs - createdMs > UNOWNED_GRACE_MS;
  if (owner === testRunOwner()) return true;
  const [host, pid] = owner.split(':');
  return host === hostname() && !isProcessAlive(Number(pid));
}

/** Force-removes the test containers of this run and of runs that are over. */
export async function removeAllTestContainers(): Promise<void> {
  const docker = testDocker();
  const found = await docker.listContainers({ all: true, filters: { label: [`${TEST_LABEL}=1`] } });
  const now = Date.now();
  const sweepable = found.filter((c) => isSweepable(c.Labels, c.Created * 1000, now));
  await Promise.all(sweepable.map((c) => removeContainer(docker, c.Id)));
}

/** Docker's state string for a container (`running`, `paused`, `exited`…), or `missing`. */
export async function containerState(nameOrId: string): Promise<string> {
  try {
    const info = await testDocker().getContainer(nameOrId).inspect();
    return info.State.Status;
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return 'missing';
    throw err;
  }
}

/** The container's IP on the default bridge network ('' when it has none). */
export async function bridgeIp(nameOrId: string): Promise<string> {
  const info = await testDocker().getContainer(nameOrId).inspect();
  return info.NetworkSettings.Networks['bridge']?.IPAddress ?? '';
}
