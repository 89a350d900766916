/**
 * Plain-language messages for zod's built-in issues, passed per parse (`safeParse(v, { error })`)
 * so nothing is configured globally. Messages written in the schemas themselves take precedence
 * over these; an issue this map does not know keeps zod's own message.
 * Policy: say what was expected and show what was found, in YAML words (mapping, list).
 */
import { z } from 'zod';
import { isDurationInput } from './duration.ts';

const EXPECTED_WORDS: Record<string, string> = {
  object: 'a mapping',
  array: 'a list',
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
};

/** Shows a found value the way it was written in YAML. */
function showValue(value: unknown): string {
  if (value === null) return 'an empty value';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return JSON.stringify(value);
  return String(value);
}

function sizeMessage(issue: z.core.$ZodRawIssue, bound: number | bigint, atLeast: boolean, inclusive: boolean): string | undefined {
  const origin = String(issue['origin'] ?? '');
  if (origin === 'number' || origin === 'int') {
    const op = atLeast ? (inclusive ? '>=' : '>') : inclusive ? '<=' : '<';
    return `expected a number ${op} ${bound}, got ${showValue(issue.input)}`;
  }
  if (origin === 'string' && atLeast && Number(bound) === 1) return 'must not be empty';
  if (origin === 'array') return `expected ${atLeast ? 'at least' : 'at most'} ${bound} item(s)`;
  return undefined;
}

/** Error map for every config parse: turns zod's generic wording into the messages users see. */
export const friendlyIssueMessage: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'required';
      return `expected ${EXPECTED_WORDS[issue.expected] ?? issue.expected}, got ${showValue(issue.input)}`;
    case 'too_big':
      return sizeMessage(issue, issue.maximum, false, issue.inclusive ?? true);
    case 'too_small':
      return sizeMessage(issue, issue.minimum, true, issue.inclusive ?? true);
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, got ${showValue(issue.input)}`;
    case 'invalid_format':
      if (issue.format === 'starts_with') return `expected a string starting with "${String(issue['prefix'])}", got ${showValue(issue.input)}`;
      return undefined;
    case 'invalid_union':
      if (isDurationInput(issue.inst)) {
        return `expected a duration like "30s", "5m", "500ms" or a number of seconds, got ${showValue(issue.input)}`;
      }
      return `unexpected value ${showValue(issue.input)}`;
    case 'unrecognized_keys':
      return issue.keys.map((k) => `unknown key ${JSON.stringify(k)}`).join(', ');
    default:
      return undefined;
  }
};
