/**
 * Writes a run's figures: bench/results.json (flat, machine-readable), bench/results.md (the
 * table a person reads) and, for full runs, the README's section between the bench markers.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { evaluateGoals, type GoalRow } from './goals.ts';
import type { BenchResults } from './results.ts';

const START = '<!-- bench:start -->';
const END = '<!-- bench:end -->';

function mark(met: boolean | null): string {
  if (met === null) return '';
  return met ? 'yes' : '**no**';
}

/** The markdown table of every figure. */
export function renderTable(rows: readonly GoalRow[]): string {
  const lines = ['| figure | value | floor / reference | ratio | goal | met? |', '|---|---|---|---|---|---|'];
  for (const row of rows) lines.push(`| ${row.figure} | ${row.value} | ${row.reference} | ${row.ratio} | ${row.goal} | ${mark(row.met)} |`);
  return lines.join('\n');
}

function str(results: BenchResults, key: string): string {
  const value = results[key];
  return value === null || value === undefined ? 'n/a' : String(value);
}

/** How the figures were made, under the table. */
export function renderNotes(results: BenchResults): string {
  const nginx = results['nginx_rps'] === null ? 'nginx was not available: its figures are null' : `nginx ${str(results, 'nginx_version')} with ${str(results, 'nginx_workers')} worker process(es) and upstream keep-alive`;
  return [
    `Load generator: ${str(results, 'load_generator')} (${str(results, 'steady_connections')} connections; each target warmed up, then ${str(results, 'steady_rounds')} rotated rounds of ${str(results, 'steady_duration_s')} s, median round kept); ${nginx}. The proxy ran as ${str(results, 'proxy_runtime')} in its own process.`,
    `Wake figures: ${str(results, 'wake_paused_iterations')} paused and ${str(results, 'cold_start_iterations')} cold-start iterations, floor and proxy interleaved (order flipped every iteration); the proxy's container is paused by the proxy itself (admin API, the same pause an idle timeout makes), the floor's with the bare API; "paired added" is the median of proxy − floor within each pair. p99 is nearest-rank, so with fewer than 100 samples it is the maximum.`,
    `Added latency: ${str(results, 'light_requests')} sequential requests per target on one keep-alive connection, direct and proxy alternating; then the same series with the bare undici dispatch forwarder in place of the proxy, for what one more Node hop adds at best.`,
    `CPU per request: utime + stime of each target's process and its children (nginx's workers) over each round, divided by the requests answered; the median of the rounds. The bare forwarders are node:http in front of one undici Pool with nothing else (bench/bare-forwarder.ts), on the proxy's Node flags: what one Node process with undici can do at best. Between its rounds the proxy keeps 17 keep-alive clients sending a GET every 2 s, so it never counts as quiet and its rounds measure the request path warm (bench/keep-busy.ts); its first load after a memory reclaim (a full GC while quiet, which deoptimizes the request path) is reported on its own: the CPU it used beyond the steady state is the re-warm.`,
    `Instructions per request (6c): ${results['callgrind_requests'] === null ? 'not measured (valgrind was not available)' : `each target alone under valgrind's callgrind, warmed up with ${str(results, 'callgrind_warmup_requests')} requests, then its counts zeroed and ${str(results, 'callgrind_requests')} more sent over ${str(results, 'steady_connections')} keep-alive connections; the user-space instructions it ran (JIT code included; the kernel's share is not counted) over those requests`}. Unlike CPU time, these counts leave out the kernel, cache misses and the machine's other load, but they are not fixed: JIT and GC timing move them, by up to 20 % for one target between runs of the same counts on this machine, so compare the targets of one run (bench/instructions.ts).`,
    `Memory: VmRSS and RssAnon from /proc (about 55 MB of a Node process's RSS are the binary's own shared pages, which RssAnon leaves out); idle figures are read 10 s after start-up or after the warm-ups, "after" figures 10 s after the load or the burst ended.`,
  ].join('\n');
}

/** results.md: title, context, table, notes. */
export function renderResultsMarkdown(results: BenchResults): string {
  return [
    '# wake-proxy benchmark results',
    '',
    `${str(results, 'date')} on ${str(results, 'machine')}; Docker ${str(results, 'docker')}; Node ${str(results, 'node')}${results['quick'] === true ? ' (quick run: small counts)' : ''}.`,
    '',
    renderTable(evaluateGoals(results)),
    '',
    renderNotes(results),
    '',
  ].join('\n');
}

/** The README section between the markers (markers excluded). */
export function renderReadmeSection(results: BenchResults): string {
  return [
    '',
    'Reproduce with `npm run bench` (a few minutes; `npm run bench -- --quick` for a smoke run). It',
    'needs a Docker engine (installed and started like for `npm test`), builds the test backend image',
    'locally, installs `wrk`, `nginx-light` and `valgrind` with apt when they are missing (else falls',
    'back to autocannon, reports no nginx figure, or no instruction counts), and writes',
    '`bench/results.json` and `bench/results.md`.',
    'Absolute times depend on the machine: compare the ratios, which come from one run.',
    '',
    `Latest run: ${str(results, 'date')}, ${str(results, 'machine')}, Docker ${str(results, 'docker')}, Node ${str(results, 'node')}.`,
    '',
    renderTable(evaluateGoals(results)),
    '',
    renderNotes(results),
    '',
  ].join('\n');
}

/** Replaces the text between the bench markers; throws if the markers are missing. */
export function replaceReadmeSection(readme: string, section: string): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start === -1 || end === -1 || end < start) throw new Error(`README.md has no ${START} … ${END} section`);
  return `${readme.slice(0, start + START.length)}\n${section.trim()}\n${readme.slice(end)}`;
}

/** Writes results.json and results.md next to this file, and the README section when asked. */
export async function writeReports(results: BenchResults, writeReadme: boolean): Promise<string[]> {
  const jsonPath = join(import.meta.dirname, 'results.json');
  const mdPath = join(import.meta.dirname, 'results.md');
  await writeFile(jsonPath, `${JSON.stringify(results, null, 2)}\n`);
  await writeFile(mdPath, renderResultsMarkdown(results));
  const written = [jsonPath, mdPath];
  if (writeReadme) {
    const readmePath = join(import.meta.dirname, '..', 'README.md');
    await writeFile(readmePath, replaceReadmeSection(await readFile(readmePath, 'utf8'), renderReadmeSection(results)));
    written.push(readmePath);
  }
  return written;
}
