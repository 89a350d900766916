/**
 * Config fuzzing (issue 10): arbitrary YAML text and arbitrary objects serialised to YAML (and
 * valid CONTAINER_* defaults beneath them), into the loader. Each case must end with a valid config or a ConfigError whose every issue is
 * located, never another throw, and never hang: the cases run in a worker thread and each one
 * has a deadline (a synchronous hang cannot be interrupted in-process; the worker is terminated).
 * The run is bounded: a fixed number of cases from a logged seed (reproduce with that seed).
 */
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { checkCase } from './support/config-fuzz-cases.ts';
import type { FuzzMessage } from './support/config-fuzz-worker.ts';

const NUM_RUNS = 2_000;
/** Far above what one parse takes (well under 10 ms): only a hang reaches it. */
const CASE_DEADLINE_MS = 5_000;

interface FuzzRun {
  readonly runs: number;
  readonly valid: number;
  readonly invalid: number;
  readonly failure: string | null;
}

function runFuzz(numRuns: number, seed: number): Promise<FuzzRun> {
  const worker = new Worker(new URL('./support/config-fuzz-worker.ts', import.meta.url), { workerData: { numRuns, seed } });
  return new Promise<FuzzRun>((resolve, reject) => {
    let current: FuzzMessage | null = null;
    let timer: NodeJS.Timeout | undefined;
    const arm = (): void => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        void worker.terminate();
        reject(new Error(`a case did not finish within ${CASE_DEADLINE_MS} ms (seed ${seed}): ${JSON.stringify(current)}`));
      }, CASE_DEADLINE_MS);
    };
    arm();
    worker.on('message', (message: FuzzMessage) => {
      if (message.kind === 'case') {
        current = message;
        arm();
        return;
      }
      clearTimeout(timer);
      void worker.terminate();
      resolve(message);
    });
    worker.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

describe('config fuzzing', () => {
  it(`answers ${NUM_RUNS} arbitrary config pairs with a config or located errors, never a throw or a hang`, async () => {
    const seed = Date.now() % 2 ** 31;
    const run = await runFuzz(NUM_RUNS, seed);
    expect(run.failure, `seed ${seed}`).toBeNull();
    expect(run.runs).toBe(NUM_RUNS);
    // The generators must reach both outcomes, or the property is only half tested.
    expect(run.valid).toBeGreaterThan(0);
    expect(run.invalid).toBeGreaterThan(0);
  });

  it.each([
    ['an alias bomb', 'a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\nservices: {}\n'],
    ['an alias without anchor', 'services: *nothing\n'],
    ['a __proto__ service', 'services:\n  __proto__: {container: x, port: 1}\n  api: {container: a, port: 1}\n'],
    ['a recursive alias', 'services: &s\n  api: *s\n'],
    ['a merge key', 'x: &x {port: 1}\nservices:\n  api:\n    <<: *x\n    container: a\n'],
    ['a 600h duration', 'services:\n  api: {container: a, port: 1, health_check: {timeout: 600h}}\n'],
    ['a huge number', 'services:\n  api: {container: a, port: 1e400}\n'],
    ['tags', 'services: !!set {a, b}\n'],
    ['a mapping as a key', 'services:\n  ? {a: 1}\n  : {container: a, port: 1}\n'],
  ])('locates %s', (_name, text) => {
    const outcome = checkCase({ routes: { name: 'routes.yml', text: 'routes:\n  - service: api\n' }, services: { name: 'services.yml', text } });
    expect(outcome.kind).toBe('invalid');
  });
});
