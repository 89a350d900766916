/**
 * Request rules: which requests must not wake a service, or must not count as activity.
 * Typical uses: uptime monitors (User-Agent), `/health` probes, favicon fetches.
 * The first rule that matches decides; a request matching no rule wakes and counts.
 */
import { z } from 'zod';

/** One rule; every `match` field given must match (AND); omitted fields match anything. */
export const RequestRuleSchema = z
  .object({
    match: z
      .object({
        path_prefix: z.string().startsWith('/').optional().describe('Request path starts with this prefix (before strip_prefix).'),
        method: z.string().toUpperCase().optional().describe('HTTP method, e.g. HEAD.'),
        user_agent: z.string().min(1).optional().describe('Substring of the User-Agent header, case-insensitive.'),
      })
      .strict()
      .refine((m) => m.path_prefix !== undefined || m.method !== undefined || m.user_agent !== undefined, {
        message: 'a rule must match on at least one of path_prefix, method, user_agent',
      })
      .describe('What the rule matches.'),
    wake: z.boolean().default(true).describe('false: while asleep, answer 503 with Retry-After instead of waking.'),
    count_activity: z.boolean().default(true).describe('false: forward without resetting the idle clock.'),
  })
  .strict()
  .transform((r) => ({
    match: {
      pathPrefix: r.match.path_prefix ?? null,
      method: r.match.method ?? null,
      userAgent: r.match.user_agent?.toLowerCase() ?? null,
    },
    wake: r.wake,
    countActivity: r.count_activity,
  }));

/** A parsed request rule. */
export type RequestRule = z.infer<typeof RequestRuleSchema>;
