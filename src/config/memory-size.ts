/**
 * Memory sizes in config files, as Docker and the seeds write them: a number is bytes; a string
 * is a number with a unit, `b`, `k`, `m`, `g` (optionally followed by `b` or `i`/`ib`), binary as
 * in Docker (`128M` = 128 MiB = 134217728 bytes).
 */
import { z } from 'zod';

const SIZE = /^(\d+(?:\.\d+)?)\s*([kmg]?)(?:i?b)?$/i;
const FACTOR: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** Parses a memory size to bytes, or returns null when it is not one. */
export function parseMemoryBytes(text: string): number | null {
  const match = SIZE.exec(text.trim());
  if (match === null) return null;
  return Math.round(Number(match[1]) * (FACTOR[(match[2] ?? '').toLowerCase()] ?? 1));
}

/** zod type: `134217728` | `"128M"` | `"128MB"` | `"1g"` → bytes (at least 4 MiB, Docker's minimum). */
export const MemorySizeSchema = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const bytes = typeof value === 'number' ? Math.round(value) : parseMemoryBytes(value);
  if (bytes === null || !Number.isFinite(bytes) || bytes < 4 * 1024 ** 2) {
    ctx.addIssue({ code: 'custom', message: `expected a memory size of at least 4M like "128M" or "1G", got ${JSON.stringify(value)}` });
    return z.NEVER;
  }
  return bytes;
});
