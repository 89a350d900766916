/**
 * routes.yml: which requests go to which service. A route matches an optional host and a path
 * prefix; among matching routes the longest prefix wins, and a route with a host beats one without.
 */
import { z } from 'zod';
import { RequestRuleSchema } from './request-rule-schema.ts';
import { LoadingPageSchema } from './loading-page-schema.ts';

const PathPrefixSchema = z
  .string()
  .startsWith('/', 'a path prefix starts with "/"')
  .refine((p) => !p.includes('..') && !p.includes('//') && !/[?#%]/.test(p), 'a path prefix has no "..", "//", "?", "#" or "%"')
  .transform((p) => (p.length > 1 && p.endsWith('/') ? p.slice(0, -1) : p));

/** One route entry. */
export const RouteEntrySchema = z
  .object({
    path: PathPrefixSchema.default('/').describe('Path prefix, matched on whole segments; the longest matching prefix wins.'),
    host: z
      .string()
      .regex(/^[A-Za-z0-9.-]+$/, 'expected a host name like "grafana.example.com"')
      .transform((h) => h.toLowerCase())
      .optional()
      .describe('Match only this Host header (port ignored).'),
    service: z.string().min(1).describe('Service (from services.yml) that serves this route.'),
    strip_prefix: z.boolean().default(false).describe('Remove the path prefix before forwarding; X-Forwarded-Prefix carries it.'),
    rewrite_location: z
      .boolean()
      .default(true)
      .describe('With strip_prefix: put Location, Content-Location and Refresh URLs that point into the stripped space back under the prefix.'),
    rewrite_cookie_path: z
      .boolean()
      .default(false)
      .describe('With strip_prefix: put Set-Cookie Path attributes back under the prefix too.'),
    request_rules: z.array(RequestRuleSchema).default([]).describe('Rules for this route, checked before the service\'s rules.'),
    loading_page: LoadingPageSchema.optional().describe("The service's loading_page for requests on this route (overrides the service's)."),
  })
  .strict();

/** The whole routes.yml file. */
export const RoutesFileSchema = z
  .object({
    routes: z.array(RouteEntrySchema).min(1, 'at least one route is required').describe('Routes, any order.'),
  })
  .strict()
  .transform((f) =>
    f.routes.map((r, index) => ({
      index,
      pathPrefix: r.path,
      host: r.host ?? null,
      service: r.service,
      stripPrefix: r.strip_prefix,
      rewriteLocation: r.rewrite_location,
      rewriteCookiePath: r.rewrite_cookie_path,
      requestRules: r.request_rules,
      loadingPage: r.loading_page ?? null,
    })),
  );

/** One parsed route. */
export type RouteConfig = z.infer<typeof RoutesFileSchema>[number];

/** The whole loaded configuration, deep-frozen. */
export interface Config {
  readonly routesFile: string;
  readonly servicesFile: string;
  readonly routes: readonly RouteConfig[];
  readonly services: readonly ServiceConfigRef[];
}
/** Re-exported so Config needs one import. */
export type ServiceConfigRef = import('./services-schema.ts').ServiceConfig;
