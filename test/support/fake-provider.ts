/**
 * An in-memory ContainerProvider for unit tests. Verbs behave like the Docker adapter promises
 * (idempotent; start of a paused container unpauses; stop works on a paused one; a missing
 * container is `missing` on inspect and ContainerNotFoundError on other verbs), and emit the events
 * Docker would, synchronously, before the verb's promise resolves (Docker's `pause` event can
 * arrive before the API call returns). Tests script each verb per container: hold it at a gate,
 * fail it, or delay it on an injected clock; and they can act on a container "by hand".
 */
import type { Clock } from '../../src/clock.ts';
import { ContainerNotFoundError, ProviderOperationError } from '../../src/errors.ts';
import type {
  ContainerEvent,
  ContainerProvider,
  ContainerRunState,
  ContainerSpec,
  ContainerStats,
  ContainerStatus,
  LabelledContainerInfo,
  ExecResult,
} from '../../src/providers/container-provider.ts';

/** The verbs a test can script and count. */
export type FakeVerb = 'inspect' | 'start' | 'unpause' | 'pause' | 'stop' | 'exec';

/** A fake container; tests read it and may change it through `set`. */
export interface FakeContainer {
  readonly id: string;
  readonly name: string;
  readonly composeService: string | null;
  readonly state: ContainerRunState;
  readonly exitCode: number | null;
  readonly oomKilled: boolean;
  /** Its address while running or paused; a new one after every start. */
  readonly ip: string | null;
}

/** A call held until the test opens (or fails) the gate; `entered` resolves when a call reaches it. */
export class Gate {
  readonly entered: Promise<void>;
  readonly #entered = Promise.withResolvers<void>();
  readonly #released = Promise.withResolvers<void>();

  constructor() {
    this.entered = this.#entered.promise;
  }

  /** Lets the held call proceed. */
  open(): void {
    this.#released.resolve();
  }

  /** Makes the held call reject with `err`. */
  fail(err: Error): void {
    this.#released.reject(err);
  }

  /** Used by the provider: marks the call as arrived and waits for the test. */
  pass(): Promise<void> {
    this.#entered.resolve();
    return this.#released.promise;
  }
}

type Step = { readonly gate: Gate } | { readonly error: Error };

/** In-memory ContainerProvider; see the module header. */
export class FakeProvider implements ContainerProvider {
  readonly #clock: Clock | null;
  readonly #containers = new Map<string, FakeContainer>();
  readonly #steps = new Map<string, Step[]>();
  readonly #delays = new Map<string, number>();
  readonly #stats = new Map<string, ContainerStats>();
  readonly #labels = new Map<string, Record<string, string>>();
  readonly #execResults = new Map<string, (command: readonly string[]) => ExecResult>();
  readonly #calls = new Map<string, number>();
  readonly #listeners = new Set<(event: ContainerEvent) => void>();
  readonly #streamWakers = new Set<() => void>();
  #ids = 0;
  #ips = 1;
  #streamError: Error | null = null;

  constructor(options: { clock?: Clock } = {}) {
    this.#clock = options.clock ?? null;
  }

  /** Adds a container (default state `exited`); a running or paused one gets an address. */
  add(name: string, init: { state?: ContainerRunState; composeService?: string; exitCode?: number } = {}): FakeContainer {
    const state = init.state ?? 'exited';
    const container: FakeContainer = {
      id: `id-${name}-${++this.#ids}`,
      name,
      composeService: init.composeService ?? null,
      state,
      exitCode: init.exitCode ?? (state === 'exited' ? 0 : null),
      oomKilled: false,
      ip: state === 'running' || state === 'paused' ? this.#nextIp() : null,
    };
    this.#containers.set(name, container);
    return container;
  }

  /** The container now. */
  get(name: string): FakeContainer {
    const c = this.#containers.get(name);
    if (c === undefined) throw new Error(`no fake container ${name}`);
    return c;
  }

  /** Changes a container silently (no event): what only an inspect would notice. */
  set(name: string, patch: Partial<Omit<FakeContainer, 'name'>>): void {
    this.#containers.set(name, { ...this.get(name), ...patch });
  }

  /** Removes a container silently. */
  remove(name: string): void {
    this.#containers.delete(name);
  }

