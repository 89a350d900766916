import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_REFERENCE_MARKERS, renderConfigReference, replaceConfigReference } from '../../../src/config/config-reference.ts';

const README = join(import.meta.dirname, '../../../README.md');
const FIX = 'run `npx node scripts/render-config-reference.ts` to regenerate it';

describe('renderConfigReference', () => {
  const reference = renderConfigReference();

  it.each([
    ['`routes[].path` | string | `"/"` |'],
    ['`routes[].request_rules[].match.user_agent` | string | — |'],
    ['`services.<name>.port` | integer 1–65535 | — |'],
    ['`services.<name>.health_check.interval` | duration | `100ms` |'],
    ['`services.<name>.health_check.timeout` | duration | `30s` |'],
    ['`services.<name>.sleep_policy.mode` | "pause" \\| "stop" | `"pause"` |'],
    ['`services.<name>.depends_on` | list of strings | `[]` |'],
  ])('documents %s', (row) => {
    expect(reference).toContain(row);
  });

  it('gives every field a description', () => {
    const rows = reference.split('\n').filter((l) => l.startsWith('| `'));
    expect(rows.length).toBeGreaterThan(30);
    expect(rows.filter((r) => r.trimEnd().endsWith('|  |'))).toEqual([]);
  });
});

describe('replaceConfigReference', () => {
  it('replaces only what is between the markers', () => {
    const { start, end } = CONFIG_REFERENCE_MARKERS;
    expect(replaceConfigReference(`a\n${start}\nold\n${end}\nb`, 'new')).toBe(`a\n${start}\nnew\n${end}\nb`);
    expect(replaceConfigReference('no markers', 'new')).toBeNull();
  });
});

describe('README.md configuration reference', () => {
  it('holds exactly the reference rendered from the schemas', () => {
    if (!existsSync(README)) throw new Error(`README.md is missing: create it with the config-reference markers, then ${FIX}`);
    const readme = readFileSync(README, 'utf8');
    const expected = replaceConfigReference(readme, renderConfigReference());
    if (expected === null) throw new Error(`README.md lacks the config-reference markers: add them, then ${FIX}`);
    expect(readme === expected, `README.md's configuration reference is out of date: ${FIX}`).toBe(true);
  });
});
