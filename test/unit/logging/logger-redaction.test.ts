import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/logging/logger.ts';

const TOKEN = 'never-log-this-admin-token-0123';

function capture(): { stream: Writable; text: () => string } {
  let out = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      out += chunk.toString();
      callback();
    },
  });
  return { stream, text: () => out };
}

describe('createLogger', () => {
  it('never writes an admin token or an Authorization header', () => {
    const { stream, text } = capture();
    const log = createLogger({ level: 'info', destination: stream });
    log.info({ req: { headers: { authorization: `Bearer ${TOKEN}` } } }, 'request');
    log.info({ headers: { authorization: `Bearer ${TOKEN}` } }, 'headers');
    log.info({ authorization: `Bearer ${TOKEN}`, adminToken: TOKEN, token: TOKEN }, 'fields');
    log.info({ command: { adminToken: TOKEN } }, 'nested');
    expect(text().split('\n').filter(Boolean)).toHaveLength(4);
    expect(text()).not.toContain(TOKEN);
  });
});
