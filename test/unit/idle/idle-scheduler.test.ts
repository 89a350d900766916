import { describe, expect, it } from 'vitest';
import type { TimerHandle } from '../../../src/clock.ts';
import { ServiceEntrySchema, type SleepPolicy } from '../../../src/config/services-schema.ts';
import { ActivityTracker } from '../../../src/idle/activity-tracker.ts';
import { IdleScheduler } from '../../../src/idle/idle-scheduler.ts';
import type { ActivitySnapshot, SleepTarget } from '../../../src/idle/sleep-target.ts';
import type { ServiceState } from '../../../src/lifecycle/service-handle.ts';
import { createLogger } from '../../../src/logging/logger.ts';
import { ManualClock } from '../../support/manual-clock.ts';

const S = 1000;
const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function policy(sleepPolicy: Record<string, unknown>): SleepPolicy {
  return ServiceEntrySchema.parse({ container: 'c', port: 80, sleep_policy: sleepPolicy }).sleep_policy;
}

/** A service as a ServiceController would present it, with scripted failures. */
class FakeTarget implements SleepTarget {
  readonly name: string;
  readonly policy: SleepPolicy;
  readonly tracker: ActivityTracker;
  readonly calls: string[] = [];
  current: ServiceState = 'RUNNING';
  since: number;
  inTransition = false;
  dependents = false;
  flapCount = 0;
  failures = 0;
  readonly #clock: ManualClock;

  constructor(name: string, sleepPolicy: SleepPolicy, clock: ManualClock, scheduler: IdleScheduler) {
    this.name = name;
    this.policy = sleepPolicy;
    this.#clock = clock;
    this.since = clock.now();
    this.tracker = new ActivityTracker(clock, () => scheduler.notify(name));
  }

  state(): ServiceState {
    return this.current;
  }
  transitionInFlight(): boolean {
    return this.inTransition;
  }
  activity(): ActivitySnapshot {
    return this.tracker.snapshot();
  }
  stateSince(): number {
    return this.since;
  }
  dependentsAwake(): boolean {
    return this.dependents;
  }
  flaps(): number {
    return this.flapCount;
  }
  async sleep(cause: 'idle'): Promise<void> {
    this.#record(`sleep:${cause}`);
    this.#enter(this.policy.mode === 'pause' ? 'SLEEPING' : 'STOPPED');
  }
  async stop(cause: 'max_sleep'): Promise<void> {
    this.#record(`stop:${cause}`);
    this.#enter('STOPPED');
  }
  #record(call: string): void {
    this.calls.push(call);
    if (this.failures > 0) {
      this.failures -= 1;
      throw new Error('docker pause failed');
    }
  }
  #enter(state: ServiceState): void {
    this.current = state;
    this.since = this.#clock.now();
  }
}

function setup(sleepPolicy: Record<string, unknown> = { idle_timeout: '60s' }) {
  const clock = new ManualClock();
  const logs: { level: number; msg: string; service?: string }[] = [];
  const logger = createLogger({ level: 'warn', destination: { write: (line: string) => logs.push(JSON.parse(line)) } });
  const scheduler = new IdleScheduler({ clock, logger });
  const target = new FakeTarget('api', policy(sleepPolicy), clock, scheduler);
  return { clock, logs, scheduler, target };
}

/** Advances the clock, then lets any sleep/stop the timers started settle. */
async function advance(clock: ManualClock, ms: number): Promise<void> {
  clock.advance(ms);
  await flush();
}

