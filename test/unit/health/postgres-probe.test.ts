import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createPostgresProbe, judgePostgresAnswer, startupMessage } from '../../../src/health/postgres-probe.ts';
import { type ScriptedServer, startScriptedServer } from './local-servers.ts';

const servers: ScriptedServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** An ErrorResponse as PostgreSQL 15 sends it: severity, SQLSTATE, message. */
function errorResponse(code: string, message: string): Buffer {
  const fields = Buffer.from(`SFATAL\0VFATAL\0C${code}\0M${message}\0Fpostmaster.c\0L2345\0\0`, 'utf8');
  const head = Buffer.alloc(5);
  head.write('E', 0, 'latin1');
  head.writeInt32BE(4 + fields.length, 1);
  return Buffer.concat([head, fields]);
}

/** AuthenticationMD5Password with a salt. */
const MD5_REQUEST = Buffer.from([0x52, 0, 0, 0, 12, 0, 0, 0, 5, 1, 2, 3, 4]);
/** AuthenticationOk (trust), then more messages the probe does not need. */
const AUTH_OK = Buffer.concat([Buffer.from([0x52, 0, 0, 0, 8, 0, 0, 0, 0]), Buffer.from('S\0\0\0\x16application_name\0\0', 'latin1')]);

/** A server that answers the whole startup message with `answer`, byte by byte when `trickle`. */
async function postgres(answer: Buffer, trickle = false): Promise<ScriptedServer> {
  const server = await startScriptedServer((socket: Socket, sent) => {
    socket.on('data', () => {
      const got = sent();
      if (got.length < 4 || got.length < got.readInt32BE(0)) return;
      if (!trickle) return void socket.write(answer);
      for (const byte of answer) socket.write(Buffer.from([byte]));
    });
  });
  servers.push(server);
  return server;
}

const probe = createPostgresProbe({ probeTimeoutMs: 1000 });
const signal = (): AbortSignal => new AbortController().signal;

describe('createPostgresProbe against a scripted server', () => {
  it('sends a protocol 3.0 StartupMessage for user and database postgres', async () => {
    const server = await postgres(MD5_REQUEST);
    await probe.check(server.upstream, signal());
    const sent = server.received()[0] as Buffer;
    expect(sent.readInt32BE(0)).toBe(sent.length);
    expect(sent.readInt32BE(4)).toBe(196_608);
    expect(sent.subarray(8).toString('latin1')).toContain('user\0postgres\0database\0postgres\0');
    expect(sent).toEqual(startupMessage());
  });

  it('is ready when the server asks for a password', async () => {
    const server = await postgres(MD5_REQUEST);
    expect(await probe.check(server.upstream, signal())).toEqual({ ready: true, detail: 'postgres accepts sessions' });
  });

  it('is ready under trust auth (AuthenticationOk)', async () => {
    const server = await postgres(AUTH_OK);
    expect((await probe.check(server.upstream, signal())).ready).toBe(true);
  });

  it('is not ready while the database system is starting up (57P03), even when the answer trickles in', async () => {
    const server = await postgres(errorResponse('57P03', 'the database system is starting up'), true);
    expect(await probe.check(server.upstream, signal())).toEqual({
      ready: false,
      detail: 'postgres 57P03: the database system is starting up',
    });
  });

  it('is not ready while it shuts down or recovers', async () => {
    for (const [code, message] of [
      ['57P03', 'the database system is shutting down'],
      ['57P03', 'the database system is in recovery mode'],
      ['57P01', 'terminating connection due to administrator command'],
    ] as const) {
      const server = await postgres(errorResponse(code, message));
      expect(await probe.check(server.upstream, signal())).toMatchObject({ ready: false });
    }
  });

  it('is ready when the server refuses the role or the database: it is up and takes sessions', async () => {
    const server = await postgres(errorResponse('28000', 'role "postgres" does not exist'));
    expect(await probe.check(server.upstream, signal())).toEqual({
      ready: true,
      detail: 'postgres 28000: role "postgres" does not exist',
    });
  });

  it('is not ready when the connection closes before an answer', async () => {
    const server = await startScriptedServer((socket) => socket.on('data', () => socket.end()));
    servers.push(server);
    expect(await probe.check(server.upstream, signal())).toEqual({ ready: false, detail: 'connection closed before an answer' });
  });

  it('reports a server that says nothing as a timeout', async () => {
    const server = await startScriptedServer(() => undefined);
    servers.push(server);
    const quick = createPostgresProbe({ probeTimeoutMs: 50 });
    expect(await quick.check(server.upstream, signal())).toEqual({ ready: false, detail: 'timeout after 50 ms' });
  });

  it('reports "no address" for a service without a port', async () => {
    expect(await probe.check(null, signal())).toEqual({ ready: false, detail: 'no address' });
  });
});

describe('judgePostgresAnswer', () => {
  it('waits for a whole ErrorResponse before judging it', () => {
    const whole = errorResponse('57P03', 'the database system is starting up');
    expect(judgePostgresAnswer(whole.subarray(0, 10))).toBeNull();
    expect(judgePostgresAnswer(whole)?.ready).toBe(false);
  });

  it('is not ready for a message type a server does not open with', () => {
    expect(judgePostgresAnswer(Buffer.from('N'))).toEqual({ ready: false, detail: 'postgres answered message "N"' });
  });
});
