/**
 * Lists every field a user can write, with its type, default and description, by walking the
 * JSON Schemas of json-schema.ts: the single source of the README's config reference (policy:
 * docs come from the schema, never from a hand-kept table, and only through zod's public
 * `z.toJSONSchema`, never its internals).
 */
import { DURATION_REFS, type JsonSchema } from './json-schema.ts';

/** One documented field: full dotted key (`services.<name>.health_check.path`), type, default, description. */
export interface FieldDoc {
  readonly key: string;
  readonly type: string;
  readonly defaultText: string;
  readonly description: string;
}

function isSchema(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isDuration(node: JsonSchema): boolean {
  const ref = node['$ref'];
  return ref === `#/$defs/${DURATION_REFS.any}` || ref === `#/$defs/${DURATION_REFS.positive}`;
}

/** A mapping whose keys are names (a zod record): `additionalProperties` is a schema. */
function recordValues(node: JsonSchema): JsonSchema | null {
  const values = node['additionalProperties'];
  return node['type'] === 'object' && isSchema(values) && !isSchema(node['properties']) ? values : null;
}

function numberType(node: JsonSchema): string {
  const base = node['type'] === 'integer' ? 'integer' : 'number';
  const min = node['minimum'];
  const max = node['maximum'];
  if (min !== undefined && max !== undefined) return `${base} ${String(min)}–${String(max)}`;
  return min !== undefined ? `${base} ≥ ${String(min)}` : base;
}

function typeName(node: JsonSchema): string {
  if (isDuration(node)) return 'duration';
  if (Array.isArray(node['enum'])) return node['enum'].map((v) => JSON.stringify(v)).join(' \\| ');
  switch (node['type']) {
    case 'object':
      return recordValues(node) === null ? 'mapping' : 'mapping of names';
    case 'array':
      return `list of ${isSchema(node['items']) ? typeName(node['items']) : 'value'}s`;
    case 'number':
    case 'integer':
      return numberType(node);
    default:
      return typeof node['type'] === 'string' ? node['type'] : 'value';
  }
}

function defaultText(node: JsonSchema, required: boolean): string {
  if (required) return 'required';
  if (!('default' in node)) return '—';
  const value = node['default'];
  if (isSchema(value)) return '—';
  return isDuration(node) && typeof value === 'string' ? value : JSON.stringify(value);
}

/** Lists `node`'s fields depth-first, in declaration order, under the key prefix `prefix`. */
export function listFields(node: JsonSchema, prefix: string): FieldDoc[] {
  const values = recordValues(node);
  if (values !== null) return listFields(values, `${prefix}.<name>`);
  if (node['type'] === 'array' && isSchema(node['items'])) return listFields(node['items'], `${prefix}[]`);
  const properties = node['properties'];
  if (!isSchema(properties)) return [];
  const required = new Set(Array.isArray(node['required']) ? node['required'] : []);
  return Object.entries(properties).flatMap(([name, child]) => {
    if (!isSchema(child)) return [];
    const key = prefix === '' ? name : `${prefix}.${name}`;
    const description = typeof child['description'] === 'string' ? child['description'] : '';
    const doc = { key, type: typeName(child), defaultText: defaultText(child, required.has(name)), description };
    return [doc, ...listFields(child, key)];
  });
}