describe('IdleScheduler', () => {
  it('puts a service to sleep at the idle timeout, not before', async () => {
    const { clock, scheduler, target } = setup();
    scheduler.add(target);

    await advance(clock, 60 * S - 1);
    expect(target.calls).toEqual([]);

    await advance(clock, 1);
    expect(target.calls).toEqual(['sleep:idle']);
    expect(target.current).toBe('SLEEPING');
  });

  it('postpones sleep while a request is in flight at the deadline, then counts from its end', async () => {
    const { clock, scheduler, target } = setup();
    scheduler.add(target);
    await advance(clock, 10 * S);
    const release = target.tracker.track();

    await advance(clock, 80 * S);
    expect(target.calls).toEqual([]);

    release();
    await advance(clock, 60 * S - 1);
    expect(target.calls).toEqual([]);
    await advance(clock, 1);
    expect(target.calls).toEqual(['sleep:idle']);
  });

  it('stops a sleeping service after max_sleep_time', async () => {
    const { clock, scheduler, target } = setup({ idle_timeout: '60s', max_sleep_time: '2m' });
    scheduler.add(target);
    await advance(clock, 60 * S);
    expect(target.current).toBe('SLEEPING');

    await advance(clock, 120 * S - 1);
    expect(target.calls).toEqual(['sleep:idle']);

    await advance(clock, 1);
    expect(target.calls).toEqual(['sleep:idle', 'stop:max_sleep']);
    expect(target.current).toBe('STOPPED');
    expect(scheduler.pendingTimers()).toBe(0);
  });

  it('leaves a mode stop service alone once it is stopped', async () => {
    const { clock, scheduler, target } = setup({ idle_timeout: '60s', mode: 'stop', max_sleep_time: '1s' });
    scheduler.add(target);

    await advance(clock, 3600 * S);

    expect(target.calls).toEqual(['sleep:idle']);
    expect(target.current).toBe('STOPPED');
    expect(scheduler.pendingTimers()).toBe(0);
  });

  it('lengthens the idle timeout by the flaps the service reports', async () => {
    const { clock, scheduler, target } = setup();
    target.flapCount = 2;
    scheduler.add(target);

    await advance(clock, 240 * S - 1);
    expect(target.calls).toEqual([]);

    await advance(clock, 1);
    expect(target.calls).toEqual(['sleep:idle']);
  });

  it('keeps one timer per service, armed once, through 10,000 requests', async () => {
    const { clock, scheduler, target } = setup();
    const schedule = clock.setTimeout.bind(clock);
    let armed = 0;
    clock.setTimeout = (fn: () => void, delayMs: number): TimerHandle => {
      armed += 1;
      return schedule(fn, delayMs);
    };
    scheduler.add(target);

    for (let i = 0; i < 10_000; i += 1) {
      const release = target.tracker.track();
      clock.advance(1);
      release();
    }

    expect(scheduler.pendingTimers()).toBe(1);
    expect(armed).toBe(1);
    await advance(clock, 60 * S - 1);
    expect(target.calls).toEqual([]);
    await advance(clock, 10 * S);
    expect(target.calls).toEqual(['sleep:idle']);
  });

  it('does not sleep a service whose dependent is awake until notified otherwise', async () => {
    const { clock, scheduler, target } = setup();
    target.dependents = true;
    scheduler.add(target);
    await advance(clock, 600 * S);
    expect(target.calls).toEqual([]);
    expect(scheduler.pendingTimers()).toBe(0);

    target.dependents = false;
    scheduler.notify('api');
    await flush();

    expect(target.calls).toEqual(['sleep:idle']);
  });

  it('waits for a transition in flight to settle before deciding', async () => {
    const { clock, scheduler, target } = setup();
    target.inTransition = true;
    scheduler.add(target);
    await advance(clock, 600 * S);
    expect(target.calls).toEqual([]);

    target.inTransition = false;
    scheduler.notify('api');
    await flush();

    expect(target.calls).toEqual(['sleep:idle']);
  });

  it('never arms a timer for a service whose sleep is disabled', async () => {
    const { clock, scheduler, target } = setup({ priority: 'high' });
    scheduler.add(target);

    await advance(clock, 86_400 * S);

    expect(scheduler.pendingTimers()).toBe(0);
    expect(target.calls).toEqual([]);
  });

  it('logs a failed sleep once and retries it after a backoff', async () => {
    const { clock, logs, scheduler, target } = setup();
    target.failures = 1;
    scheduler.add(target);

    await advance(clock, 60 * S);
    expect(target.calls).toEqual(['sleep:idle']);
    expect(logs).toMatchObject([{ level: 40, service: 'api', msg: 'idle sleep failed', err: { message: 'docker pause failed' } }]);
    expect(target.current).toBe('RUNNING');

    await advance(clock, 1 * S - 1);
    expect(target.calls).toHaveLength(1);
    await advance(clock, 1);
    expect(target.calls).toEqual(['sleep:idle', 'sleep:idle']);
    expect(target.current).toBe('SLEEPING');
    expect(logs).toHaveLength(1);
  });

  it('keeps independent timers for independent services', () => {
    const { clock, scheduler, target } = setup();
    scheduler.add(target);
    scheduler.add(new FakeTarget('db', policy({ idle_timeout: '5m' }), clock, scheduler));

    expect(scheduler.pendingTimers()).toBe(2);
  });

  it('refuses to add the same service twice', () => {
    const { scheduler, target } = setup();
    scheduler.add(target);

    expect(() => scheduler.add(target)).toThrow('already scheduled');
  });

  it('cancels every timer on close and ignores later notifications', async () => {
    const { clock, scheduler, target } = setup();
    scheduler.add(target);
    expect(scheduler.pendingTimers()).toBe(1);

    scheduler.close();
    scheduler.notify('api');
    await advance(clock, 3600 * S);

    expect(scheduler.pendingTimers()).toBe(0);
    expect(clock.pendingTimers()).toBe(0);
    expect(target.calls).toEqual([]);
  });
});

describe('IdleScheduler.settled', () => {
  it('resolves only once a sleep it started has finished', async () => {
    const { clock, scheduler, target } = setup();
    const { promise, resolve } = Promise.withResolvers<void>();
    target.sleep = async () => {
      target.calls.push('sleep:idle');
      await promise;
      target.current = 'SLEEPING';
    };
    scheduler.add(target);
    await advance(clock, 60 * S);
    let done = false;
    const settled = scheduler.settled().then(() => (done = true));

    await flush();
    expect(done).toBe(false);
    resolve();
    await settled;

    expect(done).toBe(true);
    expect(target.calls).toEqual(['sleep:idle']);
  });
});

describe('IdleScheduler with a controller that declines to sleep', () => {
  it('retries after the backoff instead of looping when a sleep changes nothing', async () => {
    const { clock, scheduler, target } = setup();
    target.sleep = async () => {
      target.calls.push('sleep:idle');
    };
    scheduler.add(target);

    await advance(clock, 60 * S);
    await flush();
    expect(target.calls).toEqual(['sleep:idle']);
    expect(scheduler.pendingTimers()).toBe(1);

    await advance(clock, 1 * S);
    expect(target.calls).toEqual(['sleep:idle', 'sleep:idle']);
    await advance(clock, 2 * S - 1);
    expect(target.calls).toHaveLength(2);
    await advance(clock, 1);
    expect(target.calls).toHaveLength(3);
  });
});
