/** The proxy runs with the same Node flags, environment and allocator in the benchmark, under `npm start` and in the image. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JEMALLOC_PATHS, PROXY_NODE_ENV, PROXY_NODE_FLAGS } from '../../../bench/proxy-child.ts';

const root = join(import.meta.dirname, '../../..');
const startScript = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts['start'];
const startSh = readFileSync(join(root, 'scripts/start.sh'), 'utf8');
const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');

describe('proxy Node flags', () => {
  it('npm start runs scripts/start.sh', () => {
    expect(startScript).toBe('sh scripts/start.sh');
    expect(startSh).toMatch(/^exec node .* dist\/main\.js "\$@"$/m);
  });

  it.each([...PROXY_NODE_FLAGS])('passes %s in npm start and in the Dockerfile', (flag) => {
    expect(startSh).toMatch(new RegExp(`^exec node (.* )?${flag} `, 'm'));
    expect(dockerfile).toContain(`"${flag}"`);
  });

  it.each(Object.entries(PROXY_NODE_ENV))('sets %s=%s in npm start and in the Dockerfile', (name, value) => {
    expect(startSh).toMatch(new RegExp(`^export ${name}=${value}$`, 'm'));
    expect(dockerfile).toMatch(new RegExp(`^\\s*(ENV )?${name}=${value}\\b`, 'm'));
  });

  it('looks for jemalloc where the benchmark does, and the image preloads it', () => {
    expect(/^for lib in (.*); do$/m.exec(startSh)?.[1]?.split(' ')).toEqual(JEMALLOC_PATHS);
    expect(startSh).toContain('export LD_PRELOAD="$lib${LD_PRELOAD:+:$LD_PRELOAD}"');
    expect(dockerfile).toMatch(/apt-get install -y --no-install-recommends libjemalloc2\b/);
    expect(dockerfile).toMatch(/^\s*(ENV )?LD_PRELOAD=\/usr\/local\/lib\/libjemalloc\.so\.2\b/m);
  });
});
