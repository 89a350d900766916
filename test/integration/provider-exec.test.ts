/**
 * The Docker adapter's exec verb (used by `probe: exec`) against the real engine: exit code and the
 * tail of the output, a paused container refused, a missing one named, an abort honoured at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.ts';
import { ContainerNotFoundError, ProviderOperationError } from '../../src/errors.ts';
import { createSilentLogger } from '../../src/logging/logger.ts';
import { DockerProvider } from '../../src/providers/docker/docker-provider.ts';
import { OUTPUT_TAIL_BYTES } from '../../src/providers/docker/container-exec.ts';
import { createBackend, testDocker, uniqueName, type Backend } from '../support/docker-fixture.ts';

const provider = new DockerProvider({ logger: createSilentLogger(), clock: systemClock });
const NODE = '/usr/local/bin/node';
let running: Backend;
let paused: Backend;

beforeAll(async () => {
  [running, paused] = await Promise.all([createBackend({ name: 'wp-exec' }), createBackend({ name: 'wp-exec-paused' })]);
  await testDocker().getContainer(paused.name).pause();
});

afterAll(async () => {
  await Promise.all([running?.remove(), paused?.remove()]);
});

describe('DockerProvider.exec', () => {
  it('runs the command in the container and reports its exit code and output', async () => {
    const ok = await provider.exec(running.name, [NODE, '-e', 'console.log("ready"); console.error("on stderr")']);
    expect(ok.exitCode).toBe(0);
    expect(ok.output).toContain('ready');
    expect(ok.output).toContain('on stderr');
    const failed = await provider.exec(running.name, [NODE, '-e', 'process.exit(3)']);
    expect(failed.exitCode).toBe(3);
  });

  it('keeps only the tail of a long output', async () => {
    const long = await provider.exec(running.name, [NODE, '-e', 'process.stdout.write("a".repeat(100000) + "END")']);
    expect(long.output.length).toBe(OUTPUT_TAIL_BYTES);
    expect(long.output.endsWith('END')).toBe(true);
  });

  it('is refused for a paused container and names a missing one', async () => {
    await expect(provider.exec(paused.name, [NODE, '-e', '0'])).rejects.toBeInstanceOf(ProviderOperationError);
    const ghost = uniqueName('wp-exec-ghost');
    await expect(provider.exec(ghost, [NODE, '-e', '0'])).rejects.toBeInstanceOf(ContainerNotFoundError);
  });

  it('rejects with the signal reason when aborted while the command runs', async () => {
    const reason = new Error('probe deadline');
    const abort = new AbortController();
    const pending = provider.exec(running.name, [NODE, '-e', 'setTimeout(() => {}, 5000)'], abort.signal);
    setImmediate(() => abort.abort(reason));
    await expect(pending).rejects.toBe(reason);
  });
});
