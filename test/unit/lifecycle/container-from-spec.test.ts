import { describe, expect, it } from 'vitest';
import { createWorld, serviceConfigs } from './lifecycle-fixtures.ts';

const SPEC = { image: 'shop:1', environment: { MODE: 'a' }, resources: { memory: '256M', cpu: '0.5', memory_reservation: '64M', cpu_reservation: 0.25 } };

describe('a service created from its services.yml spec', () => {
  it('has its missing container created from the spec on the first wake, then started', async () => {
    const world = createWorld({ shop: SPEC });
    world.provider.remove('shop');
    await world.registry.reconcile();
    await world.service('shop').ensureAwake('request');
    const spec = world.provider.created.get('shop');
    expect(spec).toMatchObject({ image: 'shop:1', env: ['MODE=a'], memoryBytes: 256 * 1024 ** 2, nanoCpus: 500_000_000, memoryReservationBytes: 64 * 1024 ** 2, cpuShares: 256 });
    expect(world.provider.get('shop').state).toBe('running');
  });

  it('recreates a container made from an older spec at its next sleep and wake, never while it runs', async () => {
    const world = createWorld({ shop: SPEC });
    world.provider.remove('shop');
    await world.registry.reconcile();
    await world.service('shop').ensureAwake('request');
    const oldHash = world.provider.created.get('shop')?.hash;
    await world.registry.apply(serviceConfigs({ shop: { ...SPEC, environment: { MODE: 'b' } } })).inspect;
    const shop = world.service('shop');
    expect(shop.state()).toBe('RUNNING');
    expect(world.provider.calls('stop', 'shop')).toBe(0);
    await shop.sleep('idle');
    expect(shop.state()).toBe('STOPPED');
    expect(world.provider.calls('pause', 'shop')).toBe(0);
    await shop.ensureAwake('request');
    const spec = world.provider.created.get('shop');
    expect(spec?.env).toEqual(['MODE=b']);
    expect(spec?.hash).not.toBe(oldHash);
    expect(world.provider.get('shop').state).toBe('running');
  });

  it('refuses container fields without an image', () => {
    expect(() => serviceConfigs({ shop: { environment: { A: '1' } } })).toThrow(/need an image/);
  });
});
