// A WebSocket echo endpoint (RFC 6455) written by hand so the test backend image needs no
// dependencies. It is deliberately small but correct where tests rely on it: the handshake
// (SHA-1 of key + GUID), client frames masked with 7/16/64-bit payload lengths, fragmented
// messages reassembled and echoed whole, ping answered with pong, close echoed then the socket ended.
import { createHash } from 'node:crypto';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const OP_CONTINUATION = 0x0;
const OP_TEXT = 0x1;
const OP_BINARY = 0x2;
const OP_CLOSE = 0x8;
const OP_PING = 0x9;
const OP_PONG = 0xa;

/** The Sec-WebSocket-Accept value for a client's Sec-WebSocket-Key. */
export function acceptKey(key) {
  return createHash('sha1').update(key + GUID).digest('base64');
}

/** Encodes one unmasked, final server frame. */
export function encodeFrame(opcode, payload) {
  const length = payload.length;
  let header;
  if (length < 126) {
    header = Buffer.from([0x80 | opcode, length]);
  } else if (length < 65536) {
    header = Buffer.alloc(4);
    header[0] = 0x80 | opcode;
    header[1] = 126;
    header.writeUInt16BE(length, 2);
  } else {
    header = Buffer.alloc(10);
    header[0] = 0x80 | opcode;
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  return Buffer.concat([header, payload]);
}

/** Parses one frame at the start of `buf`; returns null when more bytes are needed. */
export function decodeFrame(buf) {
  if (buf.length < 2) return null;
  const fin = (buf[0] & 0x80) !== 0;
  const opcode = buf[0] & 0x0f;
  const masked = (buf[1] & 0x80) !== 0;
  let length = buf[1] & 0x7f;
  let offset = 2;
  if (length === 126) {
    if (buf.length < 4) return null;
    length = buf.readUInt16BE(2);
    offset = 4;
  } else if (length === 127) {
    if (buf.length < 10) return null;
    length = Number(buf.readBigUInt64BE(2));
    offset = 10;
  }
  const maskOffset = offset;
  if (masked) offset += 4;
  if (buf.length < offset + length) return null;
  const payload = Buffer.from(buf.subarray(offset, offset + length));
  if (masked) {
    for (let i = 0; i < payload.length; i++) payload[i] ^= buf[maskOffset + (i % 4)];
  }
  return { fin, opcode, payload, size: offset + length };
}

/** Completes the handshake on `socket` and echoes every message until the peer closes. */
export function acceptWebSocket(req, socket, head, onMessage) {
  const key = req.headers['sec-websocket-key'];
  if (typeof key !== 'string' || key.length === 0) {
    socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    return;
  }
  socket.write(
    'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
      `Sec-WebSocket-Accept: ${acceptKey(key)}\r\n\r\n`,
  );
  socket.setNoDelay(true);
  let pending = head && head.length > 0 ? Buffer.from(head) : Buffer.alloc(0);
  let message = null;
  const handle = (frame) => {
    if (frame.opcode === OP_PING) return socket.write(encodeFrame(OP_PONG, frame.payload));
    if (frame.opcode === OP_PONG) return undefined;
    if (frame.opcode === OP_CLOSE) {
      socket.end(encodeFrame(OP_CLOSE, frame.payload.subarray(0, 2)));
      return undefined;
    }
    if (frame.opcode === OP_TEXT || frame.opcode === OP_BINARY) message = { opcode: frame.opcode, parts: [] };
    if (message === null || (frame.opcode !== OP_CONTINUATION && frame.opcode !== message.opcode)) {
      socket.destroy();
      return undefined;
    }
    message.parts.push(frame.payload);
    if (!frame.fin) return undefined;
    const data = Buffer.concat(message.parts);
    const opcode = message.opcode;
    message = null;
    onMessage?.();
    return socket.write(encodeFrame(opcode, data));
  };
  const drain = () => {
    for (;;) {
      const frame = decodeFrame(pending);
      if (frame === null) return;
      pending = pending.subarray(frame.size);
      handle(frame);
    }
  };
  socket.on('data', (chunk) => {
    pending = Buffer.concat([pending, chunk]);
    drain();
  });
  socket.on('error', () => socket.destroy());
  drain();
}
