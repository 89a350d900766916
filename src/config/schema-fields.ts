/**
 * Walks the config zod schemas and lists every field a user can write, with its type, default and
 * `.describe()` text: the single source of the README's config reference (policy: docs come from
 * the schema, never from a hand-kept table). Reads zod 4 internals (`schema.def`) read-only.
 */
import type { z } from 'zod';
import { formatDurationMs, isDurationSchema } from './duration.ts';

/** One documented field: full dotted key (`services.<name>.health_check.path`), type, default, description. */
export interface FieldDoc {
  readonly key: string;
  readonly type: string;
  readonly defaultText: string;
  readonly description: string;
}

type Def = Readonly<Record<string, unknown>> & { readonly type: string };

interface Unwrapped {
  readonly core: z.ZodType;
  readonly description: string;
  readonly optional: boolean;
  /** Present when a default applies; `isOutput` tells whether it is already parsed (ms for durations). */
  readonly fallback?: { readonly value: unknown; readonly isOutput: boolean };
}

function defOf(schema: z.ZodType): Def {
  return schema.def as unknown as Def;
}

function unwrap(schema: z.ZodType): Unwrapped {
  let core = schema;
  let description = schema.description ?? '';
  let optional = false;
  let fallback: Unwrapped['fallback'];
  for (;;) {
    const def = defOf(core);
    if (isDurationSchema(core)) break;
    if (def.type === 'optional') optional = true;
    else if (def.type === 'default' || def.type === 'prefault') {
      fallback ??= { value: def['defaultValue'], isOutput: def.type === 'default' };
    } else if (def.type !== 'pipe') break;
    core = (def.type === 'pipe' ? def['in'] : def['innerType']) as z.ZodType;
    description ||= core.description ?? '';
  }
  return fallback === undefined ? { core, description, optional } : { core, description, optional, fallback };
}

function numberType(def: Def): string {
  const checks = ((def['checks'] ?? []) as { _zod: { def: Record<string, unknown> } }[]).map((c) => c._zod.def);
  const isInt = checks.some((c) => c['check'] === 'number_format' && c['format'] === 'safeint');
  const min = checks.find((c) => c['check'] === 'greater_than')?.['value'];
  const max = checks.find((c) => c['check'] === 'less_than')?.['value'];
  const base = isInt ? 'integer' : 'number';
  if (min !== undefined && max !== undefined) return `${base} ${String(min)}–${String(max)}`;
  return min !== undefined ? `${base} ≥ ${String(min)}` : base;
}

function typeName(core: z.ZodType): string {
  if (isDurationSchema(core)) return 'duration';
  const def = defOf(core);
  switch (def.type) {
    case 'object':
      return 'mapping';
    case 'record':
      return 'mapping of names';
    case 'array':
      return `list of ${typeName(unwrap(def['element'] as z.ZodType).core)}s`;
    case 'enum':
      return Object.values(def['entries'] as Record<string, string>).map((v) => `"${v}"`).join(' \\| ');
    case 'number':
      return numberType(def);
    default:
      return def.type;
  }
}

function defaultText(field: Unwrapped): string {
  if (field.fallback === undefined) return field.optional ? '—' : 'required';
  const { value, isOutput } = field.fallback;
  if (isDurationSchema(field.core) && isOutput && typeof value === 'number') return formatDurationMs(value);
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return '—';
  return JSON.stringify(value);
}

/** Lists `schema`'s fields depth-first, in declaration order, under the key prefix `prefix`. */
export function listFields(schema: z.ZodType, prefix: string): FieldDoc[] {
  const { core } = unwrap(schema);
  const def = defOf(core);
  if (def.type === 'record') return listFields(def['valueType'] as z.ZodType, `${prefix}.<name>`);
  if (def.type === 'array') return listFields(def['element'] as z.ZodType, `${prefix}[]`);
  if (def.type !== 'object') return [];
  return Object.entries(def['shape'] as Record<string, z.ZodType>).flatMap(([name, child]) => {
    const key = prefix === '' ? name : `${prefix}.${name}`;
    const field = unwrap(child);
    const doc = { key, type: typeName(field.core), defaultText: defaultText(field), description: field.description };
    return [doc, ...listFields(field.core, key)];
  });
}
