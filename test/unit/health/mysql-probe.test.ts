import { afterEach, describe, expect, it } from 'vitest';
import { createMysqlProbe, judgeMysqlAnswer } from '../../../src/health/mysql-probe.ts';
import { type ScriptedServer, startScriptedServer } from './local-servers.ts';

const servers: ScriptedServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

function packet(payload: Buffer, sequence = 0): Buffer {
  const head = Buffer.alloc(4);
  head.writeUIntLE(payload.length, 0, 3);
  head[3] = sequence;
  return Buffer.concat([head, payload]);
}

/** The start of a MariaDB 10.11 initial handshake (protocol 10, version, thread id, salt…). */
const HANDSHAKE = packet(
  Buffer.concat([Buffer.from([0x0a]), Buffer.from('5.5.5-10.11.18-MariaDB-0+deb12u1\0', 'latin1'), Buffer.from([7, 0, 0, 0]), Buffer.alloc(20, 0x41)]),
);
/** ER_CON_COUNT_ERROR as a 4.1 error packet. */
const TOO_MANY = packet(Buffer.concat([Buffer.from([0xff, 0x10, 0x04]), Buffer.from('#08004Too many connections', 'latin1')]));

/** A server that greets every connection with `greeting`. */
async function mysql(greeting: Buffer): Promise<ScriptedServer> {
  const server = await startScriptedServer((socket) => socket.write(greeting));
  servers.push(server);
  return server;
}

const probe = createMysqlProbe({ probeTimeoutMs: 1000 });
const signal = (): AbortSignal => new AbortController().signal;

describe('createMysqlProbe against a scripted server', () => {
  it('is ready on the initial handshake, and sends nothing', async () => {
    const server = await mysql(HANDSHAKE);
    expect(await probe.check(server.upstream, signal())).toEqual({ ready: true, detail: 'mysql handshake 5.5.5-10.11.18-MariaDB-0+deb12u1' });
    expect(server.received()[0]?.length ?? 0).toBe(0);
  });

  it('is not ready on an error packet, and names the error', async () => {
    const server = await mysql(TOO_MANY);
    expect(await probe.check(server.upstream, signal())).toEqual({ ready: false, detail: 'mysql error 1040: Too many connections' });
  });
});

describe('judgeMysqlAnswer', () => {
  it('is ready when the server refuses this host only (1130, MariaDB out of the box, sent without a SQLSTATE)', () => {
    const refused = packet(Buffer.concat([Buffer.from([0xff, 0x6a, 0x04]), Buffer.from("Host '172.17.0.1' is not allowed to connect to this MariaDB server", 'latin1')]));
    expect(judgeMysqlAnswer(refused)).toEqual({
      ready: true,
      detail: "mysql error 1130: Host '172.17.0.1' is not allowed to connect to this MariaDB server",
    });
  });

  it('waits for the whole packet', () => {
    expect(judgeMysqlAnswer(HANDSHAKE.subarray(0, 8))).toBeNull();
    expect(judgeMysqlAnswer(HANDSHAKE)?.ready).toBe(true);
  });

  it('is not ready for a packet that is neither a handshake nor an error', () => {
    expect(judgeMysqlAnswer(packet(Buffer.from([0x09, 0x41])))).toEqual({ ready: false, detail: 'mysql answered packet 0x9' });
  });
});
