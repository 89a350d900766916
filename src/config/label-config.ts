/**
 * Services declared with Docker labels, the way Traefik and Sablier users configure: a container
 * labelled `wake-proxy.enable=true` is a service without any services.yml entry.
 *
 * Policy:
 * - Labels: `wake-proxy.service` (name; default the compose service name, else the container
 *   name), `wake-proxy.port`, `wake-proxy.route` (path prefix), `wake-proxy.host`,
 *   `wake-proxy.strip_prefix`, `wake-proxy.depends_on` (comma list), `wake-proxy.auto_start`,
 *   `wake-proxy.max_held_requests`, `wake-proxy.health_check.<field>` (every health_check field),
 *   and the seeds' sleep labels `sleep.enabled`, `sleep.idle_timeout`, `sleep.min_sleep_time`,
 *   `sleep.max_sleep_time`, `sleep.min_uptime`, `sleep.priority`, `sleep.mode`,
 *   `sleep.idle_cpu_threshold`. An unknown `wake-proxy.*` label is an error, like an unknown key.
 * - Values are text; `true`/`false` become booleans and whole numbers become numbers (durations
 *   in seconds, as in the files), except `health_check.status`, which stays a range;
 *   `depends_on` and `health_check.command` are comma lists.
 * - They are validated by the same schemas as the files. Errors name the container and the
 *   label. One container's bad labels never keep the others from being served.
 * - A route is made only when `wake-proxy.route` or `wake-proxy.host` is set.
 * - `wake-proxy.compose_scale=true` on the replicas of a compose service declares one service whose
 *   instances are all of them (services-schema.ts `compose_scale`); the first replica read speaks
 *   for all, and the others do not count as declaring it twice.
 * - The CONTAINER_* environment defaults apply to label services as to file services; the
 *   `defaults:` block of services.yml does not (it belongs to that file).
 * Pure: containers in, services, routes and located problems out.
 */
import { friendlyIssueMessage } from './issue-messages.ts';
import { mergeServiceDefaults, NO_ENV_DEFAULTS, type EnvServiceDefaults } from './service-defaults.ts';
import { RoutesFileSchema, type RouteConfig } from './routes-schema.ts';
import { ServicesFileSchema, type ServiceConfig } from './services-schema.ts';

/** The label that makes a container a service. */
export const ENABLE_LABEL = 'wake-proxy.enable';
const PREFIX = 'wake-proxy.';
const SLEEP_PREFIX = 'sleep.';
const SLEEP_FIELDS = new Set(['enabled', 'idle_timeout', 'min_sleep_time', 'max_sleep_time', 'min_uptime', 'priority', 'mode', 'idle_cpu_threshold']);
const SERVICE_KEYS = new Set(['port', 'depends_on', 'auto_start', 'max_held_requests', 'compose_project', 'compose_scale']);
const COMPOSE_SERVICE_LABEL = 'com.docker.compose.service';
const ROUTE_KEYS = new Set(['route', 'host', 'strip_prefix']);
const LIST_KEYS = new Set(['depends_on', 'health_check.command']);
const TEXT_KEYS = new Set(['health_check.status']);

