/**
 * Reads an admin request's JSON body, bounded: at most MAX_BODY_BYTES and BODY_TIMEOUT_MS, so no
 * client can hold memory or a request open by sending slowly. Anything else is a
 * BadRequestBodyError (400) that says what was wrong.
 */
import type { IncomingMessage } from 'node:http';
import { BadRequestBodyError } from '../errors.ts';

/** Largest admin request body accepted. */
export const MAX_BODY_BYTES = 64 * 1024;
/** Longest time a body may take to arrive. */
export const BODY_TIMEOUT_MS = 10_000;

/** The parsed JSON body of `req`. */
export function readJsonBody(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const fail = (reason: string): void => {
      cleanup();
      req.resume();
      reject(new BadRequestBodyError([reason]));
    };
    const timer = setTimeout(() => fail(`body not received within ${BODY_TIMEOUT_MS} ms`), BODY_TIMEOUT_MS);
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) return fail(`body larger than ${MAX_BODY_BYTES} bytes`);
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        resolve(JSON.parse(text === '' ? 'null' : text));
      } catch {
        reject(new BadRequestBodyError(['body is not valid JSON']));
      }
    };
    const onError = (): void => fail('the request was aborted');
    function cleanup(): void {
      clearTimeout(timer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    }
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('error', onError);
  });
}
