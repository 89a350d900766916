/**
 * Gives every config problem a place: `services.yml:12:19 services.api.sleep_policy.idle_timeout:
 * expected a duration like "30s" ..., got "5 minutes"`. Lines and columns are 1-based.
 * Policy: point at the offending value; an unknown key is pointed at the key itself; a missing key
 * at the map that lacks it (the nearest node that exists on the path).
 */
import { isMap, isNode, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { formatConfigPath, type ConfigIssue, type ConfigPath } from './config-issue.ts';

/** A parsed YAML file plus what is needed to turn offsets into line:col. */
export interface ConfigSource {
  /** The file name exactly as the user gave it; it starts every message. */
  readonly name: string;
  readonly doc: Document;
  readonly lineCounter: LineCounter;
}

/** A 1-based position in a file. */
export interface SourcePosition {
  readonly line: number;
  readonly col: number;
}

/** Parses YAML text, keeping positions; syntax errors are left in `doc.errors`. */
export function parseSource(name: string, text: string): ConfigSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  return { name, doc, lineCounter };
}

function startOf(node: unknown): number | undefined {
  return isNode(node) ? node.range?.[0] : undefined;
}

function keyOffset(mapNode: unknown, key: string): number | undefined {
  if (!isMap(mapNode)) return undefined;
  const pair = mapNode.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
  return pair ? startOf(pair.key) : undefined;
}

/** Where `path` (or its key `key`) is in the file; falls back to the nearest existing ancestor. */
export function locate(source: ConfigSource, path: ConfigPath, key?: string): SourcePosition {
  const { doc, lineCounter } = source;
  if (key !== undefined) {
    const at = keyOffset(path.length === 0 ? doc.contents : doc.getIn(path, true), key);
    if (at !== undefined) return lineCounter.linePos(at);
  }
  for (let depth = path.length; depth > 0; depth--) {
    const at = startOf(doc.getIn(path.slice(0, depth), true));
    if (at !== undefined) return lineCounter.linePos(at);
  }
  return lineCounter.linePos(startOf(doc.contents) ?? 0);
}

/** `file:line:col path: message` (the path part is left out for whole-file problems). */
export function describeIssue(source: ConfigSource, issue: ConfigIssue): string {
  const { line, col } = locate(source, issue.path, issue.key);
  const pathText = formatConfigPath(issue.path);
  return `${source.name}:${line}:${col} ${pathText === '' ? '' : `${pathText}: `}${issue.message}`;
}

/** Every issue of one file, located and ordered by position (line, then column). */
export function describeIssues(source: ConfigSource, issues: readonly ConfigIssue[]): string[] {
  return issues
    .map((issue) => ({ issue, at: locate(source, issue.path, issue.key) }))
    .sort((a, b) => a.at.line - b.at.line || a.at.col - b.at.col)
    .map(({ issue }) => describeIssue(source, issue));
}

const LOCATED = /^[^\n]*?:(\d+):(\d+) /;

/**
 * Orders one file's located lines by line, then column (stable: lines without a position keep
 * their place at the front).
 */
export function sortByPosition(lines: readonly string[]): string[] {
  const at = (line: string): [number, number] => {
    const m = LOCATED.exec(line);
    return m ? [Number(m[1]), Number(m[2])] : [0, 0];
  };
  return lines
    .map((line, i) => ({ line, i, pos: at(line) }))
    .sort((a, b) => a.pos[0] - b.pos[0] || a.pos[1] - b.pos[1] || a.i - b.i)
    .map((x) => x.line);
}

/** zod issues → config issues; issues about map keys (unknown, badly named) point at the key itself. */
export function toConfigIssues(issues: readonly z.core.$ZodIssue[]): ConfigIssue[] {
  return issues.flatMap((issue): ConfigIssue[] => {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path, key, message: `unknown key ${JSON.stringify(key)}` }));
    }
    if (issue.code === 'invalid_key' && typeof path.at(-1) === 'string') {
      const key = String(path.at(-1));
      const reason = issue.issues.map((inner) => inner.message).join('; ');
      return [{ path: path.slice(0, -1), key, message: `invalid name ${JSON.stringify(key)}: ${reason}` }];
    }
    return [{ path, message: issue.message }];
  });
}

/** YAML syntax errors, each with its file:line:col. */
export function describeYamlErrors(source: ConfigSource): string[] {
  return source.doc.errors.map((err) => {
    const { line, col } = source.lineCounter.linePos(err.pos[0]);
    return `${source.name}:${line}:${col} YAML syntax error: ${err.message}`;
  });
}
