/**
 * Durations in config files: a number is seconds (the seeds write `idle_timeout: 300`), a string
 * is one or more `<number><unit>` parts with unit ms, s, m or h (`500ms`, `30s`, `5m`, `1h30m`).
 * Everything inside wake-proxy is milliseconds.
 * Policy: every duration is bounded to what a timer can hold (MAX_TIMER_MS, about 24.8 days): a
 * longer one would be fired by Node after 1 ms, so it is refused here, with the limit in the
 * message, rather than misbehave at run time. Durations where 0 means nothing sensible (a
 * timeout, an idle timeout) are built with `positive: true` and refuse 0.
 */
import { z } from 'zod';
import { MAX_TIMER_MS } from '../clock.ts';

const PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** The longest duration a config file may give (ms): the longest a Node.js timer holds. */
export const MAX_DURATION_MS = MAX_TIMER_MS;

/** The pattern a duration string matches (the JSON Schema carries it for editors). */
export const DURATION_PATTERN = '^\\s*(\\d+(\\.\\d+)?|(\\d+(\\.\\d+)?(ms|s|m|h))+)\\s*$';

/** Parses a duration string to milliseconds, or returns null when it is not one. */
export function parseDurationMs(text: string): number | null {
  const s = text.trim();
  if (/^\d+(\.\d+)?$/.test(s)) return Math.round(Number(s) * 1000);
  PART.lastIndex = 0;
  let total = 0;
  let matched = 0;
  for (let m = PART.exec(s); m !== null; m = PART.exec(s)) {
    total += Number(m[1]) * (UNIT_MS[m[2] ?? ''] ?? 0);
    matched = PART.lastIndex;
  }
  return matched === s.length && s.length > 0 ? Math.round(total) : null;
}

/** `90000` → `1m30s`: durations are shown the way users write them (h, m, s, ms). */
export function formatDurationMs(ms: number): string {
  const parts: string[] = [];
  let rest = ms;
  for (const [unit, size] of [['h', 3_600_000], ['m', 60_000], ['s', 1000], ['ms', 1]] as const) {
    if (rest >= size) parts.push(`${Math.floor(rest / size)}${unit}`);
    rest %= size;
  }
  return parts.length === 0 ? '0s' : parts.join('');
}

/** The limit as users read it: `596h31m23s (2^31−1 ms, about 24.8 days)`. */
export const MAX_DURATION_TEXT = `${formatDurationMs(Math.floor(MAX_DURATION_MS / 1000) * 1000)} (2^31−1 ms, about 24.8 days, the longest timer Node.js holds)`;

/** Options of a duration field. */
export interface DurationOptions {
  /** Refuse 0: for timeouts and idle timeouts, where 0 means nothing sensible. */
  readonly positive?: boolean;
}

function build(opts: DurationOptions) {
  return z.union([z.number(), z.string()]).transform((value, ctx) => {
    const ms = typeof value === 'number' ? Math.round(value * 1000) : parseDurationMs(value);
    const shown = typeof value === 'number' ? String(value) : JSON.stringify(value);
    if (ms === null || !Number.isFinite(ms) || ms < 0) {
      ctx.addIssue({ code: 'custom', message: `expected a duration like "30s", "5m", "500ms" or a number of seconds, got ${shown}` });
      return z.NEVER;
    }
    if (ms > MAX_DURATION_MS) {
      ctx.addIssue({ code: 'custom', message: `expected a duration of at most ${MAX_DURATION_TEXT}, got ${shown}` });
      return z.NEVER;
    }
    if (opts.positive === true && ms === 0) {
      ctx.addIssue({ code: 'custom', message: `expected a duration greater than 0, got ${shown}` });
      return z.NEVER;
    }
    return ms;
  });
}

/** zod type: `300` | `"300"` | `"30s"` | `"5m"` | `"1h30m"` → milliseconds, 0 up to MAX_DURATION_MS. */
export const DurationSchema = build({});

/** Like DurationSchema, but 0 is refused (timeouts, idle timeouts). */
export const PositiveDurationSchema = build({ positive: true });

/** True for the duration schemas (docs show them as `duration`). */
export function isDurationSchema(schema: unknown): schema is typeof DurationSchema {
  return schema === DurationSchema || schema === PositiveDurationSchema;
}

/** True for the number-or-string union a duration schema starts with (it names the union issue). */
export function isDurationInput(schema: unknown): boolean {
  return schema === DurationSchema.def.in || schema === PositiveDurationSchema.def.in;
}

/** Whether a duration schema refuses 0. */
export function isPositiveDuration(schema: unknown): boolean {
  return schema === PositiveDurationSchema;
}
