/**
 * Keeps dockerode from loading what wake-proxy never uses: ssh2, and BuildKit's gRPC stack.
 *
 * - docker-modem requires ssh2 at load time, only to reach an engine at an `ssh://` DOCKER_HOST,
 *   which wake-proxy refuses anyway (docker-endpoint.ts accepts unix:// and tcp:// only).
 * - dockerode's session.js requires @grpc/grpc-js and @grpc/proto-loader at load time, only for
 *   BuildKit sessions of `docker build` (buildImage with version 2), which wake-proxy never calls.
 *
 * Measured on Node 24 (RssAnon + RssFile of a fresh process after node:http): dockerode with
 * only ssh2 stubbed adds 9.6 + 7.2 MB, with the gRPC modules stubbed too 2.9 + 0.5 MB, so every
 * wake-proxy process is ~13 MB smaller. (ssh2 itself saves 1.5–2 MB resident; the 18 MB of
 * WebAssembly heap once quoted for it was reserved, never resident.)
 * Each stub throws a clear error if it were ever used, instead of failing somewhere deeper.
 *
 * This module's import is its whole effect: it must be imported before dockerode, which is why it
 * is the first import of docker-provider.ts (the one exception to "no side effects at import").
 */
import { registerHooks } from 'node:module';

const STUB_PREFIX = 'wake-proxy:stub:';

/** package → the CommonJS source that replaces it. */
const STUBS: Readonly<Record<string, string>> = {
  ssh2: "module.exports = { Client: class Client { constructor() { throw new Error('wake-proxy does not support ssh:// Docker hosts'); } } };",
  '@grpc/grpc-js': unused('@grpc/grpc-js'),
  '@grpc/proto-loader': unused('@grpc/proto-loader'),
};

/** A module whose every property access throws: dockerode only touches these inside buildImage. */
function unused(name: string): string {
  const message = JSON.stringify(`wake-proxy does not load ${name}: BuildKit image builds are not supported`);
  return `module.exports = new Proxy({}, { get(_t, key) { if (typeof key === 'symbol' || key === '__esModule' || key === 'then') return undefined; throw new Error(${message}); } });`;
}

/** The names of the replaced packages (for the tests). */
export const STUBBED_PACKAGES: readonly string[] = Object.keys(STUBS);

registerHooks({
  resolve(specifier, context, nextResolve) {
    if (Object.hasOwn(STUBS, specifier)) return { url: `${STUB_PREFIX}${specifier}`, format: 'commonjs', shortCircuit: true };
    return nextResolve(specifier, context);
  },
  load(url, context, nextLoad) {
    if (url.startsWith(STUB_PREFIX)) {
      const source = STUBS[url.slice(STUB_PREFIX.length)];
      if (source !== undefined) return { format: 'commonjs', source, shortCircuit: true };
    }
    return nextLoad(url, context);
  },
});
