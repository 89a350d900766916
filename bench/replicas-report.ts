/**
 * Figure 8's report: bench/results-replicas.json, bench/results-replicas.md, and the README's
 * subsection between the bench-replicas markers (full runs only, as for the main section).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CommandCount, ReplicaFigures } from './replicas.ts';
import { round } from './stats.ts';
import type { LoadResult } from './wrk-output.ts';

const START = '<!-- bench-replicas:start -->';
const END = '<!-- bench-replicas:end -->';

function perRequest(c: CommandCount): string {
  return c.requests === 0 ? 'n/a' : String(round(c.commands / c.requests, 5));
}

function perSecond(c: CommandCount): number {
  return c.seconds === 0 ? 0 : round(c.commands / c.seconds, 1);
}

function load(r: LoadResult): string {
  return `${Math.round(r.rps)} req/s, p50 ${r.p50Ms ?? 'n/a'} ms, p99 ${r.p99Ms ?? 'n/a'} ms, errors ${r.errors}`;
}

function commandList(c: CommandCount): string {
  return Object.entries(c.byCommand).map(([name, n]) => `${name} ${n}`).join(', ') || 'none';
}

/** The markdown table of figure 8. */
export function renderReplicasMarkdown(f: ReplicaFigures, date: string): string {
  const { alone, oneShared, twoShared, latency, commands } = f;
  const addedP50 = round(latency.shared.p50 - latency.alone.p50, 3);
  const addedP99 = round(latency.shared.p99 - latency.alone.p99, 3);
  return [
    `Run: ${date}; ${f.redisVersion}; ${f.connections} connections, warm-up then ${f.rounds} rotated round(s) of ${f.durationS} s, median round kept.`,
    '',
    '| figure | value | reference |',
    '|---|---|---|',
    `| 8a. Throughput, one proxy alone (no --state) | ${load(alone)} | |`,
    `| 8a. Throughput, one replica sharing state through Redis | ${load(oneShared)} | ${round(oneShared.rps / alone.rps, 2)}x alone |`,
    `| 8a. Throughput, two replicas sharing state, load split over both | ${load(twoShared)} | ${round(twoShared.rps / alone.rps, 2)}x alone (same 2 CPUs) |`,
    `| 8b. Latency, 1 connection, alone (p50 / p99) | ${round(latency.alone.p50, 3)} / ${round(latency.alone.p99, 3)} ms | ${latency.alone.n} requests |`,
    `| 8b. Latency, 1 connection, replica sharing state (p50 / p99) | ${round(latency.shared.p50, 3)} / ${round(latency.shared.p99, 3)} ms | added by shared state: ${addedP50} / ${addedP99} ms |`,
    `| 8c. Redis commands per proxied request, one replica at saturation | ${perRequest(commands.oneShared)} | ${commands.oneShared.commands} commands / ${commands.oneShared.requests} requests; ${perSecond(commands.oneShared)} commands/s (${commandList(commands.oneShared)}) |`,
    `| 8c. Redis commands per proxied request, two replicas at saturation | ${perRequest(commands.twoShared)} | ${commands.twoShared.commands} / ${commands.twoShared.requests}; ${perSecond(commands.twoShared)} commands/s (${commandList(commands.twoShared)}) |`,
    `| 8c. Redis commands per proxied request, sequential requests | ${perRequest(commands.light)} | ${commands.light.commands} / ${commands.light.requests}; ${perSecond(commands.light)} commands/s, both replicas syncing |`,
    '',
    'Redis commands on the hot path of a RUNNING service: none. Each replica sends one pipeline per second',
    '(per service: its lease while work is in flight, and a read of the leases and figures), whatever the request rate.',
    '',
  ].join('\n');
}

/** Writes the JSON and markdown files, and the README subsection when asked; returns the paths. */
export async function writeReplicasReport(f: ReplicaFigures, writeReadme: boolean): Promise<string[]> {
  const date = new Date().toISOString();
  const jsonPath = join(import.meta.dirname, 'results-replicas.json');
  const mdPath = join(import.meta.dirname, 'results-replicas.md');
  const markdown = renderReplicasMarkdown(f, date);
  await writeFile(jsonPath, `${JSON.stringify({ date, ...f }, null, 2)}\n`);
  await writeFile(mdPath, `# Replicas sharing state (figure 8)\n\n${markdown}`);
  const written = [jsonPath, mdPath];
  if (writeReadme) {
    const readmePath = join(import.meta.dirname, '..', 'README.md');
    const readme = await readFile(readmePath, 'utf8');
    const start = readme.indexOf(START);
    const end = readme.indexOf(END);
    if (start === -1 || end === -1 || end < start) throw new Error(`README.md has no ${START} … ${END} section`);
    await writeFile(readmePath, `${readme.slice(0, start + START.length)}\n${markdown.trim()}\n${readme.slice(end)}`);
    written.push(readmePath);
  }
  return written;
}
