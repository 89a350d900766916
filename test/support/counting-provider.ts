/**
 * A ContainerProvider decorator for integration tests: it forwards every call to the real
 * provider and counts calls per verb and container, so a test can assert "exactly one unpause".
 * A verb can also be gated: calls of that verb wait (already counted) until the test releases
 * the gate, which lets a test line up concurrent requests behind one wake deterministically,
 * without sleeping.
 */
import type { ContainerEvent, ContainerProvider, ContainerSpec, ContainerStats, ContainerStatus, ExecResult, LabelledContainerInfo } from '../../src/providers/container-provider.ts';

/** The verbs that are counted. */
export type CountedVerb = 'inspect' | 'start' | 'unpause' | 'pause' | 'stop' | 'exec';

/**
 * A held verb: `entered` counts calls waiting at the gate; `release()` lets them (and later ones)
 * through; `fail(err)` makes the calls waiting reject with `err` without reaching the engine (later
 * calls go through).
 */
export interface VerbGate {
  entered(): number;
  release(): void;
  fail(err: Error): void;
}

interface GateState {
  waiting: number;
  failure: Error | null;
  readonly opened: Promise<void>;
  readonly open: () => void;
}

/** Counts (and optionally gates) the calls made to the wrapped provider. */
export class CountingProvider implements ContainerProvider {
  readonly #inner: ContainerProvider;
  readonly #counts = new Map<string, number>();
  readonly #gates = new Map<CountedVerb, GateState>();

  constructor(inner: ContainerProvider) {
    this.#inner = inner;
  }

  /** Calls of `verb`, for one container (as named in services.yml) or for all when omitted. */
  count(verb: CountedVerb, container?: string): number {
    if (container !== undefined) return this.#counts.get(`${verb} ${container}`) ?? 0;
    let total = 0;
    for (const [key, n] of this.#counts) if (key.startsWith(`${verb} `)) total += n;
    return total;
  }

  /** From now on, calls of `verb` wait until the returned gate is released. */
  gate(verb: CountedVerb): VerbGate {
    const { promise, resolve } = Promise.withResolvers<void>();
    const state: GateState = { waiting: 0, failure: null, opened: promise, open: resolve };
    this.#gates.set(verb, state);
    return {
      entered: () => state.waiting,
      release: () => {
        if (this.#gates.get(verb) === state) this.#gates.delete(verb);
        state.open();
      },
      fail: (err) => {
        if (this.#gates.get(verb) === state) this.#gates.delete(verb);
        state.failure = err;
        state.open();
      },
    };
  }

  /** Opens every gate still closed (test clean-up). */
  releaseAll(): void {
    for (const state of this.#gates.values()) state.open();
    this.#gates.clear();
  }

  async inspect(ref: string, port: number | null, signal?: AbortSignal): Promise<ContainerStatus> {
    await this.#enter('inspect', ref);
    return this.#inner.inspect(ref, port, signal);
  }

  async start(ref: string, signal?: AbortSignal): Promise<void> {
    await this.#enter('start', ref);
    return this.#inner.start(ref, signal);
  }

  async unpause(ref: string, signal?: AbortSignal): Promise<void> {
    await this.#enter('unpause', ref);
    return this.#inner.unpause(ref, signal);
  }

  async pause(ref: string, signal?: AbortSignal): Promise<void> {
    await this.#enter('pause', ref);
    return this.#inner.pause(ref, signal);
  }

  async stop(ref: string, signal?: AbortSignal): Promise<void> {
    await this.#enter('stop', ref);
    return this.#inner.stop(ref, signal);
  }

  create(ref: string, spec: ContainerSpec, signal?: AbortSignal): Promise<void> {
    return this.#inner.create(ref, spec, signal);
  }

  removeContainer(ref: string, signal?: AbortSignal): Promise<void> {
    return this.#inner.removeContainer(ref, signal);
  }

  specHash(ref: string, signal?: AbortSignal): Promise<string | null> {
    return this.#inner.specHash(ref, signal);
  }

  updateMemoryReservation(ref: string, bytes: number | null, signal?: AbortSignal): Promise<number | null> {
    return this.#inner.updateMemoryReservation(ref, bytes, signal);
  }

  listLabelled(label: string, signal?: AbortSignal): Promise<LabelledContainerInfo[]> {
    return this.#inner.listLabelled(label, signal);
  }

  listInstances(ref: string, signal?: AbortSignal): Promise<string[]> {
    return this.#inner.listInstances?.(ref, signal) ?? Promise.resolve([]);
  }

  stats(ref: string, signal?: AbortSignal): Promise<ContainerStats | null> {
    return this.#inner.stats(ref, signal);
  }

  async exec(ref: string, command: readonly string[], signal?: AbortSignal): Promise<ExecResult> {
    await this.#enter('exec', ref);
    return this.#inner.exec(ref, command, signal);
  }

  events(signal: AbortSignal): AsyncIterable<ContainerEvent> {
    return this.#inner.events(signal);
  }

  describeEndpoint(): string {
    return this.#inner.describeEndpoint();
  }

  async #enter(verb: CountedVerb, ref: string): Promise<void> {
    const key = `${verb} ${ref}`;
    this.#counts.set(key, (this.#counts.get(key) ?? 0) + 1);
    const gate = this.#gates.get(verb);
    if (gate === undefined) return;
    gate.waiting += 1;
    await gate.opened;
    if (gate.failure !== null) throw gate.failure;
  }
}
