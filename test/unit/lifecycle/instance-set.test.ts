import { describe, expect, it } from 'vitest';
import { ServicesFileSchema } from '../../../src/config/services-schema.ts';
import { InstanceSet } from '../../../src/lifecycle/instance-set.ts';
import type { Upstream } from '../../../src/providers/container-provider.ts';
import { FakeProvider } from '../../support/fake-provider.ts';
import { ManualClock } from '../../support/manual-clock.ts';
import { captureLogs, FakeProbe, linesWith } from './lifecycle-fixtures.ts';

/** A clock whose timers fire a millisecond before their due time, as Node's may against Date.now(). */
class EarlyClock extends ManualClock {
  override setTimeout(fn: () => void, delayMs: number): ReturnType<ManualClock['setTimeout']> {
    return super.setTimeout(fn, delayMs > 1 ? delayMs - 1 : delayMs);
  }
}

function setup(clock: ManualClock = new ManualClock()) {
  const [config] = ServicesFileSchema.parse({
    services: { api: { containers: ['a', 'b', 'c'], port: 8080, circuit_breaker: { failures: 2, open_for: '1s' } } },
  });
  if (config === undefined) throw new Error('no config');
  const provider = new FakeProvider();
  provider.add('a', { state: 'running' });
  provider.add('b', { state: 'paused' });
  provider.add('c', { state: 'exited' });
  const probe = new FakeProbe();
  probe.ready = true;
  const { logger, lines } = captureLogs();
  let up = true;
  const set = new InstanceSet({ config, provider, clock, logger, probeFor: () => probe, serviceUp: () => up });
  const primary: Upstream = { host: provider.get('a').ip ?? '', port: 8080 };
  return { set, provider, clock, probe, lines, primary, setUp: (v: boolean) => (up = v) };
}

async function allJoined(world: ReturnType<typeof setup>): Promise<void> {
  world.set.primaryReady(world.primary);
  await world.set.settled();
}

describe('InstanceSet', () => {
  it('brings the others up behind a ready primary: unpauses the paused one, starts the stopped one', async () => {
    const world = setup();
    await allJoined(world);
    expect(world.provider.calls('unpause', 'b')).toBe(1);
    expect(world.provider.calls('start', 'c')).toBe(1);
    expect(world.set.snapshot().map((i) => [i.container, i.state, i.breaker])).toEqual([
      ['a', 'ready', 'closed'],
      ['b', 'ready', 'closed'],
      ['c', 'ready', 'closed'],
    ]);
  });

  it('does not bring an instance up once the service is no longer up', async () => {
    const world = setup();
    world.setUp(false);
    await allJoined(world);
    expect(world.set.snapshot().map((i) => i.state)).toEqual(['ready', 'down', 'down']);
  });

  it('picks the instance with the fewest in flight, round robin among equals', async () => {
    const world = setup();
    await allJoined(world);
    const first = world.set.pick(null);
    if (first === null) throw new Error('nothing picked');
    const end = world.set.begin(first);
    const next = [world.set.pick(null), world.set.pick(null), world.set.pick(null)].map((u) => u?.host);
    expect(next).not.toContain(first.host);
    end(false);
    expect(world.set.snapshot().every((i) => i.inFlight === 0)).toBe(true);
  });

  it('opens the breaker after consecutive unreachable exchanges and closes it after a passing trial probe', async () => {
    const world = setup();
    await allJoined(world);
    const b = world.set.snapshot()[1]?.upstream;
    if (!b) throw new Error('b has no upstream');
    world.set.begin(b)(true);
    expect(world.set.snapshot()[1]?.breaker).toBe('closed');
    world.set.begin(b)(true);
    expect(world.set.snapshot()[1]?.breaker).toBe('open');
    const picks = Array.from({ length: 6 }, () => world.set.pick(null)?.host);
    expect(picks).not.toContain(b.host);
    world.clock.advance(999);
    expect(world.set.snapshot()[1]?.breaker).toBe('open');
    world.clock.advance(1);
    await world.set.settled();
    expect(world.set.snapshot()[1]?.breaker).toBe('closed');
    expect(Array.from({ length: 3 }, () => world.set.pick(null)?.host)).toContain(b.host);
    expect(linesWith(world.lines(), 'instance breaker closed').map((l) => l['container'])).toEqual(['b']);
  });

  it('still runs the trial when its timer fires a millisecond early', async () => {
    const world = setup(new EarlyClock());
    await allJoined(world);
    const b = world.set.snapshot()[1]?.upstream;
    if (!b) throw new Error('b has no upstream');
    world.set.begin(b)(true);
    world.set.begin(b)(true);
    expect(world.set.snapshot()[1]?.breaker).toBe('open');
    world.clock.advance(1000);
    await world.set.settled();
    expect(world.set.snapshot()[1]?.breaker).toBe('closed');
  });

  it('keeps the breaker open while trial probes fail, trying again every open_for', async () => {
    const world = setup();
    await allJoined(world);
    const b = world.set.snapshot()[1]?.upstream;
    if (!b) throw new Error('b has no upstream');
    world.set.begin(b)(true);
    world.set.begin(b)(true);
    world.probe.ready = false;
    const before = world.probe.checked.length;
    world.clock.advance(1_000);
    await world.set.settled();
    expect(world.set.snapshot()[1]?.breaker).toBe('open');
    world.clock.advance(1_000);
    await world.set.settled();
    expect(world.probe.checked.length - before).toBe(2);
    world.probe.ready = true;
    world.clock.advance(1_000);
    await world.set.settled();
    expect(world.set.snapshot()[1]?.breaker).toBe('closed');
  });

  it('a response resets the count: failures must be consecutive', async () => {
    const world = setup();
    await allJoined(world);
    const b = world.set.snapshot()[1]?.upstream;
    if (!b) throw new Error('b has no upstream');
    world.set.begin(b)(true);
    world.set.begin(b)(false);
    world.set.begin(b)(true);
    expect(world.set.snapshot()[1]?.breaker).toBe('closed');
  });

  it('falls back to the given upstream when no instance is eligible', () => {
    const world = setup();
    const fallback = { host: '10.0.0.9', port: 1 };
    expect(world.set.pick(fallback)).toBe(fallback);
  });

  it('takes the others down with the service, and leaves the primary to the controller', async () => {
    const world = setup();
    await allJoined(world);
    await world.set.takeDown('pause');
    expect(world.provider.get('b').state).toBe('paused');
    expect(world.provider.get('c').state).toBe('paused');
    expect(world.provider.calls('pause', 'a')).toBe(0);
    expect(world.set.snapshot().map((i) => i.state)).toEqual(['ready', 'down', 'down']);
  });

  it('an instance seen stopped leaves the rotation; seen running again, it rejoins', async () => {
    const world = setup();
    await allJoined(world);
    world.provider.set('c', { state: 'exited' });
    world.set.hint('c');
    await world.set.settled();
    expect(world.set.snapshot()[2]?.state).toBe('down');
    world.provider.set('c', { state: 'running' });
    world.set.hint('c');
    await world.set.settled();
    expect(world.set.snapshot()[2]?.state).toBe('ready');
  });
});
