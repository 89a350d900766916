import { describe, expect, it } from 'vitest';
import { ServiceEntrySchema } from '../../../src/config/services-schema.ts';
import {
  decideSleep,
  effectiveIdleTimeoutMs,
  flapsAfterWake,
  nextSleepAt,
  type EndedSleep,
  type SleepDecision,
  type SleepDecisionInput,
} from '../../../src/idle/idle-decision.ts';

const NOW = 1_700_000_000_000;
const S = 1000;

/** A sleep policy exactly as services.yml would produce it. */
function policy(sleepPolicy: Record<string, unknown> = {}) {
  return ServiceEntrySchema.parse({ container: 'c', port: 80, sleep_policy: sleepPolicy }).sleep_policy;
}

/** A RUNNING service, up for an hour, idle for `idleMs`, nothing in flight. */
function input(overrides: Partial<SleepDecisionInput> & { idleMs?: number } = {}): SleepDecisionInput {
  const { idleMs = 0, ...rest } = overrides;
  return {
    state: 'RUNNING',
    transitionInFlight: false,
    activity: { inFlight: 0, lastActivityAt: NOW - idleMs },
    stateSince: NOW - 3600 * S,
    dependentsAwake: false,
    policy: policy({ idle_timeout: '60s' }),
    flaps: 0,
    cpuCores: null,
    now: NOW,
    ...rest,
  };
}

const NONE: SleepDecision = { action: 'none' };
const SLEEP: SleepDecision = { action: 'sleep' };
const STOP: SleepDecision = { action: 'stop' };
const waitUntil = (at: number): SleepDecision => ({ action: 'wait', at });

describe('decideSleep with idle_cpu_threshold', () => {
  const busyPolicy = policy({ idle_timeout: '60s', idle_cpu_threshold: 0.1 });

  it.each<[string, Partial<SleepDecisionInput> & { idleMs?: number }, SleepDecision]>([
    ['holds a due sleep back while CPU use is above the threshold', { idleMs: 61 * S, policy: busyPolicy, cpuCores: 0.5 }, { action: 'wait', at: NOW + 15 * S, reason: 'cpu' }],
    ['sleeps once CPU use is at or below it', { idleMs: 61 * S, policy: busyPolicy, cpuCores: 0.1 }, SLEEP],
    ['lets requests decide when nothing was sampled yet', { idleMs: 61 * S, policy: busyPolicy, cpuCores: null }, SLEEP],
    ['ignores CPU use without a threshold', { idleMs: 61 * S, cpuCores: 4 }, SLEEP],
    ['does not look at CPU before the idle timeout', { idleMs: 10 * S, policy: busyPolicy, cpuCores: 4 }, waitUntil(NOW + 50 * S)],
  ])('%s', (_name, overrides, expected) => {
    expect(decideSleep(input(overrides))).toEqual(expected);
  });
});

