/**
 * Keeps the architecture honest by reading the sources: which modules may import which packages,
 * which folders may depend on which, and no console logging. (STYLE.md, "Dependency direction".)
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

const files = sourceFiles(join(ROOT, 'src')).map((path) => ({
  path: relative(ROOT, path),
  imports: [...readFileSync(path, 'utf8').matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]/gm)].map(
    (m) => m[1] ?? '',
  ),
  text: readFileSync(path, 'utf8'),
}));

/** package → the only files (prefixes) allowed to import it. */
const PACKAGE_HOMES: Record<string, readonly string[]> = {
  dockerode: ['src/providers/docker/', 'src/providers/swarm/'],
  'http-proxy-3': ['src/proxy/forward.ts'],
  undici: ['src/undici-lean.ts'],
  yaml: ['src/config/'],
  zod: ['src/config/'],
  pino: ['src/logging/'],
  ioredis: ['src/state/redis-store.ts'],
};

/** folder → folders it must never import from (core → edge is forbidden). */
const FORBIDDEN_DIRECTIONS: Record<string, readonly string[]> = {
  'src/lifecycle/': ['/proxy/', '/admin/', '/providers/docker/', '/providers/swarm/'],
  'src/idle/': ['/proxy/', '/admin/', '/providers/docker/', '/providers/swarm/'],
  'src/health/': ['/proxy/', '/admin/', '/providers/docker/', '/providers/swarm/', '/lifecycle/service-controller'],
  'src/proxy/': ['/providers/docker/', '/providers/swarm/', '/idle/'],
  'src/config/': ['/proxy/', '/lifecycle/', '/providers/', '/admin/'],
  // Pure balancing decisions (least in flight, circuit breaker): lifecycle/ uses them, they use nothing.
  'src/balance/': ['/proxy/', '/admin/', '/providers/', '/lifecycle/', '/idle/', '/health/', '/config/', '/metrics/'],
  'src/state/': ['/proxy/', '/admin/', '/providers/', '/lifecycle/service-controller', '/idle/idle-scheduler'],
};

describe('architecture', () => {
  it('finds the source files', () => {
    expect(files.length).toBeGreaterThan(20);
  });

  it.each(Object.entries(PACKAGE_HOMES))('imports %s only from its home module', (pkg, homes) => {
    const offenders = files
      .filter((f) => f.imports.some((i) => i === pkg || i.startsWith(`${pkg}/`)))
      .filter((f) => !homes.some((home) => f.path.startsWith(home)))
      .map((f) => f.path);
    expect(offenders).toEqual([]);
  });

  it.each(Object.entries(FORBIDDEN_DIRECTIONS))('keeps %s off the folders it must not depend on', (folder, banned) => {
    const offenders = files
      .filter((f) => f.path.startsWith(folder))
      .flatMap((f) => f.imports.filter((i) => i.startsWith('.') && banned.some((b) => i.includes(b))).map((i) => `${f.path} -> ${i}`));
    expect(offenders).toEqual([]);
  });

  it('loads the Redis client only when --state is set (no static import of its module)', () => {
    const offenders = files.filter((f) => f.imports.some((i) => i.endsWith('/redis-store.ts'))).map((f) => f.path);
    expect(offenders).toEqual([]);
  });

  it('logs through pino only (no console.*)', () => {
    const offenders = files.filter((f) => /\bconsole\.(log|error|warn|info|debug)\(/.test(f.text)).map((f) => f.path);
    expect(offenders).toEqual([]);
  });

  it('calls process.exit only in main.ts and reads process.env only in main.ts', () => {
    const exits = files.filter((f) => /process\.exit\(/.test(f.text) && f.path !== 'src/main.ts').map((f) => f.path);
    const envs = files.filter((f) => /process\.env\b/.test(f.text) && f.path !== 'src/main.ts').map((f) => f.path);
    expect({ exits, envs }).toEqual({ exits: [], envs: [] });
  });

  it('uses named exports only', () => {
    expect(files.filter((f) => /export default/.test(f.text)).map((f) => f.path)).toEqual([]);
  });
});
