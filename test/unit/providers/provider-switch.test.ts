import { describe, expect, it } from 'vitest';
import { ProviderSwitch } from '../../../src/providers/provider-switch.ts';
import type { ContainerEvent } from '../../../src/providers/container-provider.ts';
import { FakeProvider } from '../../support/fake-provider.ts';

function setUp() {
  const containers = new FakeProvider();
  const swarm = new FakeProvider();
  containers.add('web', { state: 'exited' });
  swarm.add('reports', { state: 'exited' });
  const swarmRefs = new Set(['reports']);
  const provider = new ProviderSwitch({ containers, swarm, isSwarm: (ref) => swarmRefs.has(ref) });
  return { containers, swarm, provider, swarmRefs };
}

describe('ProviderSwitch', () => {
  it('sends each call to the adapter of the service the reference names, decided call by call', async () => {
    const { containers, swarm, provider, swarmRefs } = setUp();
    await provider.start('reports');
    await provider.start('web');
    expect(swarm.calls('start', 'reports')).toBe(1);
    expect(containers.calls('start', 'web')).toBe(1);
    expect((await provider.inspect('reports', 8080)).state).toBe('running');
    swarmRefs.delete('reports');
    expect((await provider.inspect('reports', 8080)).state).toBe('missing');
  });

  it('passes the container events on, each Swarm task followed by a hint about its configured service', async () => {
    const { containers, provider } = setUp();
    const abort = new AbortController();
    const seen: ContainerEvent[] = [];
    const reading = (async () => {
      for await (const event of provider.events(abort.signal)) {
        seen.push(event);
        if (seen.length === 4) abort.abort();
      }
    })();
    const task = { id: 'c1', composeService: null, exitCode: null, time: 1 } as const;
    containers.push({ ...task, action: 'start', name: 'other.1.x', swarmService: 'other' });
    containers.push({ ...task, action: 'start', name: 'reports.1.x', swarmService: 'reports' });
    containers.push({ ...task, action: 'die', name: 'web', swarmService: null });
    await reading;
    expect(seen.map((e) => `${e.action} ${e.name} ${e.id}`)).toEqual(['start other.1.x c1', 'start reports.1.x c1', 'start reports ', 'die web c1']);
  });
});
