/**
 * YAML a config file must not contain, found on the parsed document before it becomes plain data,
 * so each refusal has a file:line:col.
 * Policy:
 * - A `__proto__` key is refused wherever it is. Turned into a JavaScript object it does not
 *   become a key but replaces the object's prototype: a `__proto__` service beside a real one
 *   would vanish without a word. No config field or sensible service name is called that.
 * - A key that is a list, mapping or alias (`? [a, b]: x`) is refused: no config key is one, and
 *   turned into an object key it would be flattened to text (with a process warning).
 * - An alias bomb (aliases of aliases expanding to a huge document) is refused by the yaml
 *   library while converting (its maxAliasCount); this module names the alias that expands the
 *   most, so the refusal points at the line to fix. An alias without its anchor is located too.
 */
import { isAlias, isCollection, isPair, isScalar, visit, type Document, type Node } from 'yaml';
import type { ConfigSource } from './describe-issues.ts';

/** A refused construct at a byte offset of the file. */
export interface YamlHazard {
  readonly offset: number;
  readonly message: string;
}

/** Every `__proto__` key, and every key that is a list or mapping, at the key. */
export function findProtoKeys(doc: Document): YamlHazard[] {
  const found: YamlHazard[] = [];
  visit(doc, {
    Pair(_key, pair) {
      if (isPair(pair) && (isCollection(pair.key) || isAlias(pair.key))) {
        found.push({ offset: pair.key.range?.[0] ?? 0, message: 'a key must be a plain value, not a list, mapping or alias' });
      } else if (isPair(pair) && isScalar(pair.key) && String(pair.key.value) === '__proto__') {
        found.push({
          offset: pair.key.range?.[0] ?? 0,
          message: 'key "__proto__" is not allowed (it would replace the object\'s prototype instead of being a key)',
        });
      }
    },
  });
  return found;
}

/** How many nodes `node` stands for once its aliases are expanded; memoised, cycles count as 1. */
function expandedSize(doc: Document, node: unknown, memo: Map<unknown, number>, active: Set<unknown>): number {
  const known = memo.get(node);
  if (known !== undefined) return known;
  if (active.has(node)) return 1;
  active.add(node);
  let size = 1;
  if (isAlias(node)) size = expandedSize(doc, node.resolve(doc), memo, active);
  else if (isPair(node)) size = expandedSize(doc, node.key, memo, active) + expandedSize(doc, node.value, memo, active);
  else if (isCollection(node)) for (const item of node.items) size += expandedSize(doc, item, memo, active);
  active.delete(node);
  memo.set(node, size);
  return size;
}

/** Where a failed conversion went wrong: an alias without anchor, else the alias expanding the most. */
export function locateAliasTrouble(doc: Document): number | null {
  const aliases: Node[] = [];
  visit(doc, {
    Alias(_key, alias) {
      aliases.push(alias);
    },
  });
  const unresolved = aliases.find((a) => isAlias(a) && a.resolve(doc) === undefined);
  if (unresolved !== undefined) return unresolved.range?.[0] ?? null;
  const memo = new Map<unknown, number>();
  let worst: { node: Node; size: number } | null = null;
  for (const alias of aliases) {
    const size = expandedSize(doc, alias, memo, new Set());
    if (worst === null || size > worst.size) worst = { node: alias, size };
  }
  return worst?.node.range?.[0] ?? null;
}

/** `file:line:col message` for a hazard. */
export function describeHazard(source: ConfigSource, hazard: YamlHazard): string {
  const { line, col } = source.lineCounter.linePos(hazard.offset);
  return `${source.name}:${line}:${col} ${hazard.message}`;
}
