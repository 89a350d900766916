import { describe, expect, it } from 'vitest';
import type { AdminService, AdminServices } from '../../../src/admin/admin-target.ts';
import { sleepAll, wakeAll } from '../../../src/admin/bulk-actions.ts';
import type { SleepPolicy } from '../../../src/config/services-schema.ts';
import { ServiceBusyError } from '../../../src/errors.ts';
import type { ServiceSnapshot } from '../../../src/metrics/service-snapshot.ts';

function fakeServices(specs: { name: string; enabled?: boolean; fails?: Error }[], levels: string[][], log: string[]): AdminServices {
  const all: AdminService[] = specs.map((spec) => {
    let state: ServiceSnapshot['state'] = 'SLEEPING';
    const act = async (verb: string, to: ServiceSnapshot['state']): Promise<void> => {
      log.push(`${verb} ${spec.name}`);
      if (spec.fails) throw spec.fails;
      state = to;
    };
    return {
      name: spec.name,
      policy: { enabled: spec.enabled ?? true } as SleepPolicy,
      config: { dependsOn: [], autoStart: false },
      setPolicy: () => undefined,
      policyChanged: () => false,
      snapshot: () => ({ name: spec.name, state }) as ServiceSnapshot,
      wake: () => act('wake', 'RUNNING'),
      sleepNow: () => act('sleep', 'SLEEPING'),
      stopNow: () => act('stop', 'STOPPED'),
    };
  });
  return { all: () => all, dependencyLevels: () => levels };
}

const summarize = (err: unknown): { code: string; detail: string } => ({
  code: err instanceof ServiceBusyError ? err.code : 'WP_INTERNAL',
  detail: err instanceof Error ? err.message : String(err),
});

describe('wakeAll', () => {
  it('wakes level by level in dependency order and reports each service', async () => {
    const log: string[] = [];
    const services = fakeServices([{ name: 'api' }, { name: 'db' }, { name: 'web' }], [['db'], ['api', 'web']], log);
    const results = await wakeAll(services, summarize);
    expect(log[0]).toBe('wake db');
    expect(results.map((r) => [r.service, r.outcome, r.state])).toEqual([
      ['db', 'done', 'RUNNING'],
      ['api', 'done', 'RUNNING'],
      ['web', 'done', 'RUNNING'],
    ]);
  });

  it('reports a failure for that service and goes on with the others', async () => {
    const log: string[] = [];
    const services = fakeServices([{ name: 'a', fails: new Error('boom') }, { name: 'b' }], [['a', 'b']], log);
    const results = await wakeAll(services, summarize);
    expect(results[0]).toMatchObject({ service: 'a', outcome: 'failed', error: { code: 'WP_INTERNAL', detail: 'boom' } });
    expect(results[1]).toMatchObject({ service: 'b', outcome: 'done' });
  });
});

describe('sleepAll', () => {
  it('puts dependents to sleep before their dependencies and skips services that never sleep', async () => {
    const log: string[] = [];
    const services = fakeServices([{ name: 'api' }, { name: 'db' }, { name: 'web', enabled: false }], [['db'], ['api', 'web']], log);
    const results = await sleepAll(services, summarize);
    expect(log).toEqual(['sleep api', 'sleep db']);
    expect(results.find((r) => r.service === 'web')).toMatchObject({ outcome: 'skipped' });
  });

  it('reports a busy service with its code', async () => {
    const log: string[] = [];
    const services = fakeServices([{ name: 'api', fails: new ServiceBusyError('api', '1 requests or streams in flight') }], [['api']], log);
    const [result] = await sleepAll(services, summarize);
    expect(result).toMatchObject({ outcome: 'failed', error: { code: 'WP_SERVICE_BUSY' } });
  });
});