describe('decideSleep', () => {
  it.each<[string, SleepDecisionInput, SleepDecision]>([
    // RUNNING, idle timeout
    ['waits for the idle timeout of a service just used', input({ idleMs: 0 }), waitUntil(NOW + 60 * S)],
    ['waits for the rest of the idle timeout', input({ idleMs: 45 * S }), waitUntil(NOW + 15 * S)],
    ['sleeps exactly at the idle timeout', input({ idleMs: 60 * S }), SLEEP],
    ['sleeps past the idle timeout', input({ idleMs: 600 * S }), SLEEP],
    ['uses 300 s by default (priority normal)', input({ idleMs: 61 * S, policy: policy() }), waitUntil(NOW + 239 * S)],
    ['uses 60 s by default for priority low', input({ idleMs: 61 * S, policy: policy({ priority: 'low' }) }), SLEEP],
    ['lets an explicit idle_timeout override priority low', input({ idleMs: 61 * S, policy: policy({ priority: 'low', idle_timeout: '2m' }) }), waitUntil(NOW + 59 * S)],
    ['sleeps a mode stop service the same way (the controller stops it)', input({ idleMs: 61 * S, policy: policy({ mode: 'stop', idle_timeout: 60 }) }), SLEEP],
    // RUNNING, guards
    ['never sleeps priority high', input({ idleMs: 86_400 * S, policy: policy({ priority: 'high' }) }), NONE],
    ['never sleeps when disabled', input({ idleMs: 86_400 * S, policy: policy({ enabled: false }) }), NONE],
    ['does nothing while a transition is in flight', input({ idleMs: 600 * S, transitionInFlight: true }), NONE],
    ['does nothing while work is in flight', input({ idleMs: 600 * S, activity: { inFlight: 1, lastActivityAt: NOW - 600 * S } }), NONE],
    ['does nothing while a dependent is awake', input({ idleMs: 600 * S, dependentsAwake: true }), NONE],
    // RUNNING, min_uptime
    ['waits for min_uptime after a wake even when idle long enough', input({ idleMs: 30 * S, stateSince: NOW - 10 * S, policy: policy({ idle_timeout: '5s', min_uptime: '1m' }) }), waitUntil(NOW + 50 * S)],
    ['sleeps once min_uptime and the idle timeout have both passed', input({ idleMs: 30 * S, stateSince: NOW - 60 * S, policy: policy({ idle_timeout: '5s', min_uptime: '1m' }) }), SLEEP],
    ['lets the idle timeout win when it ends after min_uptime', input({ idleMs: 0, stateSince: NOW - 10 * S, policy: policy({ idle_timeout: '60s', min_uptime: '20s' }) }), waitUntil(NOW + 60 * S)],
    // RUNNING, flap damping: the idle timeout doubles per flap, up to 8x
    ['doubles the idle timeout after one flap', input({ idleMs: 0, flaps: 1 }), waitUntil(NOW + 120 * S)],
    ['does not sleep at the plain idle timeout after one flap', input({ idleMs: 60 * S, flaps: 1 }), waitUntil(NOW + 60 * S)],
    ['sleeps at twice the idle timeout after one flap', input({ idleMs: 120 * S, flaps: 1 }), SLEEP],
    ['quadruples the idle timeout after two flaps', input({ idleMs: 0, flaps: 2 }), waitUntil(NOW + 240 * S)],
    ['multiplies the idle timeout by 8 after three flaps', input({ idleMs: 0, flaps: 3 }), waitUntil(NOW + 480 * S)],
    ['caps the idle timeout at 8x however many flaps', input({ idleMs: 480 * S, flaps: 9 }), SLEEP],
    ['still waits for min_uptime when it ends after the damped timeout', input({ idleMs: 0, stateSince: NOW, flaps: 1, policy: policy({ idle_timeout: '10s', min_uptime: '1m' }) }), waitUntil(NOW + 60 * S)],
    ['does not damp max_sleep_time', input({ state: 'SLEEPING', flaps: 3, stateSince: NOW - 1800 * S, policy: policy({ max_sleep_time: '30m' }) }), STOP],
    // SLEEPING, max_sleep_time
    ['never stops a sleeping service without max_sleep_time', input({ state: 'SLEEPING', stateSince: NOW - 86_400 * S }), NONE],
    ['waits for max_sleep_time', input({ state: 'SLEEPING', stateSince: NOW - 10 * S, policy: policy({ max_sleep_time: '30m' }) }), waitUntil(NOW + 1790 * S)],
    ['stops exactly at max_sleep_time', input({ state: 'SLEEPING', stateSince: NOW - 1800 * S, policy: policy({ max_sleep_time: '30m' }) }), STOP],
    ['stops past max_sleep_time', input({ state: 'SLEEPING', stateSince: NOW - 7200 * S, policy: policy({ max_sleep_time: '30m' }) }), STOP],
    ['counts max_sleep_time from the state change, not from the last activity', input({ state: 'SLEEPING', idleMs: 10, stateSince: NOW - 1800 * S, policy: policy({ max_sleep_time: '30m' }) }), STOP],
    ['does not stop a sleeping service that is waking', input({ state: 'SLEEPING', transitionInFlight: true, stateSince: NOW - 7200 * S, policy: policy({ max_sleep_time: '30m' }) }), NONE],
    ['does not stop a sleeping service with work still counted', input({ state: 'SLEEPING', activity: { inFlight: 1, lastActivityAt: 0 }, stateSince: NOW - 7200 * S, policy: policy({ max_sleep_time: '30m' }) }), NONE],
    ['does not stop a sleeping service under an awake dependent', input({ state: 'SLEEPING', dependentsAwake: true, stateSince: NOW - 7200 * S, policy: policy({ max_sleep_time: '30m' }) }), NONE],
    ['does not stop a sleeping service whose sleep is disabled', input({ state: 'SLEEPING', stateSince: NOW - 7200 * S, policy: policy({ enabled: false, max_sleep_time: '30m' }) }), NONE],
    // STOPPED
    ['does nothing for a stopped service', input({ state: 'STOPPED', idleMs: 86_400 * S, policy: policy({ max_sleep_time: '1s' }) }), NONE],
  ])('%s', (_name, given, expected) => {
    expect(decideSleep(given)).toEqual(expected);
  });
});

