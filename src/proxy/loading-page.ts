/**
 * The opt-in loading page (`loading_page: { after }`): what a browser navigation sees when its
 * wake takes longer than `after`, instead of a blank tab.
 *
 * Policy:
 * - Only for GET navigations that prefer text/html (request-plan.ts decides); API clients, other
 *   methods and WebSocket upgrades are always held transparently.
 * - The page is one streamed response (503, `Retry-After`, `no-store`, so nothing caches it):
 *   its head arrives at once, then a line of script each time the wake reaches a new step, and,
 *   when the wake ends, one that reloads the page (ready) or says what failed and reloads after
 *   Retry-After. The reload is a fresh request, served by the now-awake service. No extra
 *   endpoint, no polling from the browser.
 * - Every value is escaped for its context (JSON in script); the progress poll runs every
 *   PROGRESS_POLL_MS only while the page is open, and stops when it closes.
 */
import type { ServerResponse } from 'node:http';
import type { Clock, TimerHandle } from '../clock.ts';
import type { WakeProgress } from '../lifecycle/service-handle.ts';
import { escapeHtml } from './error-page.ts';
import { toProblem } from './error-response.ts';

/** How often the wake's step is looked at while the page is open. */
export const PROGRESS_POLL_MS = 250;

/** What the page follows. */
export interface LoadingPageOptions {
  readonly service: string;
  readonly progress: () => WakeProgress | null;
  /** Settles when the wake ends (null: the wait was cut short, e.g. shutdown). */
  readonly wait: Promise<unknown>;
  readonly clock: Clock;
  readonly retryAfterSeconds: number;
  /** The page was closed or finished: stop waiting on the wake's behalf. */
  readonly onClose: () => void;
}

const STEP_TEXT: Readonly<Record<WakeProgress['step'], string>> = {
  dependency: 'starting what it depends on',
  provider: 'starting its container',
  running: 'waiting for its container to run',
  ready: 'waiting for it to answer',
};

/** JSON that is safe inside a <script> element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

function head(service: string, retryAfterSeconds: number): string {
  const name = escapeHtml(service);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Starting ${name}…</title>
<noscript><meta http-equiv="refresh" content="${retryAfterSeconds}"></noscript>
<style>body{font:16px system-ui,sans-serif;margin:15vh auto;max-width:36em;padding:0 1em;color:#1d2330}
.bar{height:4px;background:#dde8ff;overflow:hidden;border-radius:2px}.bar i{display:block;height:4px;width:30%;background:#1f3f8f;animation:s 1.2s infinite ease-in-out}
@keyframes s{from{margin-left:-30%}to{margin-left:100%}}#step{color:#5b6475}</style></head>
<body><h1 id="title">Starting ${name}…</h1><div class="bar"><i></i></div><p id="step">waking it up</p>
<script>
var steps=${scriptJson(STEP_TEXT)},cur='',base=0,at=Date.now();
function show(){if(cur)document.getElementById('step').textContent=(steps[cur]||cur)+' ('+((base+Date.now()-at)/1000).toFixed(1)+' s)';}
function p(step,ms){cur=step;base=ms;at=Date.now();show();}
var tick=setInterval(show,200);
function done(ok,msg,retry){clearInterval(tick);if(ok){location.reload();return;}document.getElementById('title').textContent=msg;document.getElementById('step').textContent='Trying again in '+retry+' s.';setTimeout(function(){location.reload();},retry*1000);}
</script>
`;
}

/** Answers `res` with the loading page and keeps it following the wake until it ends. */
export function serveLoadingPage(res: ServerResponse, options: LoadingPageOptions): void {
  res.writeHead(503, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'retry-after': String(options.retryAfterSeconds),
    'x-accel-buffering': 'no',
  });
  res.write(head(options.service, options.retryAfterSeconds));
  let timer: TimerHandle | null = null;
  let last = '';
  const poll = (): void => {
    const progress = options.progress();
    const key = progress?.step ?? '';
    if (progress !== null && key !== last) {
      last = key;
      res.write(`<script>p(${scriptJson(progress.step)},${Math.round(progress.elapsedMs)})</script>\n`);
    }
    timer = options.clock.setTimeout(poll, PROGRESS_POLL_MS);
  };
  poll();
  const finish = (script: string): void => {
    timer?.cancel();
    if (!res.destroyed) res.end(`<script>${script}</script></body></html>\n`);
  };
  res.once('close', () => {
    timer?.cancel();
    options.onClose();
  });
  options.wait.then(
    (result) => finish(result === null ? `done(false,${scriptJson('wake-proxy is restarting')},${options.retryAfterSeconds})` : 'done(true)'),
    (err: unknown) => finish(`done(false,${scriptJson(toProblem(err).body.detail)},${options.retryAfterSeconds})`),
  );
}
