/**
 * routes.yml and services.yml for the proxy child: one real service for the wake, burst and
 * steady-state figures, or N services whose containers do not exist for the scale figures.
 *
 * Policy: the benchmark's services never sleep on their own (sleep_policy.enabled: false): the
 * benchmark alone decides when a container is paused or stopped, so no idle timer fires in the
 * middle of a timed phase. Readiness is probed with HTTP GET /health, the realistic setting.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One service and the path prefix routed to it. */
export interface BenchService {
  readonly name: string;
  readonly container: string;
  readonly port: number;
  readonly pathPrefix: string;
}

/** The text of both files. */
export interface ConfigTextPair {
  readonly routes: string;
  readonly services: string;
}

/** Renders both files for `services` (names and containers are plain, no quoting needed). */
export function renderConfig(services: readonly BenchService[]): ConfigTextPair {
  const routes = ['routes:', ...services.flatMap((s) => [`  - path: ${s.pathPrefix}`, `    service: ${s.name}`])];
  const entries = services.flatMap((s) => [
    `  ${s.name}:`,
    `    container: ${s.container}`,
    `    port: ${s.port}`,
    '    health_check: { path: /health, timeout: 30s }',
    '    sleep_policy: { enabled: false }',
  ]);
  return { routes: `${routes.join('\n')}\n`, services: `${['services:', ...entries].join('\n')}\n` };
}

/** `count` services named svc-0… whose containers do not exist, each under /svc-<i>. */
export function generatedServices(count: number): BenchService[] {
  return Array.from({ length: count }, (_, i) => ({
    name: `svc-${i}`,
    container: `wake-proxy-bench-absent-${i}`,
    port: 8080,
    pathPrefix: `/svc-${i}`,
  }));
}

/** Writes both files into a fresh temporary directory; returns their paths. */
export async function writeConfig(pair: ConfigTextPair): Promise<{ dir: string; routesPath: string; servicesPath: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'wake-proxy-bench-'));
  const routesPath = join(dir, 'routes.yml');
  const servicesPath = join(dir, 'services.yml');
  await writeFile(routesPath, pair.routes);
  await writeFile(servicesPath, pair.services);
  return { dir, routesPath, servicesPath };
}
