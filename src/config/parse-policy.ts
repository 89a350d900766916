/**
 * A sleep policy sent at run time (admin `PUT /services/:name/policy`), parsed by the same schema
 * as services.yml's `sleep_policy`, so the rules, defaults and messages are the same.
 */
import { ConfigError } from '../errors.ts';
import { friendlyIssueMessage } from './issue-messages.ts';
import { SleepPolicySchema, type SleepPolicy } from './services-schema.ts';

/** Parses a JSON value as a sleep_policy mapping; throws ConfigError with one message per problem. */
export function parseSleepPolicy(value: unknown): SleepPolicy {
  const result = SleepPolicySchema.safeParse(value, { error: friendlyIssueMessage });
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => {
      const path = ['sleep_policy', ...issue.path.map(String)].join('.');
      return `${path}: ${issue.message}`;
    }),
  );
}
