/**
 * One config file from text to typed value: YAML syntax, refused constructs (yaml-hazards.ts),
 * the top-level shape, then the zod schema. Every problem comes back as a located line; nothing
 * is thrown and nothing is dropped. The plain data is kept even when the schema fails, so the
 * cross-checks can still run on it (one run reports every problem).
 */
import { isMap, isSeq } from 'yaml';
import type { z } from 'zod';
import type { ConfigIssue } from './config-issue.ts';
import { describeIssues, describeYamlErrors, parseSource, toConfigIssues, type ConfigSource } from './describe-issues.ts';
import { friendlyIssueMessage } from './issue-messages.ts';
import { describeHazard, findProtoKeys, locateAliasTrouble } from './yaml-hazards.ts';

/** A config file's name (as the user gave it) and its text. */
export interface ConfigText {
  readonly name: string;
  readonly text: string;
}

/** The outcome of parsing one file: its value when it has no problem, else the located problems. */
export interface ParsedConfigFile<T> {
  /** Null exactly when `lines` is not empty. */
  readonly value: T | null;
  readonly lines: readonly string[];
  /** Null when the file could not be read. */
  readonly source: ConfigSource | null;
  /** The file's plain data; undefined when the YAML could not be turned into data. */
  readonly data: unknown;
}

/** Turns a file's plain data into what the schema parses (e.g. defaults merged in), with its own issues. */
export type PrepareData = (data: unknown) => { readonly data: unknown; readonly issues: readonly ConfigIssue[] };

/** A file that could not even be read: one line, nothing else. */
export function unreadableFile<T>(line: string): ParsedConfigFile<T> {
  return { value: null, lines: [line], source: null, data: undefined };
}

function shapeProblem(source: ConfigSource, topKey: string): string | null {
  const contents = source.doc.contents;
  const expected = `expected a mapping with a top-level "${topKey}" key`;
  if (contents === null) return `${source.name}:1:1 file is empty: ${expected}`;
  if (isMap(contents)) return null;
  const { line, col } = source.lineCounter.linePos(contents.range?.[0] ?? 0);
  return `${source.name}:${line}:${col} ${expected}, got ${isSeq(contents) ? 'a list' : 'a single value'}`;
}

function toData(source: ConfigSource): { data: unknown } | { line: string } {
  try {
    return { data: source.doc.toJS() };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const at = locateAliasTrouble(source.doc);
    if (at === null) return { line: `${source.name}: ${message}` };
    return { line: describeHazard(source, { offset: at, message: `YAML alias: ${message}` }) };
  }
}

/** Parses and validates one file against `schema`, whose top level is a mapping with `topKey`. */
export function parseConfigFile<S extends z.ZodType>(
  file: ConfigText,
  schema: S,
  topKey: string,
  prepare?: PrepareData,
): ParsedConfigFile<z.output<S>> {
  const source = parseSource(file.name, file.text);
  const failed = (lines: readonly string[], data?: unknown) => ({ value: null, lines, source, data });
  if (source.doc.errors.length > 0) return failed(describeYamlErrors(source));
  const shape = shapeProblem(source, topKey);
  if (shape !== null) return failed([shape]);
  const hazards = findProtoKeys(source.doc);
  if (hazards.length > 0) return failed(hazards.map((h) => describeHazard(source, h)));
  const converted = toData(source);
  if ('line' in converted) return failed([converted.line]);
  const prepared = prepare ? prepare(converted.data) : { data: converted.data, issues: [] };
  const result = schema.safeParse(prepared.data, { error: friendlyIssueMessage });
  const issues = [...prepared.issues, ...(result.success ? [] : toConfigIssues(result.error.issues))];
  if (!result.success || issues.length > 0) return failed(describeIssues(source, issues), converted.data);
  return { value: result.data, lines: [], source, data: converted.data };
}
