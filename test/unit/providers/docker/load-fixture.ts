/** Reads the recorded Docker answers in ./fixtures (captured from Docker 20.10, API 1.41). */
import { readFileSync } from 'node:fs';
import type { InspectData } from '../../../../src/providers/docker/inspect-data.ts';

const FIXTURES = new URL('./fixtures/', import.meta.url);

/** A recorded `docker inspect` answer, e.g. `inspect('paused')` → fixtures/inspect-paused.json. */
export function inspectFixture(name: string): InspectData {
  return JSON.parse(readFileSync(new URL(`inspect-${name}.json`, FIXTURES), 'utf8')) as InspectData;
}

/** The lines of a recorded event stream, e.g. fixtures/events-lifecycle.jsonl. */
export function eventLines(name: string): string[] {
  return readFileSync(new URL(`${name}.jsonl`, FIXTURES), 'utf8').split('\n').filter((l) => l !== '');
}
