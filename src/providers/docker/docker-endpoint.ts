/**
 * DOCKER_HOST → connection options for the Docker client, plus the text error messages show.
 *
 * Policy: supported forms are `unix:///path/to/docker.sock` and `tcp://host:port` (or
 * `http://host:port`); an empty or absent value means the local socket /var/run/docker.sock.
 * Every option is set explicitly so the client library never falls back on its own reading of
 * the environment. TLS and ssh endpoints are refused with a message rather than half-supported.
 */
import { ConfigError } from '../../errors.ts';

/** The engine's socket when DOCKER_HOST is not set. */
export const DEFAULT_DOCKER_SOCKET = '/var/run/docker.sock';
const DEFAULT_TCP_PORT = 2375;

/** Connection options (a subset of dockerode's DockerOptions) and a description for messages. */
export interface DockerEndpoint {
  readonly options: {
    readonly socketPath: string | undefined;
    readonly host: string | undefined;
    readonly port: number | undefined;
    readonly protocol: 'http';
  };
  /** The endpoint as a user would write it, e.g. `unix:///var/run/docker.sock`. */
  readonly description: string;
}

function unixEndpoint(path: string): DockerEndpoint {
  return {
    options: { socketPath: path, host: undefined, port: undefined, protocol: 'http' },
    description: `unix://${path}`,
  };
}

function refuse(value: string, why: string): never {
  throw new ConfigError([`DOCKER_HOST: ${why}, got ${JSON.stringify(value)}`]);
}

/** Parses a DOCKER_HOST value; throws ConfigError for a form wake-proxy cannot use. */
export function parseDockerHost(value: string | undefined): DockerEndpoint {
  const text = value?.trim() ?? '';
  if (text === '') return unixEndpoint(DEFAULT_DOCKER_SOCKET);
  if (text.startsWith('unix://')) return unixEndpoint(text.slice('unix://'.length) || DEFAULT_DOCKER_SOCKET);
  if (text.startsWith('/')) return unixEndpoint(text);
  let url: URL;
  try {
    url = new URL(text.includes('://') ? text : `tcp://${text}`);
  } catch {
    return refuse(text, 'expected unix:///path/to/docker.sock or tcp://host:port');
  }
  if (url.protocol !== 'tcp:' && url.protocol !== 'http:') {
    return refuse(text, `unsupported scheme "${url.protocol}" (use unix:// or tcp://; TLS and ssh are not supported)`);
  }
  if (url.hostname === '') return refuse(text, 'missing host in tcp://host:port');
  const port = url.port === '' ? DEFAULT_TCP_PORT : Number(url.port);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return {
    options: { socketPath: undefined, host, port, protocol: 'http' },
    description: `tcp://${url.host}${url.port === '' ? `:${DEFAULT_TCP_PORT}` : ''}`,
  };
}
