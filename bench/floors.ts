/**
 * The physical floors: what the bare Docker Engine API and a tight client achieve with no proxy.
 * (1) unpause of a paused container → first 200 from it; (3) start of a stopped container → first
 * 200 from it. The state change before each timed step is not timed.
 *
 * Policy: the clock starts just before the API call and stops at the first complete 200. After
 * unpause the poll retries at once on fresh connections (the address is known and a request to a
 * paused container waits rather than fails). After start the container is inspected again (a
 * stopped container keeps no address, and the new one may differ) and the new address is polled
 * with a 50 ms connect deadline: while the app starts, the bridge address refuses at once. The
 * start poll waits START_POLL_GAP_MS between refusals: retrying with no pause measured slower
 * here (p50 ~300 ms against ~258 ms), because on 2 CPUs the spinning client takes a core from
 * the container that is starting.
 */
import { performance } from 'node:perf_hooks';
import { bridgeAddress, dockerState, type BenchBackend } from './bench-containers.ts';
import { pollUntilOk } from './http-client.ts';

/** Deadline of one floor poll. */
const POLL_DEADLINE_MS = 30_000;
/** Pause between refused attempts after a start (see the header). */
const START_POLL_GAP_MS = 2;

/** Pauses the backend (untimed), then times unpause → first 200. */
export async function measureUnpauseFloor(backend: BenchBackend): Promise<number> {
  if ((await dockerState(backend.container)) !== 'paused') await backend.container.pause();
  const host = await bridgeAddress(backend.container);
  const startedAt = performance.now();
  await backend.container.unpause();
  await pollUntilOk({ host, port: backend.port, path: '/' }, { deadlineMs: POLL_DEADLINE_MS });
  return performance.now() - startedAt;
}

/** Stops the backend (untimed), then times start → re-inspect → first 200. */
export async function measureStartFloor(backend: BenchBackend): Promise<number> {
  await stopBackend(backend);
  const startedAt = performance.now();
  await backend.container.start();
  const host = await bridgeAddress(backend.container);
  await pollUntilOk({ host, port: backend.port, path: '/' }, { deadlineMs: POLL_DEADLINE_MS, connectTimeoutMs: 50, gapMs: START_POLL_GAP_MS });
  return performance.now() - startedAt;
}

/** Stops a running or paused container (Docker refuses to stop some paused ones: unpause first). */
export async function stopBackend(backend: BenchBackend): Promise<void> {
  const state = await dockerState(backend.container);
  if (state === 'paused') await backend.container.unpause();
  if (state === 'running' || state === 'paused') await backend.container.stop({ t: 10 });
}

/** Makes sure the backend runs (not paused, not stopped) and answers. */
export async function ensureRunning(backend: BenchBackend): Promise<void> {
  const state = await dockerState(backend.container);
  if (state === 'paused') await backend.container.unpause();
  else if (state !== 'running') await backend.container.start();
  const host = await bridgeAddress(backend.container);
  await pollUntilOk({ host, port: backend.port, path: '/' }, { deadlineMs: POLL_DEADLINE_MS, gapMs: 5 });
}
