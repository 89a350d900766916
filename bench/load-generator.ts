/**
 * Saturation load from a separate process: wrk when it is installed (or installable with apt),
 * else autocannon's CLI (npm devDependency) run on the same Node. Both report requests/s and
 * latency percentiles for a fixed duration and connection count.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ensureProgram, versionOf } from './tools.ts';
import { parseWrkOutput, type LoadResult } from './wrk-output.ts';

const run = promisify(execFile);

/** A saturation run: `connections` keep-alive connections for `durationS` seconds. */
export interface LoadSpec {
  readonly url: string;
  readonly connections: number;
  readonly durationS: number;
}

/** A load generator the benchmark can drive. */
export interface LoadGenerator {
  /** e.g. `wrk 4.1.0` or `autocannon 9.0.0`. */
  readonly name: string;
  run(spec: LoadSpec): Promise<LoadResult>;
}

function wrkGenerator(path: string, name: string): LoadGenerator {
  return {
    name,
    async run(spec) {
      const args = ['-t2', `-c${spec.connections}`, `-d${spec.durationS}s`, '--latency', spec.url];
      const { stdout } = await run(path, args, { timeout: (spec.durationS + 30) * 1000 });
      return parseWrkOutput(stdout);
    },
  };
}

interface AutocannonJson {
  readonly requests: { readonly total: number };
  readonly duration: number;
  readonly errors: number;
  readonly non2xx: number;
  readonly latency: { readonly p50: number; readonly p99: number };
}

function autocannonGenerator(name: string): LoadGenerator {
  const cli = join(import.meta.dirname, '..', 'node_modules', 'autocannon', 'autocannon.js');
  return {
    name,
    async run(spec) {
      const args = [cli, '-j', '-c', String(spec.connections), '-d', String(spec.durationS), spec.url];
      const { stdout } = await run(process.execPath, args, { timeout: (spec.durationS + 30) * 1000, maxBuffer: 16 << 20 });
      const report = JSON.parse(stdout) as AutocannonJson;
      return {
        rps: report.requests.total / report.duration,
        requests: report.requests.total,
        errors: report.errors + report.non2xx,
        p50Ms: report.latency.p50,
        p99Ms: report.latency.p99,
      };
    },
  };
}

/** wrk if available (installing it with apt if needed), else autocannon. */
export async function chooseLoadGenerator(log: (line: string) => void, preferAutocannon = false): Promise<LoadGenerator> {
  const wrk = preferAutocannon ? null : await ensureProgram('wrk', 'wrk', log);
  if (wrk !== null) return wrkGenerator(wrk, (await versionOf(wrk, ['-v']))?.split(' [')[0] ?? 'wrk');
  const pkg = join(import.meta.dirname, '..', 'node_modules', 'autocannon', 'package.json');
  const { stdout } = await run(process.execPath, ['-p', `require(${JSON.stringify(pkg)}).version`]);
  log('wrk is not available: using autocannon');
  return autocannonGenerator(`autocannon ${stdout.trim()}`);
}
