/**
 * Rewrites the README's configuration reference (between its config-reference markers) from the
 * zod schemas. Without README.md or its markers, prints the reference instead.
 * Run: npx node scripts/render-config-reference.ts
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderConfigReference, replaceConfigReference } from '../src/config/config-reference.ts';

const readmePath = fileURLToPath(new URL('../README.md', import.meta.url));
const reference = renderConfigReference();
const updated = existsSync(readmePath) ? replaceConfigReference(readFileSync(readmePath, 'utf8'), reference) : null;
if (updated === null) {
  process.stdout.write(`${reference}\n`);
} else {
  writeFileSync(readmePath, updated);
  process.stdout.write(`updated the configuration reference in ${readmePath}\n`);
}
