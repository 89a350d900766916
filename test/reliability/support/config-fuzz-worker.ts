/**
 * Worker side of config-fuzz.test.ts: runs the fuzzing property, posting every case before it is
 * parsed, so the parent thread can time each case and terminate this worker if one hangs.
 */
import { parentPort, workerData } from 'node:worker_threads';
import fc from 'fast-check';
import { checkCase, fuzzCase } from './config-fuzz-cases.ts';

/** Messages to the parent thread. */
export type FuzzMessage =
  | { readonly kind: 'case'; readonly index: number; readonly input: unknown }
  | { readonly kind: 'done'; readonly runs: number; readonly valid: number; readonly invalid: number; readonly failure: string | null };

const { numRuns, seed } = workerData as { numRuns: number; seed: number };
const port = parentPort;
if (port === null) throw new Error('config-fuzz-worker runs in a worker thread');
let index = 0;
let valid = 0;
let invalid = 0;
const result = fc.check(
  fc.property(fuzzCase, (c) => {
    port.postMessage({ kind: 'case', index: index++, input: c } satisfies FuzzMessage);
    if (checkCase(c.texts, c.env).kind === 'valid') valid += 1;
    else invalid += 1;
  }),
  { numRuns, seed },
);
const failure = result.failed ? fc.defaultReportMessage(result) ?? 'failed' : null;
port.postMessage({ kind: 'done', runs: result.numRuns, valid, invalid, failure } satisfies FuzzMessage);