  /** How many times `verb` was called, for one container or in all. */
  calls(verb: FakeVerb, name?: string): number {
    if (name !== undefined) return this.#calls.get(`${verb}:${name}`) ?? 0;
    let total = 0;
    for (const [key, n] of this.#calls) if (key.startsWith(`${verb}:`)) total += n;
    return total;
  }

  /** Holds the next call of `verb` on `name` until the returned gate opens. */
  gate(verb: FakeVerb, name: string): Gate {
    const gate = new Gate();
    this.#script(verb, name, { gate });
    return gate;
  }

  /** Makes the next call of `verb` on `name` reject with `error` (after a gate scripted earlier). */
  failNext(verb: FakeVerb, name: string, error: Error): void {
    this.#script(verb, name, { error });
  }

  /** Every call of `verb` on `name` takes `ms` on the injected clock. */
  delay(verb: FakeVerb, name: string, ms: number): void {
    this.#delays.set(`${verb}:${name}`, ms);
  }

  /** What `exec` in `name` answers while the container runs (default: exit 0, no output). */
  execAnswers(name: string, answer: (command: readonly string[]) => ExecResult): void {
    this.#execResults.set(name, answer);
  }

  /** The container crashes: exited with `exitCode`, and a `die` event unless `silent`. */
  crash(name: string, exitCode: number, options: { oomKilled?: boolean; silent?: boolean } = {}): void {
    this.set(name, { state: 'exited', exitCode, oomKilled: options.oomKilled ?? false, ip: null });
    if (!options.silent) this.emit(name, 'die', exitCode);
  }

  /** Someone acts on the container by hand (docker start/pause/unpause/stop): state and events change. */
  byHand(name: string, verb: 'start' | 'pause' | 'unpause' | 'stop'): void {
    this.#apply(this.get(name), verb);
  }

  /** Pushes an event about `name` to every listener and stream. */
  emit(name: string, action: ContainerEvent['action'], exitCode: number | null = null): void {
    const c = this.#containers.get(name);
    const event: ContainerEvent = {
      action,
      id: c?.id ?? `id-${name}`,
      name,
      composeService: c?.composeService ?? null,
      exitCode,
      time: this.#clock?.now() ?? 0,
    };
    this.push(event);
  }

  /** Pushes a hand-made event to every listener and stream. */
  push(event: ContainerEvent): void {
    for (const listener of this.#listeners) listener(event);
  }

  /** Calls `listener` synchronously for every event; returns the unsubscribe function. */
  subscribe(listener: (event: ContainerEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Makes every open and future events stream throw `error`. */
  breakEvents(error: Error): void {
    this.#streamError = error;
    for (const wake of this.#streamWakers) wake();
  }

  async inspect(ref: string, port: number | null, signal?: AbortSignal): Promise<ContainerStatus> {
    await this.#before('inspect', ref, signal);
    const c = this.#find(ref);
    if (c === undefined) return missing(ref);
    const running = c.state === 'running' || c.state === 'paused';
    return {
      id: c.id,
      name: c.name,
      state: c.state,
      health: 'none',
      exitCode: running ? null : c.exitCode,
      oomKilled: c.oomKilled,
      startedAt: null,
      upstream: running && c.ip !== null && port !== null ? { host: c.ip, port } : null,
    };
  }

  /** Stats as the real adapter reports them: null unless running; figures set with setStats(). */
  async stats(ref: string, signal?: AbortSignal): Promise<ContainerStats | null> {
    signal?.throwIfAborted();
    const c = this.#find(ref);
    if (c === undefined || c.state !== 'running') return null;
    return this.#stats.get(c.name) ?? { memoryBytes: 0, memoryLimitBytes: 0, cpuSeconds: 0 };
  }

  /** Containers whose `label` is `true` (set with setLabels()), like the real adapter. */
  async listLabelled(label: string, signal?: AbortSignal): Promise<LabelledContainerInfo[]> {
    signal?.throwIfAborted();
    return [...this.#labels]
      .filter(([name, labels]) => this.#containers.has(name) && labels[label] === 'true')
      .map(([name, labels]) => ({ id: this.get(name).id, name, labels }));
  }

  /** The labels of a container, for listLabelled(). */
  setLabels(name: string, labels: Record<string, string>): void {
    this.#labels.set(name, labels);
  }

  /** Specs of containers made by create(), by name. */
  readonly created = new Map<string, ContainerSpec>();

  /** Creates an `exited`-free, `created` container with the spec's hash, like the real adapter. */
  async create(ref: string, spec: ContainerSpec, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    if (this.#find(ref) !== undefined) throw new ProviderOperationError('create', ref, 'name already in use');
    this.add(ref, { state: 'created' });
    this.created.set(ref, spec);
  }

  /** Removes a stopped container; a running one is refused, as Docker does without force. */
  async removeContainer(ref: string, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    const c = this.#find(ref);
    if (c === undefined) return;
    if (c.state === 'running' || c.state === 'paused') throw new ProviderOperationError('remove', ref, 'container is running');
    this.#containers.delete(c.name);
    this.created.delete(c.name);
  }

  /** The hash of the spec a container was created from (see create()), or null. */
  async specHash(ref: string): Promise<string | null> {
    const c = this.#find(ref);
    return c === undefined ? null : (this.created.get(c.name)?.hash ?? null);
  }

  /** Reservations set with updateMemoryReservation(), by container. */
  readonly reservations = new Map<string, number | null>();

  /** Keeps the reservation, like the real adapter; a missing container is refused the same way. */
  async updateMemoryReservation(ref: string, bytes: number | null, signal?: AbortSignal): Promise<number | null> {
    signal?.throwIfAborted();
    const c = this.#find(ref);
    if (c === undefined) throw new ContainerNotFoundError(ref);
    const before = this.reservations.get(c.name) ?? null;
    this.reservations.set(c.name, bytes);
    return before;
  }

  /** The figures stats() reports for a running container. */
  setStats(name: string, stats: ContainerStats): void {
    this.#stats.set(name, stats);
  }

  /** Like Docker: a missing container is ContainerNotFoundError, one that is not running is refused (409). */
  async exec(ref: string, command: readonly string[], signal?: AbortSignal): Promise<ExecResult> {
    await this.#before('exec', ref, signal);
    const c = this.#find(ref);
    if (c === undefined) throw new ContainerNotFoundError(ref);
    if (c.state !== 'running') throw new ProviderOperationError('exec', c.name, `container ${c.name} is not running`);
    return this.#execResults.get(c.name)?.(command) ?? { exitCode: 0, output: '' };
  }

  start(ref: string, signal?: AbortSignal): Promise<void> {
    return this.#verb('start', ref, signal);
  }

  unpause(ref: string, signal?: AbortSignal): Promise<void> {
    return this.#verb('unpause', ref, signal);
  }

  pause(ref: string, signal?: AbortSignal): Promise<void> {
    return this.#verb('pause', ref, signal);
  }

  stop(ref: string, signal?: AbortSignal): Promise<void> {
    return this.#verb('stop', ref, signal);
  }

  async *events(signal: AbortSignal): AsyncIterable<ContainerEvent> {
    const queue: ContainerEvent[] = [];
    let wakeUp: (() => void) | null = null;
    const unsubscribe = this.subscribe((event) => {
      queue.push(event);
      wakeUp?.();
    });
    const onAbort = (): void => wakeUp?.();
    signal.addEventListener('abort', onAbort, { once: true });
    this.#streamWakers.add(onAbort);
    try {
      while (!signal.aborted) {
        if (this.#streamError) throw this.#streamError;
        const next = queue.shift();
        if (next !== undefined) yield next;
        else await new Promise<void>((resolve) => (wakeUp = resolve));
        wakeUp = null;
      }
    } finally {
      unsubscribe();
      this.#streamWakers.delete(onAbort);
      signal.removeEventListener('abort', onAbort);
    }
  }

  describeEndpoint(): string {
    return 'fake://provider';
  }

  async #verb(verb: Exclude<FakeVerb, 'inspect' | 'exec'>, ref: string, signal: AbortSignal | undefined): Promise<void> {
    await this.#before(verb, ref, signal);
    const c = this.#find(ref);
    if (c === undefined) throw new ContainerNotFoundError(ref);
    this.#apply(c, verb);
  }

  #apply(c: FakeContainer, verb: Exclude<FakeVerb, 'inspect' | 'exec'>): void {
    if (verb === 'start' && c.state === 'paused') verb = 'unpause';
    if (verb === 'start' && c.state !== 'running') {
      this.set(c.name, { state: 'running', exitCode: null, oomKilled: false, ip: this.#nextIp() });
      this.emit(c.name, 'start');
    } else if (verb === 'unpause' && c.state === 'paused') {
      this.set(c.name, { state: 'running' });
      this.emit(c.name, 'unpause');
    } else if (verb === 'pause' && c.state === 'running') {
      this.set(c.name, { state: 'paused' });
      this.emit(c.name, 'pause');
    } else if (verb === 'pause' && c.state !== 'paused') {
      throw new ProviderOperationError('pause', c.name, `container is ${c.state}`);
    } else if (verb === 'stop' && (c.state === 'running' || c.state === 'paused')) {
      this.set(c.name, { state: 'exited', exitCode: 0, ip: null });
      this.emit(c.name, 'die', 0);
      this.emit(c.name, 'stop');
    }
  }

  async #before(verb: FakeVerb, ref: string, signal: AbortSignal | undefined): Promise<void> {
    const key = `${verb}:${ref}`;
    this.#calls.set(key, (this.#calls.get(key) ?? 0) + 1);
    const step = this.#steps.get(key)?.shift();
    if (step !== undefined && 'gate' in step) await abortable(step.gate.pass(), signal);
    if (step !== undefined && 'error' in step) throw step.error;
    const delayMs = this.#delays.get(key);
    if (delayMs !== undefined) {
      if (this.#clock === null) throw new Error('FakeProvider.delay needs a clock');
      await this.#clock.sleep(delayMs, signal);
    }
  }

  #script(verb: FakeVerb, name: string, step: Step): void {
    const key = `${verb}:${name}`;
    this.#steps.set(key, [...(this.#steps.get(key) ?? []), step]);
  }

  #find(ref: string): FakeContainer | undefined {
    return this.#containers.get(ref) ?? [...this.#containers.values()].find((c) => c.composeService === ref);
  }

  #nextIp(): string {
    return `172.18.0.${++this.#ips}`;
  }
}

function missing(ref: string): ContainerStatus {
  return { id: '', name: ref, state: 'missing', health: 'none', exitCode: null, oomKilled: false, startedAt: null, upstream: null };
}

function abortable(promise: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (signal === undefined) return promise;
  signal.throwIfAborted();
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
