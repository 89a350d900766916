import { describe, expect, it } from 'vitest';
import { readEnv } from '../../../src/config/env-schema.ts';
import { parseConfigTexts } from '../../../src/config/load-config.ts';
import { envServiceDefaults, mergeServiceDefaults } from '../../../src/config/service-defaults.ts';
import { ConfigError } from '../../../src/errors.ts';

const ROUTES = { name: 'routes.yml', text: 'routes:\n  - service: api\n' };

/** Loads services.yml text with the given environment; returns the named service. */
function load(text: string, env: Record<string, string> = {}, name = 'api') {
  const config = parseConfigTexts({ routes: ROUTES, services: { name: 'services.yml', text } }, { envDefaults: envServiceDefaults(readEnv(env).containerDefaults).defaults });
  const service = config.services.find((s) => s.name === name);
  if (service === undefined) throw new Error(`no service ${name}`);
  return service;
}

function issuesOf(text: string, env: Record<string, string> = {}): readonly string[] {
  try {
    load(text, env);
  } catch (err) {
    if (err instanceof ConfigError) return err.issues;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

const api = (own: string) => `services:\n  api:\n    container: a\n    port: 80\n${own}`;
const withDefaults = (block: string, own = '') => `defaults:\n${block}\n${api(own)}`;

describe('defaults: precedence service > defaults block > environment > built-in (issue 14 item 7)', () => {
  it.each([
    ['built-in', api(''), {}, 300_000],
    ['environment (minutes)', api(''), { CONTAINER_IDLE_TIMEOUT: '30' }, 1_800_000],
    ['defaults block over environment', withDefaults('  sleep_policy:\n    idle_timeout: 2m'), { CONTAINER_IDLE_TIMEOUT: '30' }, 120_000],
    ['service over defaults block', withDefaults('  sleep_policy:\n    idle_timeout: 2m', '    sleep_policy:\n      idle_timeout: 10s\n'), { CONTAINER_IDLE_TIMEOUT: '30' }, 10_000],
    ['low priority takes CONTAINER_LOW_IDLE_TIMEOUT', api('    sleep_policy:\n      priority: low\n'), { CONTAINER_IDLE_TIMEOUT: '30', CONTAINER_LOW_IDLE_TIMEOUT: '10' }, 600_000],
    ['a priority set in the block picks the environment value', withDefaults('  sleep_policy:\n    priority: low'), { CONTAINER_LOW_IDLE_TIMEOUT: '10' }, 600_000],
    ['built-in low default without the variable', api('    sleep_policy:\n      priority: low\n'), { CONTAINER_IDLE_TIMEOUT: '30' }, 60_000],
  ])('idle_timeout from %s', (_name, text, env, ms) => {
    expect(load(text, env).sleepPolicy.idleTimeoutMs).toBe(ms);
  });

  it.each([
    ['built-in', api(''), {}, 30_000],
    ['environment (seconds)', api(''), { CONTAINER_STARTUP_TIMEOUT: '60' }, 60_000],
    ['defaults block', withDefaults('  health_check:\n    timeout: 45s'), { CONTAINER_STARTUP_TIMEOUT: '60' }, 45_000],
    ['service', withDefaults('  health_check:\n    timeout: 45s', '    health_check:\n      timeout: 5s\n'), { CONTAINER_STARTUP_TIMEOUT: '60' }, 5_000],
  ])('health_check.timeout from %s', (_name, text, env, ms) => {
    expect(load(text, env).healthCheck.timeoutMs).toBe(ms);
  });

  it('merges field by field: a service setting one health_check field keeps the others from the block', () => {
    const service = load(withDefaults('  health_check:\n    path: /health\n    probe_timeout: 2s', '    health_check:\n      probe_timeout: 3s\n'));
    expect(service.healthCheck).toMatchObject({ path: '/health', probeTimeoutMs: 3000 });
  });

  it.each([
    ['CONTAINER_AUTO_STOP=false', api(''), { CONTAINER_AUTO_STOP: 'false' }, { enabled: false, autoStart: false }],
    ['CONTAINER_AUTO_START=true', api(''), { CONTAINER_AUTO_START: 'true' }, { enabled: true, autoStart: true }],
    ['the block over both', withDefaults('  auto_start: false\n  sleep_policy:\n    enabled: true'), { CONTAINER_AUTO_START: 'true', CONTAINER_AUTO_STOP: 'false' }, { enabled: true, autoStart: false }],
    ['the service over the block', withDefaults('  auto_start: false', '    auto_start: true\n'), {}, { enabled: true, autoStart: true }],
  ])('%s', (_name, text, env, expected) => {
    const service = load(text, env);
    expect({ enabled: service.sleepPolicy.enabled, autoStart: service.autoStart }).toEqual(expected);
  });

  it('applies the block to every service', () => {
    const text = `defaults:\n  sleep_policy:\n    mode: stop\nservices:\n  api: {container: a, port: 1}\n  web: {container: w, port: 2, sleep_policy: {mode: pause}}\n`;
    expect([load(text).sleepPolicy.mode, load(text, {}, 'web').sleepPolicy.mode]).toEqual(['stop', 'pause']);
  });
});

describe('defaults: errors', () => {
  it('locates an error inside the block at the block, once, not at every service', () => {
    const text = `defaults:\n  sleep_policy:\n    idle_timeout: 0\n    idel: 1\nservices:\n  api: {container: a, port: 1}\n  web: {container: w, port: 2}\n`;
    expect(issuesOf(text)).toEqual([
      'services.yml:3:19 defaults.sleep_policy.idle_timeout: expected a duration greater than 0, got 0',
      'services.yml:4:5 defaults.sleep_policy: unknown key "idel"',
    ]);
  });

  it.each([
    ['an unknown section', 'defaults:\n  port: 80\n', 'services.yml:2:3 defaults: unknown key "port"'],
    ['a block that is not a mapping', 'defaults: 5\n', 'services.yml:1:11 defaults: expected a mapping, got 5'],
  ])('refuses %s', (_name, block, line) => {
    expect(issuesOf(`${block}${api('')}`)).toEqual([line]);
  });

  it('leaves a section that is not a mapping for the schema to report where it is', () => {
    expect(issuesOf(withDefaults('  health_check:\n    path: /h', '    health_check: 5\n'))).toEqual([
      'services.yml:8:19 services.api.health_check: expected a mapping, got 5',
    ]);
  });
});

describe('mergeServiceDefaults', () => {
  it.each([
    ['no services mapping', { services: [] }],
    ['not a mapping', 'x'],
    ['an entry that is not a mapping', { services: { api: 5 } }],
  ])('leaves %s alone', (_name, data) => {
    expect(mergeServiceDefaults(data, { auto_start: true }).data).toEqual(data);
  });

  it('does not change its input', () => {
    const data = { defaults: { health_check: { path: '/h' } }, services: { api: { container: 'a' } } };
    const copy = structuredClone(data);
    mergeServiceDefaults(data, { sleep_policy: { enabled: false } });
    expect(data).toEqual(copy);
  });
});
