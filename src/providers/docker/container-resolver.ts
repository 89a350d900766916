/**
 * Finds the container a reference means: a container name or id, else a compose service name.
 *
 * Policy:
 * - A name lookup must really match: Docker also resolves unique id prefixes, so a service
 *   called `db` could otherwise land on any container whose id starts with "db". An id prefix
 *   counts only when it is at least 12 characters (Docker's short id).
 * - Otherwise the containers labelled com.docker.compose.service=<ref> are listed (stopped ones
 *   too) and the best is taken: running, then paused, then any other, newest first.
 * - A compose lookup is cached (ref → id) to spare the list call; the entry is dropped as soon as
 *   the id is gone (404), so a container recreated by `compose up` is found again.
 */
import type Docker from 'dockerode';
import { ContainerNotFoundError } from '../../errors.ts';
import { callDocker, type DockerCallContext } from './docker-errors.ts';
import type { InspectData } from './inspect-data.ts';

/** The compose label naming a container's service. */
export const COMPOSE_SERVICE_LABEL = 'com.docker.compose.service';
const SHORT_ID_LENGTH = 12;
/** Docker's rule for container names; anything else could only be a compose service name. */
const CONTAINER_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
const STATE_RANK: Readonly<Record<string, number>> = { running: 0, paused: 1 };

/** A row of `GET /containers/json`, as far as choosing among them goes. */
export interface ListedContainer {
  readonly Id: string;
  readonly State: string;
  readonly Created: number;
}

/** True when `ref` names this container exactly, or is its full id or an id prefix of 12+ chars. */
export function matchesRef(data: Pick<InspectData, 'Id' | 'Name'>, ref: string): boolean {
  if (data.Name === `/${ref}` || data.Name === ref) return true;
  return ref.length >= SHORT_ID_LENGTH && data.Id.startsWith(ref);
}

/** The container to use among those carrying the compose label, or null when there are none. */
export function pickComposeContainer<T extends ListedContainer>(containers: readonly T[]): T | null {
  const rank = (c: ListedContainer): number => STATE_RANK[c.State] ?? 2;
  const sorted = [...containers].sort((a, b) => rank(a) - rank(b) || b.Created - a.Created);
  return sorted[0] ?? null;
}

/** Resolves references to inspect answers, with a ref → id cache for compose lookups. */
export class ContainerResolver {
  readonly #docker: Docker;
  readonly #endpoint: string;
  readonly #composeIds = new Map<string, string>();

  constructor(docker: Docker, endpoint: string) {
    this.#docker = docker;
    this.#endpoint = endpoint;
  }

  /** Inspects what `ref` means now; throws ContainerNotFoundError when nothing matches. */
  async inspect(ref: string, signal?: AbortSignal): Promise<Docker.ContainerInspectInfo> {
    const cached = this.#composeIds.get(ref);
    if (cached !== undefined) {
      const info = await this.#inspectId(ref, cached, signal);
      if (info) return info;
      this.#composeIds.delete(ref);
    }
    const byName = CONTAINER_NAME.test(ref) ? await this.#inspectId(ref, ref, signal) : null;
    if (byName && matchesRef(byName, ref)) return byName;
    return this.#inspectByComposeLabel(ref, signal);
  }

  async #inspectByComposeLabel(ref: string, signal?: AbortSignal): Promise<Docker.ContainerInspectInfo> {
    const listed = await callDocker(
      this.#context('list', ref),
      () =>
        this.#docker.listContainers({
          all: true,
          filters: { label: [`${COMPOSE_SERVICE_LABEL}=${ref}`] },
          ...(signal ? { abortSignal: signal } : {}),
        }),
      signal,
    );
    const chosen = pickComposeContainer(listed);
    const info = chosen ? await this.#inspectId(ref, chosen.Id, signal) : null;
    if (!info) throw new ContainerNotFoundError(ref);
    this.#composeIds.set(ref, info.Id);
    return info;
  }

  /** Inspects by name or id; null when Docker answers 404. */
  async #inspectId(ref: string, idOrName: string, signal?: AbortSignal): Promise<Docker.ContainerInspectInfo | null> {
    try {
      return await callDocker(
        this.#context('inspect', ref),
        () => this.#docker.getContainer(idOrName).inspect(signal ? { abortSignal: signal } : {}),
        signal,
      );
    } catch (err) {
      if (err instanceof ContainerNotFoundError) return null;
      throw err;
    }
  }

  #context(operation: string, ref: string): DockerCallContext {
    return { operation, ref, endpoint: this.#endpoint };
  }
}
