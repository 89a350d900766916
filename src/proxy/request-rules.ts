/**
 * Whether a request may wake its service and whether it counts as activity.
 *
 * Policy: the route's rules are checked first, then the service's; the first rule whose `match`
 * fields all match decides. A request no rule matches wakes the service and counts as activity.
 * `path_prefix` matches whole segments of the path as the client sent it (before strip_prefix);
 * `method` matches exactly (the schema upper-cases it); `user_agent` is a case-insensitive
 * substring (the schema lower-cases it). Typical use: uptime monitors and `/health` probes that
 * must not keep a service awake, or must not wake it at all.
 */
import type { RequestRule } from '../config/request-rule-schema.ts';
import type { RouteConfig } from '../config/routes-schema.ts';
import type { ServiceConfig } from '../config/services-schema.ts';
import { hasSegmentPrefix } from './request-path.ts';

/** What the rules look at in a request. */
export interface RequestFacts {
  readonly method: string;
  /** Path without query, before strip_prefix. */
  readonly path: string;
  readonly userAgent: string | undefined;
}

/** What the proxy does with a request while its service is not ready. */
export interface RequestDecision {
  /** false: answer 503 with Retry-After instead of waking the service. */
  readonly wake: boolean;
  /** false: forward without counting in-flight work (the idle clock keeps running). */
  readonly countActivity: boolean;
}

/** The decision when no rule matches. */
export const DEFAULT_DECISION: RequestDecision = Object.freeze({ wake: true, countActivity: true });

function matches(rule: RequestRule, facts: RequestFacts, lowerAgent: () => string): boolean {
  const m = rule.match;
  if (m.method !== null && m.method !== facts.method) return false;
  if (m.pathPrefix !== null && !hasSegmentPrefix(facts.path, m.pathPrefix)) return false;
  if (m.userAgent !== null && !lowerAgent().includes(m.userAgent)) return false;
  return true;
}

/** Applies the route's, then the service's request rules; the first match decides. */
export function decideRequest(
  route: Pick<RouteConfig, 'requestRules'>,
  service: Pick<ServiceConfig, 'requestRules'>,
  facts: RequestFacts,
): RequestDecision {
  if (route.requestRules.length === 0 && service.requestRules.length === 0) return DEFAULT_DECISION;
  let agent: string | null = null;
  const lowerAgent = (): string => (agent ??= (facts.userAgent ?? '').toLowerCase());
  for (const rules of [route.requestRules, service.requestRules]) {
    for (const rule of rules) {
      if (matches(rule, facts, lowerAgent)) return { wake: rule.wake, countActivity: rule.countActivity };
    }
  }
  return DEFAULT_DECISION;
}
