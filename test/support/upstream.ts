/**
 * A node:http upstream on 127.0.0.1:0 for proxy tests. It counts hits and serves:
 * - `/sse`: an event stream that sends one event at once and stays open until endStreams();
 * - `/slow`: headers only after releaseSlow() (or never: for header-timeout tests);
 * - anything else: a JSON echo of method, url, headers and the body's sha256 and size;
 * - WebSocket upgrades: an echo of text frames (minimal RFC 6455, see ws-echo below).
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Upstream } from '../../src/providers/container-provider.ts';

/** What the echo endpoint answers. */
export interface EchoBody {
  readonly method: string;
  readonly url: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly bodySha256: string;
  readonly bodyBytes: number;
}

/** A running test upstream. */
export interface TestUpstream {
  readonly upstream: Upstream;
  /** Requests received (HTTP and upgrades). */
  readonly hits: () => number;
  /** Responses to /sse still open. */
  readonly openStreams: () => number;
  /** Writes one more event to every open /sse response. */
  sendEvent(data: string): void;
  /** Ends every open /sse response. */
  endStreams(): void;
  /** Lets every pending /slow request answer 200. */
  releaseSlow(): void;
  /** /slow requests waiting for releaseSlow() whose connection is still open. */
  pendingSlow(): number;
  close(): Promise<void>;
}

const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** Parses complete client frames from `buf`; returns the frames and the unparsed rest. */
export function parseClientFrames(buf: Buffer): { frames: { opcode: number; payload: Buffer }[]; rest: Buffer } {
  const frames: { opcode: number; payload: Buffer }[] = [];
  let offset = 0;
  while (buf.length - offset >= 2) {
    const b0 = buf[offset] ?? 0;
    const b1 = buf[offset + 1] ?? 0;
    let length = b1 & 0x7f;
    let pos = offset + 2;
    if (length === 126) {
      if (buf.length < pos + 2) break;
      length = buf.readUInt16BE(pos);
      pos += 2;
    } else if (length === 127) {
      if (buf.length < pos + 8) break;
      length = Number(buf.readBigUInt64BE(pos));
      pos += 8;
    }
    const masked = (b1 & 0x80) !== 0;
    const maskEnd = pos + (masked ? 4 : 0);
    if (buf.length < maskEnd + length) break;
    const payload = Buffer.from(buf.subarray(maskEnd, maskEnd + length));
    if (masked) for (let i = 0; i < payload.length; i++) payload[i] = (payload[i] ?? 0) ^ (buf[pos + (i % 4)] ?? 0);
    frames.push({ opcode: b0 & 0x0f, payload });
    offset = maskEnd + length;
  }
  return { frames, rest: buf.subarray(offset) };
}

/** Encodes one unmasked, final server frame. */
export function encodeServerFrame(opcode: number, payload: Buffer): Buffer {
  const length = payload.length;
  const size = length < 126 ? 2 : length < 65536 ? 4 : 10;
  const header = Buffer.alloc(size);
  header[0] = 0x80 | opcode;
  if (size === 2) header[1] = length;
  else if (size === 4) {
    header[1] = 126;
    header.writeUInt16BE(length, 2);
  } else {
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  return Buffer.concat([header, payload]);
}

function wsEcho(req: http.IncomingMessage, socket: Duplex, head: Buffer): void {
  const key = req.headers['sec-websocket-key'] ?? '';
  const accept = createHash('sha1').update(key + WS_GUID).digest('base64');
  socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
  let pending = head;
  const onData = (chunk: Buffer): void => {
    const { frames, rest } = parseClientFrames(Buffer.concat([pending, chunk]));
    pending = rest;
    for (const frame of frames) {
      if (frame.opcode === 0x1 || frame.opcode === 0x2) socket.write(encodeServerFrame(frame.opcode, frame.payload));
      else if (frame.opcode === 0x9) socket.write(encodeServerFrame(0xa, frame.payload));
      else if (frame.opcode === 0x8) socket.end(encodeServerFrame(0x8, frame.payload));
    }
  };
  socket.on('data', onData);
  socket.on('error', () => socket.destroy());
  if (head.length > 0) onData(Buffer.alloc(0));
}

function echo(req: http.IncomingMessage, res: http.ServerResponse): void {
  const hash = createHash('sha256');
  let bytes = 0;
  req.on('data', (chunk: Buffer) => {
    hash.update(chunk);
    bytes += chunk.length;
  });
  req.on('end', () => {
    const body: EchoBody = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, bodySha256: hash.digest('hex'), bodyBytes: bytes };
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
}

/** Starts an upstream on 127.0.0.1 with a free port. */
export async function startUpstream(): Promise<TestUpstream> {
  let hits = 0;
  const streams = new Set<http.ServerResponse>();
  const slow = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    hits += 1;
    if (req.url?.startsWith('/sse')) {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.write('data: first\n\n');
      streams.add(res);
      res.once('close', () => streams.delete(res));
    } else if (req.url?.startsWith('/slow')) {
      slow.add(res);
      res.once('close', () => slow.delete(res));
    } else {
      echo(req, res);
    }
  });
  const sockets = new Set<Duplex>();
  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    hits += 1;
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    wsEcho(req, socket, head);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    upstream: { host: '127.0.0.1', port },
    hits: () => hits,
    openStreams: () => streams.size,
    sendEvent: (data) => streams.forEach((res) => res.write(`data: ${data}\n\n`)),
    endStreams: () => streams.forEach((res) => res.end()),
    releaseSlow: () => slow.forEach((res) => res.end('slow done')),
    pendingSlow: () => slow.size,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        sockets.forEach((socket) => socket.destroy());
        server.close(() => resolve());
      }),
  };
}
