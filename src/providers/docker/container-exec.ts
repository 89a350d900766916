/**
 * The `exec` verb of the Docker adapter: runs a command inside a running container through the
 * exec API (create, start attached, read the output to its end, inspect for the exit code).
 *
 * Policy: the output is read only to keep its tail (OUTPUT_TAIL_BYTES, for probe details and
 * errors), so a chatty command costs no memory. An abort destroys the attached stream and rejects
 * with the signal's reason at once; Docker has no API to kill an exec'd process, so a command that
 * hangs keeps running in the container until it ends by itself (probe commands should be quick,
 * like `pg_isready`). A container that is not running (stopped, paused) is refused by Docker with
 * 409: a ProviderOperationError.
 */
import type { Duplex } from 'node:stream';
import type Docker from 'dockerode';
import type { ExecResult } from '../container-provider.ts';
import { callDocker, type DockerCallContext } from './docker-errors.ts';

/** How much of a command's output is kept (its last bytes). */
export const OUTPUT_TAIL_BYTES = 512;

/** Runs `command` in the container `id`; see the module header for the policy. */
export async function execInContainer(
  container: Docker.Container,
  command: readonly string[],
  context: DockerCallContext,
  signal?: AbortSignal,
): Promise<ExecResult> {
  const abort = signal ? { abortSignal: signal } : {};
  const exec = await callDocker(
    context,
    () => container.exec({ Cmd: [...command], AttachStdout: true, AttachStderr: true, ...abort }),
    signal,
  );
  const stream = (await callDocker(context, () => exec.start({ hijack: true, stdin: false, ...abort }), signal)) as Duplex;
  const output = await callDocker(context, () => readTail(stream, signal), signal);
  const info = await callDocker(context, () => exec.inspect(abort), signal);
  return { exitCode: info.ExitCode ?? -1, output };
}

/** Reads the multiplexed stdout/stderr stream to its end; resolves with the tail of the payloads. */
function readTail(stream: Duplex, signal?: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    let pending = Buffer.alloc(0);
    let tail = Buffer.alloc(0);
    const onAbort = (): void => {
      stream.destroy();
      reject(signal?.reason);
    };
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    stream.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      // Frames: 1 byte stream type, 3 zero bytes, 4 bytes big-endian length, then the payload.
      while (pending.length >= 8) {
        const size = pending.readUInt32BE(4);
        if (pending.length < 8 + size) break;
        tail = Buffer.concat([tail, pending.subarray(8, 8 + size)]).subarray(-OUTPUT_TAIL_BYTES);
        pending = pending.subarray(8 + size);
      }
      if (pending.length > 8 + 64 * 1024) pending = Buffer.alloc(0);
    });
    const done = (err?: Error): void => {
      signal?.removeEventListener('abort', onAbort);
      if (err) reject(err);
      else resolve(tail.toString('utf8'));
    };
    stream.once('end', () => done());
    stream.once('close', () => done());
    stream.once('error', done);
  });
}
