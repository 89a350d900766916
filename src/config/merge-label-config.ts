/**
 * The configuration in force: services.yml and routes.yml, plus what container labels declare.
 *
 * Policy: the files win. A label service whose name the files already use, a label route whose
 * host and prefix a file route already has, and a label service that depends on a service nobody
 * declares are left out, each with a warning that says which container and why. Label routes come
 * after the file routes. Pure.
 */
import { deepFreeze } from './deep-freeze.ts';
import type { LabelConfig } from './label-config.ts';
import type { Config, RouteConfig } from './routes-schema.ts';

/** The merged configuration and the warnings about what the files overrode. */
export interface MergedConfig {
  readonly config: Config;
  readonly warnings: readonly string[];
}

const routeKey = (r: Pick<RouteConfig, 'host' | 'pathPrefix'>): string => `${r.host ?? ''}${r.pathPrefix}`;

/** Files plus labels; see the module header. */
export function mergeLabelConfig(files: Config, labels: LabelConfig): MergedConfig {
  const warnings: string[] = [];
  const names = new Set(files.services.map((s) => s.name));
  const labelServices = labels.services.filter((s) => {
    if (!names.has(s.name)) return true;
    warnings.push(`service "${s.name}" is defined in ${files.servicesFile} and by labels of container "${s.container}": the file wins`);
    return false;
  });
  const known = new Set([...names, ...labelServices.map((s) => s.name)]);
  const kept = labelServices.filter((s) => {
    const missing = s.dependsOn.filter((d) => !known.has(d));
    if (missing.length === 0) return true;
    warnings.push(`service "${s.name}" (labels of container "${s.container}") depends on unknown ${missing.map((m) => `"${m}"`).join(', ')}: left out`);
    return false;
  });
  const keptNames = new Set(kept.map((s) => s.name));
  const taken = new Set(files.routes.map(routeKey));
  const routes: RouteConfig[] = [...files.routes];
  for (const route of labels.routes) {
    if (!keptNames.has(route.service)) continue;
    if (taken.has(routeKey(route))) {
      warnings.push(`route ${routeKey(route)} of service "${route.service}" (labels) is already in ${files.routesFile}: the file wins`);
      continue;
    }
    taken.add(routeKey(route));
    routes.push({ ...route, index: routes.length });
  }
  if (kept.length === 0 && routes.length === files.routes.length) return { config: files, warnings };
  return { config: deepFreeze({ ...files, services: [...files.services, ...kept], routes }), warnings };
}