/** A container as label discovery sees it. */
export interface LabelledContainer {
  readonly id: string;
  /** Container name without the leading slash. */
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** What the labels of all containers declare. */
export interface LabelConfig {
  readonly services: readonly ServiceConfig[];
  readonly routes: readonly RouteConfig[];
  /** One line per problem: `container "web-1" label "sleep.idle_timeout": …`. */
  readonly issues: readonly string[];
}

function coerce(key: string, value: string): unknown {
  const text = value.trim();
  if (LIST_KEYS.has(key)) return text === '' ? [] : text.split(',').map((v) => v.trim());
  if (TEXT_KEYS.has(key)) return text;
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  return text;
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (const part of path.slice(0, -1)) {
    const next = (node[part] ??= {}) as Record<string, unknown>;
    node = next;
  }
  node[path.at(-1) as string] = value;
}

interface Translated {
  readonly name: string;
  /** The compose service whose replicas all declare this service (`wake-proxy.compose_scale`), or null. */
  readonly scaled: string | null;
  readonly entry: Record<string, unknown>;
  readonly route: Record<string, unknown> | null;
  /** Schema path (e.g. `sleep_policy.idle_timeout`) → the label that set it. */
  readonly labelOf: ReadonlyMap<string, string>;
  readonly issues: readonly string[];
}

function translate(container: LabelledContainer): Translated {
  const where = `container "${container.name}"`;
  const labels = container.labels;
  const name = labels[`${PREFIX}service`] ?? labels['com.docker.compose.service'] ?? container.name;
  const entry: Record<string, unknown> = { container: container.name };
  const route: Record<string, unknown> = {};
  const labelOf = new Map<string, string>([['container', ENABLE_LABEL]]);
  const issues: string[] = [];
  for (const [label, value] of Object.entries(labels)) {
    let key: string | null = null;
    let path: string[] | null = null;
    if (label.startsWith(SLEEP_PREFIX) && SLEEP_FIELDS.has(label.slice(SLEEP_PREFIX.length))) {
      key = `sleep_policy.${label.slice(SLEEP_PREFIX.length)}`;
      path = key.split('.');
    } else if (label.startsWith(PREFIX)) {
      key = label.slice(PREFIX.length);
      if (key === 'enable' || key === 'service') continue;
      if (ROUTE_KEYS.has(key)) {
        route[key === 'route' ? 'path' : key] = coerce(key, value);
        labelOf.set(`route.${key === 'route' ? 'path' : key}`, label);
        continue;
      }
      if (SERVICE_KEYS.has(key) || key.startsWith('health_check.') || key.startsWith('circuit_breaker.')) path = key.split('.');
      else issues.push(`${where} label "${label}": unknown wake-proxy label`);
    }
    if (key === null || path === null) continue;
    setPath(entry, path, coerce(key, value));
    labelOf.set(path.join('.'), label);
  }
  // compose_scale: the service is the compose service, whichever replica's labels are read.
  const scaled = entry['compose_scale'] === true ? (labels[COMPOSE_SERVICE_LABEL] ?? null) : null;
  if (entry['compose_scale'] === true && scaled === null) issues.push(`${where} label "${PREFIX}compose_scale": the container has no ${COMPOSE_SERVICE_LABEL} label`);
  if (scaled !== null) entry['container'] = scaled;
  const hasRoute = 'path' in route || 'host' in route;
  return { name, scaled, entry, route: hasRoute ? { ...route, service: name } : null, labelOf, issues };
}

function labelFor(labelOf: ReadonlyMap<string, string>, path: readonly PropertyKey[]): string {
  for (let n = path.length; n > 0; n -= 1) {
    const found = labelOf.get(path.slice(0, n).map(String).join('.'));
    if (found !== undefined) return found;
  }
  return path.length === 0 ? ENABLE_LABEL : `${PREFIX}${path.map(String).join('.')}`;
}

/** Services and routes from the labels of `containers` (only those with wake-proxy.enable=true). */
export function labelsToConfig(containers: readonly LabelledContainer[], env: EnvServiceDefaults = NO_ENV_DEFAULTS): LabelConfig {
  const services: ServiceConfig[] = [];
  const routes: RouteConfig[] = [];
  const issues: string[] = [];
  const seen = new Map<string, string>();
  const scaledBy = new Map<string, string>();
  for (const container of containers) {
    if (container.labels[ENABLE_LABEL]?.trim() !== 'true') continue;
    const t = translate(container);
    // Another replica of a compose_scale service already declared it: one service, many instances.
    if (t.scaled !== null && scaledBy.get(t.name) === t.scaled) continue;
    const where = `container "${container.name}"`;
    const problems = [...t.issues];
    const other = seen.get(t.name);
    if (other !== undefined) problems.push(`${where} label "${PREFIX}service": service "${t.name}" is already declared by container "${other}"`);
    const withDefaults = mergeServiceDefaults({ services: { [t.name]: t.entry } }, env).data;
    const parsed = ServicesFileSchema.safeParse(withDefaults, { error: friendlyIssueMessage });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const path = issue.path.slice(2);
        if (issue.code === 'unrecognized_keys') {
          for (const key of issue.keys) problems.push(`${where} label "${labelFor(t.labelOf, [...path, key])}": unknown wake-proxy label`);
        } else {
          problems.push(`${where} label "${labelFor(t.labelOf, path)}": ${issue.message}`);
        }
      }
    }
    let route: RouteConfig | null = null;
    if (t.route !== null) {
      const parsedRoute = RoutesFileSchema.safeParse({ routes: [t.route] }, { error: friendlyIssueMessage });
      if (parsedRoute.success) route = parsedRoute.data[0] ?? null;
      else for (const issue of parsedRoute.error.issues) problems.push(`${where} label "${labelFor(t.labelOf, ['route', ...issue.path.slice(2)])}": ${issue.message}`);
    }
    if (problems.length > 0 || !parsed.success) {
      issues.push(...problems);
      continue;
    }
    seen.set(t.name, container.name);
    if (t.scaled !== null) scaledBy.set(t.name, t.scaled);
    services.push(...parsed.data);
    if (route !== null) routes.push({ ...route, index: -1 });
  }
  return { services, routes, issues };
}
