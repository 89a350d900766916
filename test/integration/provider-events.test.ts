import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.ts';
import { createSilentLogger } from '../../src/logging/logger.ts';
import type { ContainerEvent } from '../../src/providers/container-provider.ts';
import { DockerProvider } from '../../src/providers/docker/docker-provider.ts';
import { bridgeIp, createBackend, ensureBackendImage, testDocker, type Backend } from '../support/docker-fixture.ts';
import { eventually } from '../support/eventually.ts';

const provider = new DockerProvider({ logger: createSilentLogger(), clock: systemClock });
const created: Backend[] = [];

/** Collects events in the background until the returned `stop()`; `done` settles when iteration ends. */
function collectEvents(): { events: ContainerEvent[]; stop(): void; done: Promise<void> } {
  const controller = new AbortController();
  const events: ContainerEvent[] = [];
  const done = (async () => {
    for await (const event of provider.events(controller.signal)) events.push(event);
  })();
  return { events, stop: () => controller.abort(), done };
}

/** Waits until the event stream is live: a throwaway container's start shows up on it. */
async function untilLive(events: readonly ContainerEvent[]): Promise<void> {
  const probe = await createBackend({ name: 'wp-events-probe' });
  created.push(probe);
  await eventually(() => expect(events.some((e) => e.id === probe.id && e.action === 'start')).toBe(true), {
    timeoutMs: 10_000,
  });
}

beforeAll(async () => {
  await ensureBackendImage();
});

afterEach(async () => {
  await Promise.all(created.splice(0).map((c) => c.remove()));
});

describe('DockerProvider.events', () => {
  it('sees start, pause, unpause and die with the exit code for a real container', async () => {
    const watch = collectEvents();
    try {
      await untilLive(watch.events);
      const subject = await createBackend({ name: 'wp-events', labels: { 'com.docker.compose.service': 'events-web' } });
      created.push(subject);
      const container = testDocker().getContainer(subject.id);
      await container.pause();
      await container.unpause();
      const ip = await bridgeIp(subject.id);
      await eventually(() => fetch(`http://${ip}:8080/crash?code=7`, { signal: AbortSignal.timeout(2000) }).then((res) => res.text()), { timeoutMs: 10_000 });

      const mine = (): ContainerEvent[] => watch.events.filter((e) => e.id === subject.id);
      await eventually(() => expect(mine().map((e) => e.action)).toContain('die'), { timeoutMs: 10_000 });
      expect(mine().map((e) => e.action)).toEqual(['create', 'start', 'pause', 'unpause', 'die']);
      const die = mine().find((e) => e.action === 'die');
      expect(die).toMatchObject({ name: subject.name, composeService: 'events-web' });
      expect(die?.exitCode).toBe(7);
      expect(die?.time).toBeGreaterThan(Date.now() - 60_000);
    } finally {
      watch.stop();
    }
    await watch.done;
  });

  it('stops yielding and ends when the signal aborts', async () => {
    const watch = collectEvents();
    await untilLive(watch.events);
    watch.stop();
    await watch.done;
    const seen = watch.events.length;
    const after = await createBackend({ name: 'wp-events-after' });
    created.push(after);
    await eventually(async () => expect((await testDocker().getContainer(after.id).inspect()).State.Running).toBe(true));
    expect(watch.events.length).toBe(seen);
  });

  it('keeps retrying an unreachable engine with backoff until the signal aborts', async () => {
    const controller = new AbortController();
    const delays: number[] = [];
    const offline = new DockerProvider({
      dockerHost: 'unix:///nonexistent.sock',
      logger: createSilentLogger(),
      clock: systemClock,
      eventsBackoff: (attempt) => {
        delays.push(attempt);
        if (delays.length === 3) controller.abort();
        return 1;
      },
    });
    const events: ContainerEvent[] = [];
    for await (const event of offline.events(controller.signal)) events.push(event);
    expect(events).toEqual([]);
    expect(delays).toEqual([0, 1, 2]);
  });
});
