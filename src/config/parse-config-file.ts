/**
 * One config file from text to typed value: YAML syntax, then the top-level shape, then the zod
 * schema. Every problem comes back as a located line; nothing is thrown and nothing is dropped.
 */
import { isMap, isSeq } from 'yaml';
import type { z } from 'zod';
import { describeIssues, describeYamlErrors, parseSource, toConfigIssues, type ConfigSource } from './describe-issues.ts';
import { friendlyIssueMessage } from './issue-messages.ts';

/** A config file's name (as the user gave it) and its text. */
export interface ConfigText {
  readonly name: string;
  readonly text: string;
}

/** The outcome of parsing one file: its value and source, or the located problems. */
export type ParsedConfigFile<T> =
  | { readonly ok: true; readonly value: T; readonly source: ConfigSource }
  | { readonly ok: false; readonly lines: readonly string[] };

function shapeProblem(source: ConfigSource, topKey: string): string | null {
  const contents = source.doc.contents;
  const expected = `expected a mapping with a top-level "${topKey}" key`;
  if (contents === null) return `${source.name}:1:1 file is empty: ${expected}`;
  if (isMap(contents)) return null;
  const { line, col } = source.lineCounter.linePos(contents.range?.[0] ?? 0);
  return `${source.name}:${line}:${col} ${expected}, got ${isSeq(contents) ? 'a list' : 'a single value'}`;
}

/** Parses and validates one file against `schema`, whose top level is a mapping with `topKey`. */
export function parseConfigFile<S extends z.ZodType>(file: ConfigText, schema: S, topKey: string): ParsedConfigFile<z.output<S>> {
  const source = parseSource(file.name, file.text);
  if (source.doc.errors.length > 0) return { ok: false, lines: describeYamlErrors(source) };
  const shape = shapeProblem(source, topKey);
  if (shape !== null) return { ok: false, lines: [shape] };
  let data: unknown;
  try {
    data = source.doc.toJS();
  } catch (err) {
    return { ok: false, lines: [`${file.name}: ${err instanceof Error ? err.message : String(err)}`] };
  }
  const result = schema.safeParse(data, { error: friendlyIssueMessage });
  if (!result.success) {
    return { ok: false, lines: describeIssues(source, toConfigIssues(result.error.issues)) };
  }
  return { ok: true, value: result.data, source };
}
