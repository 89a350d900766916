import { describe, expect, it } from 'vitest';
import type { ServiceState } from '../../../src/lifecycle/service-handle.ts';
import { createSilentLogger } from '../../../src/logging/logger.ts';
import { ResourceSampler, type SampledService } from '../../../src/metrics/resource-sampler.ts';
import { toContainerStats } from '../../../src/providers/docker/container-stats.ts';
import { FakeProvider } from '../../support/fake-provider.ts';
import { ManualClock } from '../../support/manual-clock.ts';

function service(name: string, state: () => ServiceState): SampledService {
  return { name, config: { container: name }, state };
}

describe('ResourceSampler', () => {
  it('reads only RUNNING services and turns two samples into a CPU rate', async () => {
    const clock = new ManualClock();
    const provider = new FakeProvider({ clock });
    provider.add('web', { state: 'running' });
    provider.add('idle', { state: 'paused' });
    provider.setStats('web', { memoryBytes: 100, memoryLimitBytes: 1000, cpuSeconds: 10 });
    provider.setStats('idle', { memoryBytes: 999, memoryLimitBytes: 1000, cpuSeconds: 1 });
    const web = service('web', () => 'RUNNING');
    const idle = service('idle', () => 'SLEEPING');
    const sampler = new ResourceSampler({ provider, clock, logger: createSilentLogger(), services: () => [web, idle] });

    await sampler.sampleOnce();
    expect(sampler.latest(web)).toMatchObject({ memoryBytes: 100, cpuCores: null });
    expect(sampler.latest(idle)).toBeNull();

    clock.advance(2_000);
    provider.setStats('web', { memoryBytes: 120, memoryLimitBytes: 1000, cpuSeconds: 11 });
    await sampler.sampleOnce();
    expect(sampler.latest(web)).toMatchObject({ memoryBytes: 120, cpuCores: 0.5 });
  });

  it('keeps the last figure of a service that went to sleep, and reports none for a stopped one', async () => {
    const clock = new ManualClock();
    const provider = new FakeProvider({ clock });
    provider.add('app', { state: 'running' });
    provider.setStats('app', { memoryBytes: 300, memoryLimitBytes: 1000, cpuSeconds: 1 });
    let state: ServiceState = 'RUNNING';
    const app = service('app', () => state);
    const sampler = new ResourceSampler({ provider, clock, logger: createSilentLogger(), services: () => [app] });
    await sampler.sampleOnce();
    state = 'SLEEPING';
    expect(sampler.latest(app)?.memoryBytes).toBe(300);
    state = 'STOPPED';
    expect(sampler.latest(app)?.memoryBytes).toBe(0);
  });
});

describe('toContainerStats', () => {
  it.each([
    ['cgroup v2', { inactive_file: 40 }],
    ['cgroup v1', { total_inactive_file: 40 }],
    ['cgroup v1, old engines', { cache: 40 }],
  ])('subtracts the droppable file cache (%s)', (_name, stats) => {
    const raw = { memory_stats: { usage: 100, limit: 1000, stats }, cpu_stats: { cpu_usage: { total_usage: 2_500_000_000 } } };
    expect(toContainerStats(raw)).toEqual({ memoryBytes: 60, memoryLimitBytes: 1000, cpuSeconds: 2.5 });
  });

  it('reads an empty answer as zeros', () => {
    expect(toContainerStats({})).toEqual({ memoryBytes: 0, memoryLimitBytes: 0, cpuSeconds: 0 });
  });
});
