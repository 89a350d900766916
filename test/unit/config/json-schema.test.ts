import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DURATION_PATTERN, parseDurationMs } from '../../../src/config/duration.ts';
import { configJsonSchema, renderJsonSchema, SCHEMA_FILES, SCHEMA_PATHS, type JsonSchema } from '../../../src/config/json-schema.ts';

const ROOT = join(import.meta.dirname, '../../..');
const FIX = 'run `npx node scripts/render-config-reference.ts` to regenerate it';

/** Follows `path` (property names; `*` = the values of a mapping of names) through a schema. */
function at(schema: JsonSchema, path: readonly string[]): JsonSchema {
  let node = schema;
  for (const step of path) {
    const next = step === '*' ? node['additionalProperties'] : (node['properties'] as Record<string, JsonSchema> | undefined)?.[step];
    if (typeof next !== 'object' || next === null) throw new Error(`no ${step} in ${JSON.stringify(node).slice(0, 80)}`);
    node = next as JsonSchema;
  }
  return node;
}

describe('the JSON Schemas (wake-proxy schema, issue 14 item 5)', () => {
  it.each(SCHEMA_FILES)('schemas/%s.schema.json is exactly the generated schema', (file) => {
    const committed = readFileSync(join(ROOT, SCHEMA_PATHS[file]), 'utf8');
    expect(committed === renderJsonSchema(file), `${SCHEMA_PATHS[file]} is out of date: ${FIX}`).toBe(true);
  });

  it.each(SCHEMA_FILES)('the example %s.yml names its schema for yaml-language-server', (file) => {
    const firstLine = readFileSync(join(ROOT, `${file}.yml`), 'utf8').split('\n')[0];
    expect(firstLine).toBe(`# yaml-language-server: $schema=./${SCHEMA_PATHS[file]}`);
  });

  it('describes the input side: durations as written, defaults as written, unknown keys refused', () => {
    const services = configJsonSchema('services');
    const health = at(services, ['services', '*', 'health_check']);
    expect(health['additionalProperties']).toBe(false);
    expect(at(health, ['timeout'])).toEqual({
      description: 'How long a wake may take before held requests get 504.',
      $ref: '#/$defs/positive_duration',
      default: '30s',
    });
    expect(at(services, ['services', '*', 'sleep_policy', 'min_uptime'])).toMatchObject({ $ref: '#/$defs/duration', default: '0s' });
    expect(at(services, ['services', '*'])['oneOf']).toEqual([{ required: ['container'] }, { required: ['containers'] }, { required: ['swarm_service'] }]);
    expect(at(services, ['services', '*', 'swarm_service'])).toMatchObject({ type: 'string', minLength: 1 });
    expect(at(services, ['services', '*', 'max_held_requests'])).toMatchObject({ type: 'integer', minimum: 1, default: 1000 });
    expect(at(configJsonSchema('routes'), ['routes'])).toMatchObject({ type: 'array', minItems: 1 });
  });

  it('bounds durations like the loader does', () => {
    const defs = configJsonSchema('services')['$defs'] as Record<string, JsonSchema>;
    expect(defs['duration']?.['anyOf']).toEqual([
      { type: 'number', minimum: 0, maximum: 2_147_483.647 },
      { type: 'string', pattern: DURATION_PATTERN },
    ]);
    expect((defs['positive_duration']?.['anyOf'] as JsonSchema[])[0]).toEqual({ type: 'number', exclusiveMinimum: 0, maximum: 2_147_483.647 });
  });

  it.each(['300', '1.5', '500ms', '1h30m', ' 10s ', '0s', '5 minutes', '1h 30m', '-5s', '1d', '', 's10'])(
    'the duration pattern agrees with the loader on %j',
    (text) => {
      expect(new RegExp(DURATION_PATTERN).test(text)).toBe(parseDurationMs(text) !== null);
    },
  );
});
