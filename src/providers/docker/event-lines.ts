/**
 * Docker's event stream → ContainerEvent, with no I/O.
 *
 * Policy: the stream is JSON objects separated by newlines, and a network chunk may end anywhere,
 * even inside a multi-byte character; so bytes are decoded statefully and only complete lines are
 * parsed. Docker's nanosecond time is read from the text, exactly. A line that is not valid JSON, or an event that is not about a container or carries an
 * action we do not follow, is skipped rather than ending the stream.
 */
import { StringDecoder } from 'node:string_decoder';
import type { ContainerEvent } from '../container-provider.ts';
import { COMPOSE_SERVICE_LABEL } from './container-resolver.ts';

/** The actions wake-proxy follows; also the `event` filter sent to Docker. */
export const FOLLOWED_ACTIONS: readonly ContainerEvent['action'][] = [
  'create',
  'start',
  'die',
  'stop',
  'pause',
  'unpause',
  'destroy',
  'health_status',
];
const FOLLOWED: ReadonlySet<string> = new Set(FOLLOWED_ACTIONS);
/** The label Swarm puts on a task's container: the name of its service. */
export const SWARM_SERVICE_LABEL = 'com.docker.swarm.service.name';

/** Splits a byte or text stream into complete, non-empty lines. */
export class LineSplitter {
  readonly #decoder = new StringDecoder('utf8');
  #partial = '';

  /** Feeds one chunk; returns the lines it completed. */
  push(chunk: Buffer | string): string[] {
    const text = this.#partial + (typeof chunk === 'string' ? chunk : this.#decoder.write(chunk));
    const lines = text.split('\n');
    this.#partial = lines.pop() ?? '';
    return lines.filter((line) => line.trim() !== '');
  }
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

/** An event with Docker's exact nanosecond time, which orders events when the stream is resumed. */
export interface TimedContainerEvent {
  readonly event: ContainerEvent;
  readonly timeNano: bigint;
}

function parseJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return null; // A corrupt line loses one event, not the stream.
  }
}

/** Docker's timeNano read from the text: as a JSON number it would lose its last digits. */
function exactTimeNano(line: string, raw: Record<string, unknown>): bigint {
  const digits = /"timeNano"\s*:\s*(\d+)/.exec(line)?.[1];
  if (digits) return BigInt(digits);
  const seconds = Number(raw.time ?? 0);
  return BigInt(Number.isFinite(seconds) ? Math.trunc(seconds) : 0) * 1_000_000_000n;
}

/** Maps one line of Docker's event stream to a ContainerEvent, or null when it is not one we follow. */
export function parseDockerEvent(line: string): TimedContainerEvent | null {
  const raw = record(parseJson(line));
  if ((raw.Type ?? 'container') !== 'container') return null;
  const actionText = String(raw.Action ?? raw.status ?? '');
  const action = actionText.split(':')[0]?.trim() ?? '';
  if (!FOLLOWED.has(action)) return null;
  const actor = record(raw.Actor);
  const attributes = record(actor.Attributes);
  const id = String(actor.ID ?? raw.id ?? '');
  if (id === '') return null;
  const timeNano = exactTimeNano(line, raw);
  const exitCode = action === 'die' && attributes.exitCode !== undefined ? Number(attributes.exitCode) : null;
  const compose = attributes[COMPOSE_SERVICE_LABEL];
  const swarm = attributes[SWARM_SERVICE_LABEL];
  const event: ContainerEvent = {
    action: action as ContainerEvent['action'],
    id,
    name: String(attributes.name ?? ''),
    composeService: typeof compose === 'string' ? compose : null,
    swarmService: typeof swarm === 'string' ? swarm : null,
    exitCode: exitCode !== null && Number.isFinite(exitCode) ? exitCode : null,
    time: Number(timeNano / 1_000_000n),
  };
  return { event, timeNano };
}
