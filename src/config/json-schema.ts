/**
 * JSON Schemas of routes.yml and services.yml, generated from the zod schemas (their input side:
 * what a user writes, before defaults and conversions). `wake-proxy schema` prints them, the
 * committed copies in schemas/ are what editors (yaml-language-server) validate against, and the
 * README's configuration reference is rendered from them (schema-fields.ts).
 * Policy: one source. Nothing here restates a field; it only says what zod cannot: a duration is
 * `$ref: #/$defs/duration` (number of seconds or a unit string, bounded like duration.ts), its
 * default is shown as users write it (`30s`), and zod's internal artefacts are dropped.
 */
import { z } from 'zod';
import { DURATION_PATTERN, formatDurationMs, isDurationSchema, isPositiveDuration, MAX_DURATION_MS, MAX_DURATION_TEXT } from './duration.ts';
import { RoutesFileSchema } from './routes-schema.ts';
import { ServicesFileSchema } from './services-schema.ts';

/** A JSON Schema document or node, as plain JSON. */
export type JsonSchema = { readonly [key: string]: unknown };

/** The config files that have a schema. */
export const SCHEMA_FILES = ['routes', 'services'] as const;

/** One of SCHEMA_FILES. */
export type SchemaFile = (typeof SCHEMA_FILES)[number];

/** Where the committed schemas live, relative to the repository root (the example files name them). */
export const SCHEMA_PATHS: Readonly<Record<SchemaFile, string>> = {
  routes: 'schemas/routes.schema.json',
  services: 'schemas/services.schema.json',
};

/** The `$defs` key of each duration kind. */
export const DURATION_REFS = { any: 'duration', positive: 'positive_duration' } as const;

const DURATION_TEXT = `A number of seconds (300) or a string of <number><unit> parts, unit ms, s, m or h (500ms, 30s, 5m, 1h30m); at most ${MAX_DURATION_TEXT}.`;

function durationDef(positive: boolean): JsonSchema {
  const seconds = positive ? { exclusiveMinimum: 0 } : { minimum: 0 };
  return {
    title: positive ? 'duration greater than 0' : 'duration',
    description: DURATION_TEXT,
    anyOf: [
      { type: 'number', ...seconds, maximum: MAX_DURATION_MS / 1000 },
      { type: 'string', pattern: DURATION_PATTERN },
    ],
  };
}

type Mutable = Record<string, unknown>;

/** A schema's public definition (`schema.def`, zod 4's documented introspection). */
function defOf(schema: unknown): Readonly<Record<string, unknown>> {
  return (schema as { def: Record<string, unknown> }).def;
}

function acceptsOwnDefault(def: Readonly<Record<string, unknown>>): boolean {
  const inner = def['innerType'] as z.ZodType;
  const value = def['defaultValue'];
  const plain = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || Array.isArray(value);
  return plain && inner.safeParse(value).success;
}

/** Says what zod's generator cannot (see the module header); called for every zod node. */
function refine(ctx: { zodSchema: unknown; jsonSchema: Mutable }): void {
  const json = ctx.jsonSchema;
  if (isDurationSchema(ctx.zodSchema)) {
    delete json['anyOf'];
    delete json['type'];
    json['$ref'] = `#/$defs/${isPositiveDuration(ctx.zodSchema) ? DURATION_REFS.positive : DURATION_REFS.any}`;
    return;
  }
  const def = defOf(ctx.zodSchema);
  if (def['type'] === 'default' && isDurationSchema(def['innerType']) && typeof def['defaultValue'] === 'number') {
    json['default'] = formatDurationMs(def['defaultValue']);
  } else if (def['type'] === 'default' && !('default' in json) && acceptsOwnDefault(def)) {
    // zod leaves out a default of a transformed field (it is an output value); when the same
    // value is also valid input (`path: "/"`, `request_rules: []`), it is the input default too.
    json['default'] = def['defaultValue'];
  }
  // zod's `starts_with` format is not a JSON Schema format; the pattern beside it says the same.
  if (json['format'] === 'starts_with') delete json['format'];
  // `.int()` adds the safe-integer range; it says nothing a user needs.
  if (json['maximum'] === Number.MAX_SAFE_INTEGER) delete json['maximum'];
  if (json['minimum'] === Number.MIN_SAFE_INTEGER) delete json['minimum'];
}

function generate(schema: z.ZodType, file: SchemaFile): JsonSchema {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', override: refine }) as Mutable;
  const { $schema, ...rest } = json;
  return {
    $schema,
    title: `wake-proxy ${file}.yml`,
    ...rest,
    $defs: { [DURATION_REFS.any]: durationDef(false), [DURATION_REFS.positive]: durationDef(true) },
  };
}

/** The JSON Schema of one config file (draft 2020-12). */
export function configJsonSchema(file: SchemaFile): JsonSchema {
  return generate(file === 'routes' ? RoutesFileSchema : ServicesFileSchema, file);
}

/** The schema as committed and printed: two-space JSON with a final newline. */
export function renderJsonSchema(file: SchemaFile): string {
  return `${JSON.stringify(configJsonSchema(file), null, 2)}\n`;
}
