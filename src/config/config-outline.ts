/**
 * Outlines of the config files read straight from their plain data (before or without the
 * schema), so the cross-checks can run even when a schema error stops a file from parsing.
 * Policy: take only what has the right type; a field that does not is null (the schema reports
 * it). Names and prefixes are normalised by the same schemas the files are parsed with.
 */
import type { RouteOutline, ServiceOutline } from './cross-check.ts';
import { RouteEntrySchema } from './routes-schema.ts';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmptyString(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** The routes of routes.yml's data; an entry that is not a mapping has every field null. */
export function outlineRoutes(data: unknown): RouteOutline[] {
  const routes = isRecord(data) && Array.isArray(data['routes']) ? (data['routes'] as unknown[]) : [];
  return routes.map((entry, index) => {
    const r = isRecord(entry) ? entry : {};
    const path = RouteEntrySchema.shape.path.safeParse(r['path']);
    const host = RouteEntrySchema.shape.host.safeParse(r['host']);
    return {
      index,
      pathPrefix: isRecord(entry) && path.success && host.success ? path.data : null,
      host: host.success ? (host.data ?? null) : null,
      service: nonEmptyString(r['service']),
    };
  });
}

/** The services of services.yml's data, or null when it has no services mapping to read. */
export function outlineServices(data: unknown): ServiceOutline[] | null {
  if (!isRecord(data) || !isRecord(data['services'])) return null;
  return Object.entries(data['services']).map(([name, entry]) => {
    const s = isRecord(entry) ? entry : {};
    const deps = s['depends_on'];
    return {
      name,
      container: nonEmptyString(s['container']),
      dependsOn: Array.isArray(deps) ? deps.map(nonEmptyString) : [],
      portless: isRecord(entry) && s['port'] === undefined,
      ...(Array.isArray(s['containers']) ? { instances: s['containers'].map(nonEmptyString) } : {}),
    };
  });
}
