/**
 * lean-dockerode.ts keeps ssh2 and BuildKit's gRPC modules out of the process: checked in a child
 * process that imports it before dockerode, as docker-provider.ts does.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const LEAN = join(import.meta.dirname, '..', '..', '..', '..', 'src', 'providers', 'docker', 'lean-dockerode.ts');

const CHILD = `
import { createRequire } from 'node:module';
await import(${JSON.stringify(LEAN)});
const require = createRequire(import.meta.url);
const Docker = (await import('dockerode')).default;
const docker = new Docker({ socketPath: '/nonexistent.sock' });
const loaded = Object.keys(require.cache);
let grpcError = null;
try { require('@grpc/grpc-js').loadPackageDefinition({}); } catch (err) { grpcError = err.message; }
let sshError = null;
try { new (require('ssh2').Client)(); } catch (err) { sshError = err.message; }
process.stdout.write(JSON.stringify({
  docker: typeof docker.getContainer,
  heavy: loaded.filter((k) => /node_modules\\/(ssh2|@grpc|protobufjs)\\//.test(k)),
  grpcError, sshError,
}));
`;

describe('lean-dockerode', () => {
  it('loads dockerode without ssh2, @grpc/grpc-js or protobufjs, and the stubs say why they refuse', async () => {
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', CHILD], { timeout: 20_000, cwd: join(import.meta.dirname, '..', '..', '..', '..') });
    expect(JSON.parse(stdout)).toEqual({
      docker: 'function',
      heavy: [],
      grpcError: 'wake-proxy does not load @grpc/grpc-js: BuildKit image builds are not supported',
      sshError: 'wake-proxy does not support ssh:// Docker hosts',
    });
  });
});
