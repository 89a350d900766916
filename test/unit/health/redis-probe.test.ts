import { afterEach, describe, expect, it } from 'vitest';
import { createRedisProbe, judgeRedisAnswer } from '../../../src/health/redis-probe.ts';
import { type ScriptedServer, startScriptedServer } from './local-servers.ts';

const servers: ScriptedServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A server that answers a whole PING command with `reply`. */
async function redis(reply: string): Promise<ScriptedServer> {
  const server = await startScriptedServer((socket, sent) => {
    socket.on('data', () => {
      if (sent().toString('latin1').endsWith('PING\r\n')) socket.write(reply);
    });
  });
  servers.push(server);
  return server;
}

const probe = createRedisProbe({ probeTimeoutMs: 1000 });
const signal = (): AbortSignal => new AbortController().signal;

describe('createRedisProbe against a scripted server', () => {
  it('sends PING as a RESP array and is ready on +PONG', async () => {
    const server = await redis('+PONG\r\n');
    expect(await probe.check(server.upstream, signal())).toEqual({ ready: true, detail: 'redis PONG' });
    expect(server.received()[0]?.toString('latin1')).toBe('*1\r\n$4\r\nPING\r\n');
  });

  it('is ready when the server wants a password (NOAUTH): it is up', async () => {
    const server = await redis('-NOAUTH Authentication required.\r\n');
    expect(await probe.check(server.upstream, signal())).toEqual({ ready: true, detail: 'redis -NOAUTH Authentication required.' });
  });

  it('is not ready while the dataset loads', async () => {
    const server = await redis('-LOADING Redis is loading the dataset in memory\r\n');
    expect(await probe.check(server.upstream, signal())).toEqual({
      ready: false,
      detail: 'redis -LOADING Redis is loading the dataset in memory',
    });
  });
});

describe('judgeRedisAnswer', () => {
  it('waits for a whole line', () => {
    expect(judgeRedisAnswer(Buffer.from('+PO'))).toBeNull();
    expect(judgeRedisAnswer(Buffer.from('+PONG\r\n'))?.ready).toBe(true);
  });

  it('is not ready for BUSY, MASTERDOWN or any other reply', () => {
    for (const line of ['-BUSY Redis is busy running a script', '-MASTERDOWN Link with MASTER is down', '$4']) {
      expect(judgeRedisAnswer(Buffer.from(`${line}\r\n`))?.ready).toBe(false);
    }
  });
});
