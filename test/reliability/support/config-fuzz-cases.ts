/**
 * The config fuzzing properties (issue 10), run inside a worker thread by config-fuzz.test.ts so
 * that a case that hangs (a synchronous loop cannot be interrupted in-process) is caught by the
 * test's per-case deadline instead of hanging the run.
 * The property: parseConfigTexts either returns a config or throws a ConfigError whose every
 * issue is located (`<file>:line:col …`, or at least `<file>: …`); nothing else is ever thrown.
 */
import fc from 'fast-check';
import { stringify } from 'yaml';
import { readEnv } from '../../../src/config/env-schema.ts';
import { parseConfigTexts, type ConfigTexts } from '../../../src/config/load-config.ts';
import { envServiceDefaults } from '../../../src/config/service-defaults.ts';
import { ConfigError } from '../../../src/errors.ts';

/** What one case ended with. */
export type CaseOutcome = { readonly kind: 'valid' } | { readonly kind: 'invalid'; readonly issues: readonly string[] };

const ROUTES = 'routes.yml';
const SERVICES = 'services.yml';

/** One case: both files, and the CONTAINER_* variables whose defaults sit below the files. */
export interface FuzzCase {
  readonly texts: ConfigTexts;
  readonly env: Readonly<Record<string, string>>;
}

/** Throws when the outcome breaks the property; returns what the case ended with. */
export function checkCase(texts: ConfigTexts, env: Readonly<Record<string, string>> = {}): CaseOutcome {
  try {
    const config = parseConfigTexts(texts, { envDefaults: envServiceDefaults(readEnv(env).containerDefaults).defaults });
    if (!Object.isFrozen(config) || config.routes.length === 0 || config.services.length === 0) {
      throw new Error('a loaded config must be frozen and have routes and services');
    }
    return { kind: 'valid' };
  } catch (err) {
    if (!(err instanceof ConfigError)) throw new Error(`not a ConfigError: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    if (err.issues.length === 0) throw new Error('a ConfigError without issues');
    const unlocated = err.issues.filter((line) => !/^(routes|services)\.yml(:\d+:\d+ |: )\S/.test(line));
    if (unlocated.length > 0) throw new Error(`issues without a location: ${JSON.stringify(unlocated)}`);
    return { kind: 'invalid', issues: err.issues };
  }
}

const VALID_ROUTES = { routes: [{ path: '/api', service: 'api' }, { path: '/', service: 'web' }] };
const VALID_SERVICES = {
  services: {
    api: {
      container: 'demo-api',
      port: 8080,
      depends_on: ['web'],
      health_check: { path: '/health', status: '200-299', timeout: '30s', probe_timeout: 1 },
      sleep_policy: { idle_timeout: '5m', max_sleep_time: '1h', min_sleep_time: 60, min_uptime: 0, priority: 'low', mode: 'pause' },
      request_rules: [{ match: { method: 'HEAD' }, wake: false }],
    },
    web: { container: 'demo-web', port: 80 },
  },
};

/** YAML-ish tokens: keys and values the schemas know, plus the constructs YAML parsers trip on. */
const TOKENS = [
  'services:', 'routes:', 'defaults:', 'api:', 'web:', 'container: c', 'port: 80', 'port: 99999', 'path: /', 'service: api',
  'sleep_policy:', 'health_check:', 'idle_timeout: 600h', 'idle_timeout: 0', 'timeout: 1e400', 'depends_on: [api]',
  '__proto__:', 'constructor:', '<<: *a', '&a ', '*a', '*b', '!!str ', '!!binary ', '!!set ', '? ', '- ', ': ', '[', ']', '{', '}',
  ',', '"', "'", '|', '>', '#', '---', '...', '%YAML 1.2', '%TAG ! tag:x,2000:', '\t', '\n', '\n  ', '\n    ', ' ', '0x1F', '.inf',
  '-.inf', '.nan', '~', 'null', 'true', 'yes', '2001-12-14', '\\', '\u0000', '\uFEFF', '😀', 'a'.repeat(40),
];

const yamlText = fc.oneof(
  fc.array(fc.constantFrom(...TOKENS), { maxLength: 60 }).map((parts) => parts.join('')),
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
);

const KEYS = [
  'services', 'routes', 'defaults', 'api', 'web', 'container', 'port', 'upstream', 'health_check', 'sleep_policy', 'auto_start',
  'depends_on', 'max_held_requests', 'request_rules', 'path', 'host', 'service', 'strip_prefix', 'status', 'timeout',
  'probe_timeout', 'docker_health', 'enabled', 'mode', 'idle_timeout', 'max_sleep_time', 'min_sleep_time', 'min_uptime',
  'priority', 'match', 'method', 'user_agent', 'path_prefix', 'wake', 'count_activity', '__proto__', 'constructor', 'toString',
];

const scalar = fc.oneof(
  fc.constantFrom('api', 'web', '/', '/api', '30s', '600h', '0', 'pause', 'stop', 'low', 'high', '200-399', 'http://127.0.0.1:1', ''),
  fc.string({ maxLength: 12 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
);

const value = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small' }, scalar, tie('list'), tie('map')),
  list: fc.array(tie('node'), { maxLength: 4 }),
  map: fc.dictionary(fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 8 })), tie('node'), { maxKeys: 5 }),
})).node;

/** Replaces the value at a random path of a valid object: close to valid, so it reaches deep checks. */
function mutate(base: unknown, steps: readonly number[], replacement: unknown): unknown {
  if (steps.length === 0 || typeof base !== 'object' || base === null) return replacement;
  const entries = Object.entries(base);
  if (entries.length === 0) return replacement;
  const [step = 0, ...rest] = steps;
  const at = step % entries.length;
  const copy: Record<string, unknown> | unknown[] = Array.isArray(base) ? [...base] : { ...base };
  const [key, child] = entries[at] ?? ['', null];
  (copy as Record<string, unknown>)[key] = mutate(child, rest, replacement);
  return copy;
}

const mutated = (base: unknown) =>
  fc.tuple(fc.array(fc.nat(), { maxLength: 6 }), value).map(([steps, replacement]) => stringify(mutate(base, steps, replacement)));

const objectText = fc.oneof(value.map((v) => stringify(v)), fc.dictionary(fc.constantFrom(...KEYS), value, { maxKeys: 4 }).map((v) => stringify(v)));

const file = (name: string, base: unknown) =>
  fc.oneof(yamlText, objectText, mutated(base), fc.constant(stringify(base))).map((text) => ({ name, text }));

const minutes = fc.constantFrom('1', '0.5', '30', '120');
const env = fc.record(
  {
    CONTAINER_AUTO_START: fc.constantFrom('true', 'false'),
    CONTAINER_AUTO_STOP: fc.constantFrom('true', 'false'),
    CONTAINER_IDLE_TIMEOUT: minutes,
    CONTAINER_LOW_IDLE_TIMEOUT: minutes,
    CONTAINER_HIGH_IDLE_TIMEOUT: minutes,
    CONTAINER_STARTUP_TIMEOUT: fc.constantFrom('1', '60', '600'),
    CONTAINER_HEALTH_CHECK_INTERVAL: fc.constantFrom('1', '30'),
  },
  { requiredKeys: [] },
);

/** The generator of one case: both files and valid CONTAINER_* variables. */
export const fuzzCase: fc.Arbitrary<FuzzCase> = fc.record({
  texts: fc.record({ routes: file(ROUTES, VALID_ROUTES), services: file(SERVICES, VALID_SERVICES) }),
  env,
});
