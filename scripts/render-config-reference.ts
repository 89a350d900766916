/**
 * Rewrites everything generated from the config schemas: the README's configuration reference
 * (between its config-reference markers) and the JSON Schemas in schemas/ that the example files
 * name for editors. Without README.md or its markers, prints the reference instead.
 * Run: npx node scripts/render-config-reference.ts
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderConfigReference, replaceConfigReference } from '../src/config/config-reference.ts';
import { renderJsonSchema, SCHEMA_FILES, SCHEMA_PATHS } from '../src/config/json-schema.ts';

const root = (path: string): string => fileURLToPath(new URL(`../${path}`, import.meta.url));
const readmePath = root('README.md');
const reference = renderConfigReference();
const updated = existsSync(readmePath) ? replaceConfigReference(readFileSync(readmePath, 'utf8'), reference) : null;
if (updated === null) {
  process.stdout.write(`${reference}\n`);
} else {
  writeFileSync(readmePath, updated);
  process.stdout.write(`updated the configuration reference in ${readmePath}\n`);
}
for (const file of SCHEMA_FILES) {
  const path = root(SCHEMA_PATHS[file]);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, renderJsonSchema(file));
  process.stdout.write(`wrote ${path}\n`);
}
