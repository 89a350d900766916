/**
 * dockerode errors → wake-proxy's typed errors. Callers above the adapter never see a Docker
 * status code.
 *
 * Policy:
 * - "Already in the wanted state" is success, which makes every verb idempotent even when the
 *   container changes between our inspect and our call: HTTP 304 (start of a running container,
 *   stop of a stopped one) and the 409/500 refusals "is already paused", "is not paused" and
 *   "is not running" (pause of a container that is not running has nothing to pause).
 * - 404 → ContainerNotFoundError (the caller may retry the reference by compose label).
 * - A socket or TCP failure reaching the engine → ProviderUnavailableError naming the endpoint.
 * - An abort is passed through untouched, so the caller sees its own signal's reason.
 * - Anything else → ProviderOperationError carrying Docker's own message.
 */
import { ContainerNotFoundError, ProviderOperationError, ProviderUnavailableError } from '../../errors.ts';

/** What was being attempted, for the error message. */
export interface DockerCallContext {
  readonly operation: string;
  readonly ref: string;
  /** The engine's address as the user wrote it, e.g. `unix:///var/run/docker.sock`. */
  readonly endpoint: string;
}

const UNREACHABLE_CODES: ReadonlySet<string> = new Set([
  'ENOENT',
  'ECONNREFUSED',
  'EACCES',
  'EPERM',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'ECONNRESET',
  'EPIPE',
]);
const ALREADY_DONE = /already paused|is not paused|is not running/i;

function field(err: unknown, key: string): unknown {
  return typeof err === 'object' && err !== null ? (err as Record<string, unknown>)[key] : undefined;
}

/** Docker's own message for an HTTP error, without dockerode's "(HTTP code N) … - " prefix. */
export function dockerMessage(err: unknown): string {
  const json = field(err, 'json');
  const fromJson = field(json, 'message');
  if (typeof fromJson === 'string' && fromJson.trim() !== '') return fromJson.trim();
  const message = err instanceof Error ? err.message : String(err);
  return message.replace(/^\(HTTP code \d+\)\s*[^-]*-\s*/, '').trim() || message.trim();
}

/** True when Docker refused only because the container is already in the wanted state. */
export function isAlreadyDone(err: unknown): boolean {
  const status = field(err, 'statusCode');
  if (status === 304) return true;
  return (status === 409 || status === 500) && ALREADY_DONE.test(dockerMessage(err));
}

/** True for an error raised because an AbortSignal fired. */
export function isAbortError(err: unknown): boolean {
  const name = field(err, 'name');
  return name === 'AbortError' || name === 'TimeoutError' || field(err, 'code') === 'ABORT_ERR';
}

/** Maps a failed dockerode call to the error wake-proxy raises for it. */
export function toProviderError(err: unknown, context: DockerCallContext): Error {
  if (isAbortError(err)) return err instanceof Error ? err : new Error(String(err));
  const status = field(err, 'statusCode');
  if (status === 404) return new ContainerNotFoundError(context.ref);
  const code = field(err, 'code');
  if (typeof code === 'string' && UNREACHABLE_CODES.has(code)) {
    return new ProviderUnavailableError(context.endpoint, { cause: err });
  }
  return new ProviderOperationError(context.operation, context.ref, dockerMessage(err), { cause: err });
}

/** Runs one Docker call; an abort rethrows the signal's reason, any other failure is mapped by toProviderError. */
export async function callDocker<T>(context: DockerCallContext, call: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (signal?.aborted) throw signal.reason;
    throw toProviderError(err, context);
  }
}

/** Runs one state-changing Docker call, where an "already done" refusal counts as success. */
export async function actDocker(context: DockerCallContext, call: () => Promise<unknown>, signal?: AbortSignal): Promise<void> {
  await callDocker(
    context,
    () => call().catch((err: unknown) => {
      if (!isAlreadyDone(err)) throw err;
    }),
    signal,
  );
}
