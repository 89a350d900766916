/**
 * The benchmark's containers: backends from the test image (built by test/support/docker-fixture.ts),
 * labelled `wake-proxy-bench=1` (and with the run's pid) so a sweep removes whatever a crashed run left behind, and the
 * bare Engine API verbs the floors are made of (dockerode, no inspect before each call).
 *
 * They are created here rather than with the fixture's createBackend, which labels its containers
 * wake-proxy-test=1: the integration tests sweep that label when they start and end, and would
 * remove the benchmark's containers from under it if both ran at once.
 */
import type Docker from 'dockerode';
import { BACKEND_PORT, ensureBackendImage, testDocker, uniqueName } from '../test/support/docker-fixture.ts';
import { isAlive } from '../test/support/process-alive.ts';

/** Label carried by every container the benchmark creates. */
export const BENCH_LABEL = 'wake-proxy-bench';
/** Label naming the process of the run that created the container. */
export const BENCH_PID_LABEL = 'wake-proxy-bench.pid';

/** A container is a leftover when the run that made it is gone (or did not say which it was). */
export function isLeftover(labels: Readonly<Record<string, string>>, alive: (pid: number) => boolean = isAlive): boolean {
  const pid = Number(labels[BENCH_PID_LABEL]);
  return !Number.isInteger(pid) || pid <= 0 || !alive(pid);
}

/** A running backend container and its bare-API handle. */
export interface BenchBackend {
  readonly name: string;
  readonly container: Docker.Container;
  readonly port: number;
  remove(): Promise<void>;
}

/** Creates and starts a backend named `<prefix>-<random>`. */
export async function createBenchBackend(prefix: string): Promise<BenchBackend> {
  const name = uniqueName(prefix);
  const container = await testDocker().createContainer({
    name,
    Image: await ensureBackendImage(),
    Labels: { [BENCH_LABEL]: '1', [BENCH_PID_LABEL]: String(process.pid) },
    ExposedPorts: { [`${BACKEND_PORT}/tcp`]: {} },
  });
  const remove = (): Promise<void> => container.remove({ force: true }).catch(() => undefined);
  await container.start().catch(async (err: unknown) => {
    await remove();
    throw err;
  });
  return { name, container, port: BACKEND_PORT, remove };
}

/** The container's IP on the default bridge, read fresh (a restarted container may get another). */
export async function bridgeAddress(container: Docker.Container): Promise<string> {
  const info = await container.inspect();
  const ip = info.NetworkSettings.Networks['bridge']?.IPAddress ?? '';
  if (ip === '') throw new Error(`container ${info.Name} has no bridge IP (state ${info.State.Status})`);
  return ip;
}

/** Docker's state string for the container (`running`, `paused`, `exited`…). */
export async function dockerState(container: Docker.Container): Promise<string> {
  return (await container.inspect()).State.Status;
}

/**
 * Force-removes every container labelled wake-proxy-bench=1 whose run has ended; returns how
 * many. A run still going on (another checkout's benchmark on the same engine) keeps its own.
 */
export async function removeBenchContainers(docker: Docker = testDocker()): Promise<number> {
  const labelled = await docker.listContainers({ all: true, filters: { label: [`${BENCH_LABEL}=1`] } });
  const leftovers = labelled.filter((c) => isLeftover(c.Labels));
  await Promise.all(leftovers.map((c) => docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
  return leftovers.length;
}
