/**
 * A single-node Docker Swarm for the Swarm provider's tests, on the engine the tests use.
 *
 * Policy: an engine that is already a swarm manager is reused and left as it is; an inactive one
 * is made a swarm (`docker swarm init --advertise-addr 127.0.0.1`) and leaves it again in
 * `release()` (removing the docker_gwbridge network init made, which leaving keeps), unless services
 * of another run that reused it are still there. Swarm mode does not touch ordinary containers, so other tests on the same engine
 * run on. Services are created from the local backend image through the API, which resolves no
 * image against a registry (what the CLI's `--no-resolve-image` turns off), carry the test
 * labels, and are removed by their test.
 */
import type Docker from 'dockerode';
import { ensureBackendImage, testDocker, testLabels, uniqueName } from './docker-fixture.ts';

/** The swarm a test runs on; `release()` leaves it only if this fixture created it. */
export interface TestSwarm {
  readonly created: boolean;
  /** How long `docker swarm init` took (ms); 0 when an existing swarm was reused. */
  readonly initMs: number;
  release(): Promise<void>;
}

/** Makes the engine a single-node swarm unless it is one already. */
export async function ensureSwarm(): Promise<TestSwarm> {
  const docker = testDocker();
  const info = (await docker.info()) as { Swarm?: { LocalNodeState?: string; ControlAvailable?: boolean } };
  const state = info.Swarm?.LocalNodeState ?? 'inactive';
  if (state === 'active') {
    if (info.Swarm?.ControlAvailable !== true) throw new Error('the engine is a swarm worker, not a manager: the Swarm tests need a manager');
    return { created: false, initMs: 0, release: async () => {} };
  }
  if (state !== 'inactive') throw new Error(`the engine's swarm state is ${state}`);
  const hadGwbridge = (await docker.listNetworks({ filters: { name: [GWBRIDGE] } })).some((n) => n.Name === GWBRIDGE);
  const startedAt = performance.now();
  try {
    await docker.swarmInit({ ListenAddr: '127.0.0.1:2377', AdvertiseAddr: '127.0.0.1' });
  } catch (err) {
    // Another test run made it a swarm a moment ago: use theirs, and leave it to them.
    if (/already part of a swarm/i.test(String((err as { message?: unknown }).message))) return { created: false, initMs: 0, release: async () => {} };
    throw err;
  }
  const initMs = performance.now() - startedAt;
  const release = async (): Promise<void> => {
    // Services left by another run that reused this swarm: leaving would take them away mid-test.
    if ((await docker.listServices()).length > 0) return;
    await docker.swarmLeave({ force: true });
    // Leaving keeps the docker_gwbridge network swarm init made: remove it unless it was there before.
    if (!hadGwbridge) await docker.getNetwork(GWBRIDGE).remove().catch(() => undefined);
  };
  return { created: true, initMs, release };
}

/** The bridge network swarm init creates for its tasks' traffic off the node. */
const GWBRIDGE = 'docker_gwbridge';

/** What a test service is made of. */
export interface SwarmServiceOptions {
  /** Name prefix; a random suffix is appended. */
  readonly name: string;
  readonly replicas?: number;
  readonly env?: Readonly<Record<string, string>>;
}

/** A test Swarm service; `remove()` removes it and ignores "already gone". */
export interface TestSwarmService {
  readonly name: string;
  /** Desired replicas now. */
  replicas(): Promise<number>;
  /** Running tasks now (state running, desired running). */
  runningTasks(): Promise<number>;
  remove(): Promise<void>;
}

/** Creates a replicated service from the backend image (0 replicas unless told). */
export async function createSwarmService(options: SwarmServiceOptions): Promise<TestSwarmService> {
  const docker = testDocker();
  const name = uniqueName(options.name);
  const image = await ensureBackendImage();
  await docker.createService({
    Name: name,
    Labels: testLabels(),
    TaskTemplate: {
      ContainerSpec: {
        Image: image,
        Env: Object.entries(options.env ?? {}).map(([key, value]) => `${key}=${value}`),
        StopGracePeriod: 2_000_000_000,
      },
      RestartPolicy: { Condition: 'any', Delay: 1_000_000_000 },
    },
    Mode: { Replicated: { Replicas: options.replicas ?? 0 } },
  } as Docker.CreateServiceOptions);
  const service = docker.getService(name);
  return {
    name,
    replicas: async () => Number(((await service.inspect()) as { Spec: { Mode: { Replicated?: { Replicas?: number } } } }).Spec.Mode.Replicated?.Replicas ?? 0),
    runningTasks: async () => {
      const tasks = (await docker.listTasks({ filters: { service: [name], 'desired-state': ['running'] } })) as { Status?: { State?: string } }[];
      return tasks.filter((t) => t.Status?.State === 'running').length;
    },
    remove: () =>
      service.remove().then(
        () => undefined,
        (err: unknown) => {
          if ((err as { statusCode?: number }).statusCode !== 404) throw err;
        },
      ),
  };
}
