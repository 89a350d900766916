import { describe, expect, it } from 'vitest';
import { RequestRuleSchema, type RequestRule } from '../../../src/config/request-rule-schema.ts';
import { decideRequest, type RequestFacts } from '../../../src/proxy/request-rules.ts';

function rule(input: Record<string, unknown>): RequestRule {
  return RequestRuleSchema.parse(input);
}

const get = (path: string, userAgent?: string): RequestFacts => ({ method: 'GET', path, userAgent });

const monitor = rule({ match: { user_agent: 'UptimeRobot' }, wake: false, count_activity: false });
const health = rule({ match: { path_prefix: '/health' }, count_activity: false });
const headOnly = rule({ match: { method: 'head' }, wake: false });
const favicon = rule({ match: { path_prefix: '/favicon.ico', method: 'GET' }, wake: false, count_activity: false });
const routeWakes = rule({ match: { path_prefix: '/health' }, wake: true, count_activity: true });

describe('decideRequest', () => {
  it.each<[string, RequestRule[], RequestRule[], RequestFacts, { wake: boolean; countActivity: boolean }]>([
    ['wakes and counts when there are no rules', [], [], get('/x'), { wake: true, countActivity: true }],
    ['wakes and counts when no rule matches', [], [monitor, health], get('/x', 'curl/8'), { wake: true, countActivity: true }],
    ['matches user_agent as a case-insensitive substring', [], [monitor], get('/', 'Mozilla UPTIMEROBOT/2.0'), { wake: false, countActivity: false }],
    ['does not match a missing user agent', [], [monitor], get('/'), { wake: true, countActivity: true }],
    ['matches path_prefix on whole segments', [], [health], get('/health/live'), { wake: true, countActivity: false }],
    ['does not match a longer segment', [], [health], get('/healthz'), { wake: true, countActivity: true }],
    ['matches method exactly', [], [headOnly], { method: 'HEAD', path: '/', userAgent: undefined }, { wake: false, countActivity: true }],
    ['does not match another method', [], [headOnly], get('/'), { wake: true, countActivity: true }],
    ['ANDs the fields of one rule (all match)', [], [favicon], get('/favicon.ico'), { wake: false, countActivity: false }],
    ['ANDs the fields of one rule (one differs)', [], [favicon], { method: 'POST', path: '/favicon.ico', userAgent: undefined }, { wake: true, countActivity: true }],
    ['lets the first matching rule win', [], [health, monitor], get('/health', 'UptimeRobot'), { wake: true, countActivity: false }],
    ['checks route rules before service rules', [routeWakes], [monitor, health], get('/health', 'UptimeRobot'), { wake: true, countActivity: true }],
    ['falls back to service rules when no route rule matches', [routeWakes], [monitor], get('/x', 'uptimerobot'), { wake: false, countActivity: false }],
  ])('%s', (_name, routeRules, serviceRules, facts, expected) => {
    expect(decideRequest({ requestRules: routeRules }, { requestRules: serviceRules }, facts)).toEqual(expected);
  });
});