/** An idle sleep (min_sleep_time 60 s) ended by a request `sleptMs` after it began, with no earlier flap. */
function ended(sleptMs: number, overrides: Partial<EndedSleep> = {}): EndedSleep {
  return { flaps: 0, sleptAt: NOW - sleptMs, sleepCause: 'idle', wakeCause: 'request', minSleepTimeMs: 60 * S, now: NOW, ...overrides };
}

describe('flapsAfterWake', () => {
  it.each<[string, EndedSleep, number]>([
    ['counts a request wake 10 s after an idle sleep as a flap', ended(10 * S), 1],
    ['counts consecutive flaps', ended(10 * S, { flaps: 2 }), 3],
    ['keeps counting past the 8x cap', ended(10 * S, { flaps: 3 }), 4],
    ['counts a request wake just before min_sleep_time', ended(60 * S - 1), 1],
    ['resets on a sleep of exactly min_sleep_time', ended(60 * S, { flaps: 2 }), 0],
    ['resets on a sleep of 2 min', ended(120 * S, { flaps: 3 }), 0],
    ['does not count a sleep asked for by the admin API', ended(10 * S, { flaps: 1, sleepCause: 'manual' }), 1],
    ['does not count a container paused by hand', ended(10 * S, { sleepCause: 'external' }), 0],
    ['does not count an admin wake (proactive)', ended(10 * S, { flaps: 1, wakeCause: 'manual' }), 1],
    ['does not count an auto_start wake (proactive)', ended(10 * S, { wakeCause: 'startup' }), 0],
    ['does not count a wake for a dependent (its dependent is damped instead)', ended(10 * S, { wakeCause: 'dependency' }), 0],
    ['resets on a long sleep whatever woke it', ended(120 * S, { flaps: 2, sleepCause: 'manual', wakeCause: 'manual' }), 0],
    ['never counts with min_sleep_time 0', ended(0, { flaps: 2, minSleepTimeMs: 0 }), 0],
  ])('%s', (_name, sleep, expected) => {
    expect(flapsAfterWake(sleep)).toBe(expected);
  });
});

describe('nextSleepAt (GET /services/:name)', () => {
  it.each([
    ['idle 10 s of 60 s', input({ idleMs: 10 * S }), NOW + 50 * S],
    ['already due', input({ idleMs: 90 * S }), NOW],
    ['damped twice: 240 s', input({ idleMs: 10 * S, flaps: 2 }), NOW + 230 * S],
    ['held back by min_uptime', input({ policy: policy({ idle_timeout: '60s', min_uptime: '2h' }) }), NOW - 3600 * S + 7200 * S],
    ['work in flight', input({ activity: { inFlight: 1, lastActivityAt: NOW } }), null],
    ['an awake dependent', input({ dependentsAwake: true }), null],
    ['a transition in flight', input({ transitionInFlight: true }), null],
    ['asleep (a stop may be scheduled, not a sleep)', input({ state: 'SLEEPING', policy: policy({ max_sleep_time: '1h' }) }), null],
    ['priority high', input({ policy: policy({ priority: 'high' }) }), null],
  ] as const)('%s', (_name, given, expected) => {
    expect(nextSleepAt(given)).toBe(expected);
  });
});

describe('effectiveIdleTimeoutMs', () => {
  it.each([
    [{ idle_timeout: '30s' }, 0, 30 * S],
    [{ idle_timeout: '30s' }, 1, 60 * S],
    [{ idle_timeout: '30s' }, 9, 240 * S],
    [{ enabled: false }, 0, null],
    [{ priority: 'high' }, 2, null],
  ] as const)('%j after %d flaps: %s', (given, flaps, expected) => {
    expect(effectiveIdleTimeoutMs(policy(given), flaps)).toBe(expected);
  });
});
