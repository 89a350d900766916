import { describe, expect, it } from 'vitest';
import { parseConfigTexts } from '../../../src/config/load-config.ts';
import { ConfigError } from '../../../src/errors.ts';

const routes = { name: 'routes.yml', text: 'routes:\n  - path: /\n    service: api\n' };

function parse(services: string) {
  return parseConfigTexts({ routes, services: { name: 'services.yml', text: services } });
}

function issues(services: string): readonly string[] {
  try {
    parse(services);
  } catch (err) {
    if (err instanceof ConfigError) return err.issues;
    throw err;
  }
  return [];
}

describe('a swarm_service entry', () => {
  it('is referred to by its Swarm service name, woken to 1 replica and sleeps by stop unless told', () => {
    const [api] = parse('services:\n  api:\n    swarm_service: api-svc\n    port: 8080\n').services;
    expect(api).toMatchObject({ container: 'api-svc', swarmService: 'api-svc', replicas: 1, sleepPolicy: { mode: 'stop' } });
  });

  it('takes replicas and an explicit mode: stop', () => {
    const [api] = parse('services:\n  api:\n    swarm_service: s\n    replicas: 3\n    port: 8080\n    sleep_policy: { mode: stop }\n').services;
    expect(api).toMatchObject({ replicas: 3, sleepPolicy: { mode: 'stop' } });
  });

  it('refuses a mode: pause inherited from the defaults block, while container services keep it', () => {
    const text = 'defaults:\n  sleep_policy: { mode: pause }\nservices:\n  api:\n    swarm_service: s\n    port: 8080\n  web:\n    container: w\n';
    expect(issues(text)).toEqual([
      expect.stringMatching(/^services\.yml:\d+:\d+ services\.api\.sleep_policy\.mode: a Swarm service cannot pause/),
    ]);
    const [, web] = parse('services:\n  api:\n    swarm_service: s\n    port: 8080\n  web:\n    container: w\n').services;
    expect(web).toMatchObject({ swarmService: null, replicas: 1, sleepPolicy: { mode: 'pause' } });
  });

  it('refuses memory_reservation and compose_project', () => {
    expect(issues('services:\n  api:\n    swarm_service: s\n    port: 8080\n    compose_project: p\n    sleep_policy: { memory_reservation: 64M }\n')).toEqual([
      expect.stringContaining('services.api.compose_project: compose_project is for container services'),
      expect.stringContaining('services.api.sleep_policy.memory_reservation: memory_reservation is for container services'),
    ]);
  });
});
