/**
 * Keeps dockerode from loading ssh2. docker-modem requires ssh2 at load time, only to reach an
 * engine at an `ssh://` DOCKER_HOST, which wake-proxy refuses anyway (docker-endpoint.ts accepts
 * unix:// and tcp:// only). ssh2 costs about 18 MB of resident memory (the WebAssembly heap of its
 * poly1305 code) in every wake-proxy process for nothing, so it is replaced by a stub whose
 * Client throws if it were ever used.
 *
 * This module's import is its whole effect: it must be imported before dockerode, which is why it
 * is the first import of docker-provider.ts (the one exception to "no side effects at import").
 */
import { registerHooks } from 'node:module';

const STUB_URL = 'wake-proxy:ssh2-stub';
const STUB_SOURCE =
  "module.exports = { Client: class Client { constructor() { throw new Error('wake-proxy does not support ssh:// Docker hosts'); } } };";

registerHooks({
  resolve(specifier, context, nextResolve) {
    if (specifier === 'ssh2') return { url: STUB_URL, format: 'commonjs', shortCircuit: true };
    return nextResolve(specifier, context);
  },
  load(url, context, nextLoad) {
    if (url === STUB_URL) return { format: 'commonjs', source: STUB_SOURCE, shortCircuit: true };
    return nextLoad(url, context);
  },
});
