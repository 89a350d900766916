/**
 * Reads the config fixtures. Convention: each case is a folder under `invalid/` or `valid/` holding
 * only the file(s) it is about; a missing routes.yml or services.yml falls back to the valid pair in
 * `base/`. An invalid case's files open with `# expect: <message line>` comments, one per line the
 * ConfigError must contain (the comments count in the line numbers they name).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ConfigTexts } from '../../../src/config/load-config.ts';

/** The fixtures folder. */
export const FIXTURES = join(import.meta.dirname, '../../fixtures/config');

/** One fixture case: both files' text (named routes.yml / services.yml) and its expected lines. */
export interface FixtureCase {
  readonly name: string;
  readonly texts: ConfigTexts;
  readonly expected: readonly string[];
}

function readPair(dir: string, file: 'routes.yml' | 'services.yml') {
  const own = join(dir, file);
  return { name: file, text: readFileSync(existsSync(own) ? own : join(FIXTURES, 'base', file), 'utf8') };
}

function expectations(text: string): string[] {
  return [...text.matchAll(/^# expect: (.*)$/gm)].map((m) => m[1] ?? '');
}

/** Every case folder of `kind`, sorted by name. */
export function readFixtureCases(kind: 'invalid' | 'valid'): FixtureCase[] {
  return readdirSync(join(FIXTURES, kind))
    .sort()
    .map((name) => {
      const dir = join(FIXTURES, kind, name);
      const texts = { routes: readPair(dir, 'routes.yml'), services: readPair(dir, 'services.yml') };
      return { name, texts, expected: [...expectations(texts.routes.text), ...expectations(texts.services.text)] };
    });
}
