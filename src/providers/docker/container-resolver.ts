/**
 * Finds the container a reference means, within its compose scope (container-choice.ts decides).
 *
 * Policy:
 * - A name lookup must really match: Docker also resolves unique id prefixes, so a service
 *   called `db` could otherwise land on any container whose id starts with "db". An id prefix
 *   counts only when it is at least 12 characters (Docker's short id).
 * - Every lookup asks Docker for the exact name and for the containers labelled
 *   com.docker.compose.service=<ref> (stopped ones too), then applies the precedence table.
 * - A found container is cached (ref → id) to spare the list call; the entry is dropped as soon as
 *   the id is gone (404), so a container recreated by `compose up` is found again.
 */
import type Docker from 'dockerode';
import { ContainerAmbiguousError, ContainerNotFoundError, ContainerOutOfScopeError } from '../../errors.ts';
import { COMPOSE_LABELS, chooseContainer, toCandidate, type Candidate } from './container-choice.ts';
import { callDocker, type DockerCallContext } from './docker-errors.ts';
import type { InspectData } from './inspect-data.ts';

/** The compose label naming a container's service. */
export const COMPOSE_SERVICE_LABEL = COMPOSE_LABELS.service;
const SHORT_ID_LENGTH = 12;
/** Docker's rule for container names; anything else could only be a compose service name. */
const CONTAINER_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

/** The compose project a reference is read in (null: none), resolved when it is first needed. */
export type ScopeOf = (ref: string) => Promise<string | null>;

/** True when `ref` names this container exactly, or is its full id or an id prefix of 12+ chars. */
export function matchesRef(data: Pick<InspectData, 'Id' | 'Name'>, ref: string): boolean {
  if (data.Name === `/${ref}` || data.Name === ref) return true;
  return isIdOf(data.Id, ref);
}

function isIdOf(id: string, ref: string): boolean {
  return ref.length >= SHORT_ID_LENGTH && id.startsWith(ref);
}

/** Resolves references to inspect answers, with a ref → id cache. */
export class ContainerResolver {
  readonly #docker: Docker;
  readonly #endpoint: string;
  readonly #scopeOf: ScopeOf;
  readonly #ids = new Map<string, string>();

  constructor(docker: Docker, endpoint: string, scopeOf: ScopeOf = () => Promise.resolve(null)) {
    this.#docker = docker;
    this.#endpoint = endpoint;
    this.#scopeOf = scopeOf;
  }

  /**
   * Inspects what `ref` means now. Throws ContainerNotFoundError when nothing matches,
   * ContainerAmbiguousError or ContainerOutOfScopeError when the choice is refused.
   */
  async inspect(ref: string, signal?: AbortSignal): Promise<Docker.ContainerInspectInfo> {
    const cached = this.#ids.get(ref);
    if (cached !== undefined) {
      const info = await this.#inspectId(ref, cached, signal);
      if (info) return info;
      this.#ids.delete(ref);
    }
    const scope = await this.#scopeOf(ref);
    const named = CONTAINER_NAME.test(ref) ? await this.#inspectId(ref, ref, signal) : null;
    const exact = named && matchesRef(named, ref) ? named : null;
    const byName: Candidate | null = exact ? toCandidate(exact.Id, exact.Name, exact.Config.Labels) : null;
    const byService = await this.#listByService(ref, signal);
    const choice = chooseContainer(scope, { byName, byId: exact !== null && isIdOf(exact.Id, ref), byService });
    switch (choice.kind) {
      case 'ambiguous':
        throw new ContainerAmbiguousError(ref, choice.candidates);
      case 'out-of-scope':
        throw new ContainerOutOfScopeError(ref, choice.projects, scope ?? '');
      case 'not-found':
        throw new ContainerNotFoundError(ref);
      case 'found': {
        const info = choice.id === exact?.Id ? exact : await this.#inspectId(ref, choice.id, signal);
        if (!info) throw new ContainerNotFoundError(ref);
        this.#ids.set(ref, info.Id);
        return info;
      }
    }
  }

  async #listByService(ref: string, signal?: AbortSignal): Promise<Candidate[]> {
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
    return listed.map((c) => toCandidate(c.Id, c.Names[0] ?? c.Id, c.Labels));
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
