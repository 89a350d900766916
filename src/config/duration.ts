/**
 * Durations in config files: a number is seconds (the seeds write `idle_timeout: 300`), a string
 * is one or more `<number><unit>` parts with unit ms, s, m or h (`500ms`, `30s`, `5m`, `1h30m`).
 * Everything inside wake-proxy is milliseconds.
 */
import { z } from 'zod';

const PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

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

/** zod type: `300` | `"300"` | `"30s"` | `"5m"` | `"1h30m"` → milliseconds (non-negative). */
export const DurationSchema = z
  .union([z.number(), z.string()])
  .transform((value, ctx) => {
    const ms = typeof value === 'number' ? Math.round(value * 1000) : parseDurationMs(value);
    if (ms === null || !Number.isFinite(ms) || ms < 0) {
      ctx.addIssue({
        code: 'custom',
        message: `expected a duration like "30s", "5m", "500ms" or a number of seconds, got ${JSON.stringify(value)}`,
      });
      return z.NEVER;
    }
    return ms;
  });
