import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../../src/errors.ts';
import { parseDockerHost } from '../../../../src/providers/docker/docker-endpoint.ts';

describe('parseDockerHost', () => {
  it.each([
    [undefined, { socketPath: '/var/run/docker.sock', host: undefined }, 'unix:///var/run/docker.sock'],
    ['', { socketPath: '/var/run/docker.sock', host: undefined }, 'unix:///var/run/docker.sock'],
    ['unix:///run/user/1000/docker.sock', { socketPath: '/run/user/1000/docker.sock', host: undefined }, 'unix:///run/user/1000/docker.sock'],
    ['unix://', { socketPath: '/var/run/docker.sock', host: undefined }, 'unix:///var/run/docker.sock'],
    ['tcp://docker-proxy:2375', { socketPath: undefined, host: 'docker-proxy', port: 2375 }, 'tcp://docker-proxy:2375'],
    ['tcp://10.0.0.5', { socketPath: undefined, host: '10.0.0.5', port: 2375 }, 'tcp://10.0.0.5:2375'],
    ['http://127.0.0.1:2376', { socketPath: undefined, host: '127.0.0.1', port: 2376 }, 'tcp://127.0.0.1:2376'],
    ['localhost:2375', { socketPath: undefined, host: 'localhost', port: 2375 }, 'tcp://localhost:2375'],
  ] as const)('reads %s', (value, options, description) => {
    const endpoint = parseDockerHost(value);
    expect(endpoint.options).toMatchObject(options);
    expect(endpoint.description).toBe(description);
  });

  it.each(['ssh://user@host', 'https://host:2376', 'npipe:////./pipe/docker_engine', 'tcp://'])(
    'refuses %s with a ConfigError naming DOCKER_HOST',
    (value) => {
      expect(() => parseDockerHost(value)).toThrow(ConfigError);
      expect(() => parseDockerHost(value)).toThrow(/DOCKER_HOST/);
    },
  );
});
