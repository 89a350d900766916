import { describe, expect, it } from 'vitest';
import type { Clock } from '../../../../src/clock.ts';
import { createLogger } from '../../../../src/logging/logger.ts';
import type { ContainerEvent } from '../../../../src/providers/container-provider.ts';
import {
  defaultEventsBackoff,
  watchContainerEvents,
  type OpenEventStream,
} from '../../../../src/providers/docker/docker-events.ts';

/** A clock whose sleeps resolve at once and are recorded, so backoff is observable without waiting. */
function recordingClock(onSleep: (sleeps: readonly number[]) => void = () => undefined): Clock & { readonly sleeps: number[] } {
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => 0,
    setTimeout: () => ({ cancel: () => undefined }),
    sleep: (ms, signal) => {
      sleeps.push(ms);
      onSleep(sleeps);
      return signal?.aborted ? Promise.reject(signal.reason) : Promise.resolve();
    },
  };
}

function capturingLogger(): { logger: ReturnType<typeof createLogger>; lines: () => Array<{ level: number; msg: string }> } {
  const written: string[] = [];
  const logger = createLogger({ level: 'debug', destination: { write: (line: string) => void written.push(line) } });
  return { logger, lines: () => written.map((l) => JSON.parse(l) as { level: number; msg: string }) };
}

function line(action: string, id: string, timeNano: bigint): string {
  const seconds = timeNano / 1_000_000_000n;
  return `{"Type":"container","Action":"${action}","Actor":{"ID":"${id}","Attributes":{"name":"${id}"}},"time":${seconds},"timeNano":${timeNano}}\n`;
}

async function* chunks(...parts: string[]): AsyncGenerator<string> {
  yield* parts;
}

async function* hangUntilAborted(signal: AbortSignal): AsyncGenerator<string> {
  signal.throwIfAborted();
  await new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
}

/** Opens the scripted connections in turn; the last one hangs until the signal aborts. */
function scripted(connections: Array<(() => AsyncIterable<string>) | Error>): { open: OpenEventStream; sinces: Array<number | undefined> } {
  const sinces: Array<number | undefined> = [];
  const open: OpenEventStream = async (since, signal) => {
    sinces.push(since);
    const next = connections.shift();
    if (next === undefined) return hangUntilAborted(signal);
    if (next instanceof Error) throw next;
    return next();
  };
  return { open, sinces };
}

async function take(iterable: AsyncIterable<ContainerEvent>, count: number): Promise<ContainerEvent[]> {
  const taken: ContainerEvent[] = [];
  for await (const event of iterable) {
    taken.push(event);
    if (taken.length === count) break;
  }
  return taken;
}

const T0 = 1_795_430_006_000_000_000n;

describe('watchContainerEvents', () => {
  it('yields events whose lines were split across chunks', async () => {
    const whole = line('start', 'a', T0) + line('pause', 'a', T0 + 1n);
    const { open } = scripted([() => chunks(whole.slice(0, 30), whole.slice(30, 200), whole.slice(200))]);
    const { logger } = capturingLogger();
    const signal = new AbortController().signal;
    const events = await take(watchContainerEvents({ open, signal, clock: recordingClock(), logger }), 2);
    expect(events.map((e) => e.action)).toEqual(['start', 'pause']);
  });

  it('reconnects from the last event second, asks for a resync, and skips events it already delivered', async () => {
    const { open, sinces } = scripted([
      () => chunks(line('start', 'a', T0 + 5n)),
      () => chunks(line('start', 'a', T0 + 5n), line('die', 'a', T0 + 9n)),
    ]);
    const { logger } = capturingLogger();
    const signal = new AbortController().signal;
    const events = await take(watchContainerEvents({ open, signal, clock: recordingClock(), logger }), 3);
    expect(events.map((e) => e.action)).toEqual(['start', 'resync', 'die']);
    expect(sinces).toEqual([undefined, Number(T0 / 1_000_000_000n)]);
  });

  it('waits longer after each failed attempt and starts over once connected', async () => {
    const down = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const { open } = scripted([down, down, down, () => chunks(line('start', 'a', T0)), down]);
    const controller = new AbortController();
    const clock = recordingClock((sleeps) => sleeps.length === 5 && controller.abort());
    const { logger, lines } = capturingLogger();
    const events: ContainerEvent[] = [];
    for await (const event of watchContainerEvents({ open, signal: controller.signal, clock, logger, backoff: (n) => 10 * (n + 1) })) {
      events.push(event);
    }
    expect(events.map((e) => e.action)).toEqual(['resync', 'start']);
    expect(clock.sleeps).toEqual([10, 20, 30, 10, 20]);
    const messages = lines().map((l) => l.msg);
    expect(messages.filter((m) => m === 'event stream lost')).toHaveLength(1);
    expect(messages.filter((m) => m === 'event stream reconnected')).toHaveLength(1);
    expect(messages.filter((m) => m === 'event stream ended')).toHaveLength(1);
  });

  it('ends without error when the signal aborts while the stream is open', async () => {
    const { open } = scripted([]);
    const controller = new AbortController();
    const { logger } = capturingLogger();
    const iteration = take(watchContainerEvents({ open, signal: controller.signal, clock: recordingClock(), logger }), 1);
    controller.abort();
    await expect(iteration).resolves.toEqual([]);
  });

  it('never opens a stream when the signal has already aborted', async () => {
    const { open, sinces } = scripted([]);
    const controller = new AbortController();
    controller.abort();
    const { logger } = capturingLogger();
    await expect(take(watchContainerEvents({ open, signal: controller.signal, clock: recordingClock(), logger }), 1)).resolves.toEqual([]);
    expect(sinces).toEqual([]);
  });
});

describe('defaultEventsBackoff', () => {
  it('starts at 100 ms and doubles up to 5 s', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 10].map(defaultEventsBackoff)).toEqual([100, 200, 400, 800, 1600, 3200, 5000, 5000]);
  });
});
