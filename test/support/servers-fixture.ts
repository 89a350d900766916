/**
 * Containers of real database servers (PostgreSQL, Redis, MariaDB from Debian packages) for the
 * readiness integration tests, from the servers image (images/servers/), labelled and named like
 * every test container (docker-fixture.ts) so the sweep removes them. `execIn` runs a client
 * inside the container, as `docker exec` would, to check what a real client sees.
 */
import type { Duplex } from 'node:stream';
import { testDocker, testLabels, uniqueName, type Backend } from './docker-fixture.ts';
import { ensureServersImage, SERVER_PORTS, type ServerKind } from './images/servers/build-servers-image.ts';

/** What createServer needs. */
export interface ServerOptions {
  readonly name: string;
  readonly server: ServerKind;
  readonly env?: Readonly<Record<string, string>>;
  /** Start it after creating it; default true. */
  readonly start?: boolean;
}

/** Creates (and by default starts) a container running one of the real servers. */
export async function createServer(options: ServerOptions): Promise<Backend> {
  const docker = testDocker();
  const name = uniqueName(options.name);
  const env = { SERVER: options.server, ...options.env };
  const container = await docker.createContainer({
    name,
    Image: await ensureServersImage(),
    Env: Object.entries(env).map(([key, value]) => `${key}=${value}`),
    Labels: testLabels(),
    ExposedPorts: { [`${SERVER_PORTS[options.server]}/tcp`]: {} },
    HostConfig: { Init: true },
  });
  const remove = async (): Promise<void> => {
    await docker
      .getContainer(container.id)
      .remove({ force: true })
      .catch(() => undefined);
  };
  if (options.start ?? true) await container.start();
  return { id: container.id, name, remove };
}

/** What a command run in a container left. */
export interface ExecOutcome {
  readonly exitCode: number;
  readonly output: string;
}

/** Runs `command` inside the container (`docker exec`), bounded by `timeoutMs`. */
export async function execIn(container: string, command: readonly string[], timeoutMs = 20_000): Promise<ExecOutcome> {
  const exec = await testDocker().getContainer(container).exec({ Cmd: [...command], AttachStdout: true, AttachStderr: true });
  const stream = (await exec.start({ hijack: true, stdin: false })) as Duplex;
  const chunks: Buffer[] = [];
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      stream.destroy();
      reject(new Error(`docker exec ${command.join(' ')} took over ${timeoutMs} ms`));
    }, timeoutMs);
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.once('end', () => {
      clearTimeout(timer);
      resolve();
    });
    stream.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
  const info = await exec.inspect();
  return { exitCode: info.ExitCode ?? -1, output: demux(Buffer.concat(chunks)) };
}

/** The payloads of Docker's multiplexed stream, concatenated. */
function demux(raw: Buffer): string {
  const parts: Buffer[] = [];
  let at = 0;
  while (at + 8 <= raw.length) {
    const size = raw.readUInt32BE(at + 4);
    parts.push(raw.subarray(at + 8, at + 8 + size));
    at += 8 + size;
  }
  return Buffer.concat(parts).toString('utf8');
}
