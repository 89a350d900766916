/**
 * Creating a service's container from its services.yml spec (the `image` and its fields).
 *
 * Policy:
 * - The container gets the service's container name, the spec's settings, and the label
 *   SPEC_HASH_LABEL with the spec's hash, so a changed spec is recognised later.
 * - Networks: the spec's (the first as the network mode, the others connected after create), or
 *   else the proxy's own first network, so the proxy can reach it; on the host, Docker's default.
 * - A missing image is ImageNotFoundError naming it, unless `pull: missing`: then it is pulled
 *   first (no registry is ever contacted otherwise).
 */
import type Docker from 'dockerode';
import { ImageNotFoundError } from '../../errors.ts';
import { SPEC_HASH_LABEL, type ContainerSpec } from '../container-provider.ts';
import { callDocker, type DockerCallContext } from './docker-errors.ts';

/** dockerode's create options for `spec`, named `name`, on `network` (null: Docker's default). */
export function toCreateOptions(name: string, spec: ContainerSpec, network: string | null): Docker.ContainerCreateOptions {
  const hostConfig: Docker.HostConfig = { Binds: [...spec.volumes] };
  if (spec.memoryBytes !== null) hostConfig.Memory = spec.memoryBytes;
  if (spec.nanoCpus !== null) hostConfig.NanoCpus = spec.nanoCpus;
  if (spec.memoryReservationBytes !== null) hostConfig.MemoryReservation = spec.memoryReservationBytes;
  if (spec.cpuShares !== null) hostConfig.CpuShares = spec.cpuShares;
  if (network !== null) hostConfig.NetworkMode = network;
  return {
    name,
    Image: spec.image,
    Env: [...spec.env],
    Labels: { ...spec.labels, [SPEC_HASH_LABEL]: spec.hash },
    ...(spec.command === null ? {} : { Cmd: [...spec.command] }),
    ...(spec.entrypoint === null ? {} : { Entrypoint: [...spec.entrypoint] }),
    HostConfig: hostConfig,
  };
}

async function imagePresent(docker: Docker, image: string, context: DockerCallContext): Promise<boolean> {
  try {
    await callDocker(context, () => docker.getImage(image).inspect());
    return true;
  } catch (err) {
    if ((err as { code?: string }).code === 'WP_CONTAINER_NOT_FOUND') return false;
    throw err;
  }
}

async function pull(docker: Docker, image: string, context: DockerCallContext): Promise<void> {
  const stream = await callDocker(context, () => docker.pull(image) as Promise<NodeJS.ReadableStream>);
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(stream, (err: Error | null) => (err ? reject(err) : resolve()));
  });
}

/** Creates the container; see the module header. */
export async function createContainer(
  docker: Docker,
  name: string,
  spec: ContainerSpec,
  ownNetworks: readonly string[],
  endpoint: string,
  signal?: AbortSignal,
): Promise<void> {
  const context: DockerCallContext = { operation: 'create', ref: name, endpoint };
  if (!(await imagePresent(docker, spec.image, context))) {
    if (spec.pull !== 'missing') throw new ImageNotFoundError(spec.image, name);
    await pull(docker, spec.image, context);
  }
  const [first, ...others] = spec.networks.length > 0 ? spec.networks : ownNetworks.slice(0, 1);
  const abort = signal ? { abortSignal: signal } : {};
  const container = await callDocker(context, () => docker.createContainer({ ...toCreateOptions(name, spec, first ?? null), ...abort }), signal);
  for (const network of others) {
    await callDocker(context, () => docker.getNetwork(network).connect({ Container: container.id }), signal);
  }
}
