/** The proxy runs with the same Node flags in the benchmark, under `npm start` and in the image. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROXY_NODE_ENV, PROXY_NODE_FLAGS } from '../../../bench/proxy-child.ts';

const root = join(import.meta.dirname, '../../..');
const startScript = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts['start'];
const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');

describe('proxy Node flags', () => {
  it.each([...PROXY_NODE_FLAGS])('passes %s in npm start and in the Dockerfile', (flag) => {
    expect(startScript).toContain(` ${flag} `);
    expect(dockerfile).toContain(`"${flag}"`);
  });

  it.each(Object.entries(PROXY_NODE_ENV))('sets %s=%s in npm start and in the Dockerfile', (name, value) => {
    expect(` ${startScript ?? ''}`).toContain(` ${name}=${value} `);
    expect(dockerfile).toMatch(new RegExp(`^\\s*(ENV )?${name}=${value}\\b`, 'm'));
  });
});
