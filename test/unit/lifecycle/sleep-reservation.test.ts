import { describe, expect, it } from 'vitest';
import { parseMemoryBytes } from '../../../src/config/memory-size.ts';
import { createWorld, linesWith } from './lifecycle-fixtures.ts';

describe('sleep_policy.memory_reservation', () => {
  it('lowers the reservation after an idle pause and restores the previous one after the wake answered', async () => {
    const world = createWorld({ api: { sleep_policy: { memory_reservation: '64M' } } }, { states: { api: 'running' } });
    await world.reconcile();
    world.provider.reservations.set('api', 256 * 1024 ** 2);
    const api = world.service('api');
    await api.sleep('idle');
    await api.settledBackground();
    expect(world.provider.reservations.get('api')).toBe(64 * 1024 ** 2);
    await api.ensureAwake('request');
    expect(world.provider.reservations.get('api')).toBe(64 * 1024 ** 2);
    await world.clock.advanceAsync(1);
    await api.settledBackground();
    expect(world.provider.reservations.get('api')).toBe(256 * 1024 ** 2);
    expect(linesWith(world.lines(), 'memory reservation restored')).toHaveLength(1);
  });

  it('does nothing without the setting, or for a stop', async () => {
    const world = createWorld({ api: {}, stopper: { sleep_policy: { mode: 'stop', memory_reservation: '64M' } } }, { states: { api: 'running', stopper: 'running' } });
    await world.registry.reconcile();
    await world.service('api').sleep('idle');
    await world.service('stopper').sleep('idle');
    await Promise.all([world.service('api').settledBackground(), world.service('stopper').settledBackground()]);
    expect(world.provider.reservations.size).toBe(0);
  });

  it.each([
    ['128M', 128 * 1024 ** 2],
    ['128MB', 128 * 1024 ** 2],
    ['1g', 1024 ** 3],
    ['512k', 512 * 1024],
    ['4096', 4096],
    ['lots', null],
  ])('reads the size %s', (text, bytes) => {
    expect(parseMemoryBytes(text)).toBe(bytes);
  });
});
