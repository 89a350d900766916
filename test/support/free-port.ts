/** A free TCP port on 127.0.0.1, for programs that cannot listen on port 0 and report it. */
import { createServer } from 'node:net';

/** Resolves with a port that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
