/**
 * Keeps the architecture honest by reading the sources: which modules may import which packages,
 * which folders may depend on which, that no file imports itself back through others, and no
 * console logging. (STYLE.md, "Dependency direction".)
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
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

/** file → the files under src/ it imports (static `import`/`export … from`, type-only ones included). */
const IMPORT_GRAPH: ReadonlyMap<string, readonly string[]> = new Map(
  files.map((f) => [
    f.path,
    f.imports.filter((i) => i.startsWith('.')).map((i) => join(dirname(f.path), i)).filter((p) => files.some((g) => g.path === p)),
  ]),
);

/**
 * The strongly connected groups of the import graph that hold a cycle (Tarjan), each written as one
 * of its loops, shortest first from its first file: `a.ts -> b.ts -> a.ts`, plus any other member.
 */
function importCycles(graph: ReadonlyMap<string, readonly string[]>): string[] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const groups: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, index.size);
    low.set(v, index.get(v) ?? 0);
    stack.push(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) visit(w);
      if (stack.includes(w)) low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
    }
    if (low.get(v) !== index.get(v)) return;
    const group = stack.splice(stack.indexOf(v));
    if (group.length > 1 || (graph.get(v) ?? []).includes(v)) groups.push(group.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return groups.map((group) => {
    const [first = ''] = group;
    const via = new Map<string, string>();
    const queue = [first];
    while (queue.length > 0 && !via.has(first)) {
      const v = queue.shift() ?? '';
      for (const w of graph.get(v) ?? []) {
        if (!group.includes(w) || via.has(w)) continue;
        via.set(w, v);
        queue.push(w);
      }
    }
    const loop = [first];
    for (let v = via.get(first) ?? first; v !== first; v = via.get(v) ?? first) loop.unshift(v);
    loop.unshift(first);
    const others = group.filter((f) => !loop.includes(f));
    return loop.join(' -> ') + (others.length > 0 ? ` (with ${others.join(', ')})` : '');
  });
}

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

  // Type-only imports count: STYLE has imports point down, and a type is as much a dependency for a
  // reader as a value (both cycles this test was written for were closed by an `import type`).
  // Dynamic `import()` (main.ts's lazy Redis store) is not read by the parser above, and is no cycle.
  it('has no import cycles between files under src/', () => {
    const cycles = importCycles(IMPORT_GRAPH);
    expect(cycles, `files that import each other in a circle:\n${cycles.join('\n')}`).toEqual([]);
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
