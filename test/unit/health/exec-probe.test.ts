import { describe, expect, it } from 'vitest';
import { createExecProbe } from '../../../src/health/exec-probe.ts';
import { FakeProvider } from '../../support/fake-provider.ts';

const signal = (): AbortSignal => new AbortController().signal;

function world(state: 'running' | 'paused' = 'running'): FakeProvider {
  const provider = new FakeProvider();
  provider.add('db', { state });
  return provider;
}

describe('createExecProbe', () => {
  it('runs the command in the container and is ready on exit 0', async () => {
    const provider = world();
    const seen: (readonly string[])[] = [];
    provider.execAnswers('db', (command) => {
      seen.push(command);
      return { exitCode: 0, output: '' };
    });
    const probe = createExecProbe({ provider, container: 'db', command: ['pg_isready', '-q'], probeTimeoutMs: 1000 });
    expect(await probe.check(null, signal())).toEqual({ ready: true, detail: 'exit 0' });
    expect(seen).toEqual([['pg_isready', '-q']]);
  });

  it('is not ready on another exit code, with the last line of the output', async () => {
    const provider = world();
    provider.execAnswers('db', () => ({ exitCode: 2, output: 'checking\n/run/postgresql:5432 - no response\n' }));
    const probe = createExecProbe({ provider, container: 'db', command: ['pg_isready'], probeTimeoutMs: 1000 });
    expect(await probe.check(null, signal())).toEqual({ ready: false, detail: 'exit 2: /run/postgresql:5432 - no response' });
  });

  it('is not ready when the runtime refuses the exec (container paused)', async () => {
    const probe = createExecProbe({ provider: world('paused'), container: 'db', command: ['true'], probeTimeoutMs: 1000 });
    expect(await probe.check(null, signal())).toMatchObject({ ready: false, detail: expect.stringContaining('exec failed') });
  });

  it('rejects with the signal reason when the caller aborts', async () => {
    const reason = new Error('stop');
    const probe = createExecProbe({ provider: world(), container: 'db', command: ['true'], probeTimeoutMs: 1000 });
    await expect(probe.check(null, AbortSignal.abort(reason))).rejects.toBe(reason);
  });
});
