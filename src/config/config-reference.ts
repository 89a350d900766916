/**
 * The README's configuration reference, rendered from the JSON Schemas generated from the zod
 * schemas (json-schema.ts, the same ones `wake-proxy schema` prints) so it cannot drift:
 * `npx node scripts/render-config-reference.ts` writes it between the README's markers and a
 * unit test fails when the two disagree.
 */
import { configJsonSchema } from './json-schema.ts';
import { listFields, type FieldDoc } from './schema-fields.ts';

/** The README markers the reference lives between. */
export const CONFIG_REFERENCE_MARKERS = {
  start: '<!-- config-reference:start -->',
  end: '<!-- config-reference:end -->',
} as const;

function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

function table(fields: readonly FieldDoc[]): string {
  const rows = fields.map((f) => {
    const shown = f.defaultText === '—' || f.defaultText === 'required' ? f.defaultText : `\`${f.defaultText}\``;
    return `| \`${f.key}\` | ${f.type} | ${shown} | ${cell(f.description)} |`;
  });
  return ['| key | type | default | description |', '|---|---|---|---|', ...rows].join('\n');
}

/** Markdown reference of every field of routes.yml and services.yml (key, type, default, description). */
export function renderConfigReference(): string {
  return [
    '### Configuration reference',
    '',
    'Generated from the schemas in `src/config/` (through their JSON Schemas) by `npx node scripts/render-config-reference.ts`, which also writes `schemas/`; do not edit by hand.',
    'A duration is a number of seconds (`300`) or a string such as `500ms`, `30s`, `5m`, `1h30m`.',
    '`<name>` is a service name; `[]` marks the items of a list; `—` means no default (the field is optional).',
    '',
    '#### routes.yml',
    '',
    table(listFields(configJsonSchema('routes'), '')),
    '',
    '#### services.yml',
    '',
    table(listFields(configJsonSchema('services'), '')),
  ].join('\n');
}

/** Replaces what is between the markers in `readme` with `reference`; null when a marker is missing. */
export function replaceConfigReference(readme: string, reference: string): string | null {
  const start = readme.indexOf(CONFIG_REFERENCE_MARKERS.start);
  const end = readme.indexOf(CONFIG_REFERENCE_MARKERS.end);
  if (start < 0 || end < start) return null;
  const head = readme.slice(0, start + CONFIG_REFERENCE_MARKERS.start.length);
  return `${head}\n${reference}\n${readme.slice(end)}`;
}
