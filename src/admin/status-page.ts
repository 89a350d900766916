/**
 * GET /: the status page. One HTML document with its style and a small script, no build step and
 * no framework. It shows every service (state, in-flight and held requests, last wake and its
 * phases, when it will next sleep, uptime, counts, memory and CPU), follows GET /events live and
 * refreshes its rows on each event, and has wake / sleep / stop buttons.
 *
 * Policy: the document itself carries no data (it is the same for everyone); the script reads the
 * admin API with the admin token when one is needed: on a 401 it asks for the token once and keeps
 * it in sessionStorage for the tab, and sends it as `Authorization: Bearer` (the event stream is
 * read with fetch for that reason: EventSource cannot send headers). Every value is written with
 * textContent, never as HTML.
 */

const STYLE = `
body{font:14px system-ui,sans-serif;margin:24px;color:#1d2330;background:#f6f7f9}
h1{font-size:20px;margin:0 0 4px}p.sub{margin:0 0 16px;color:#5b6475}
table{border-collapse:collapse;width:100%;background:#fff;box-shadow:0 1px 2px #0002}
th,td{padding:8px 10px;border-bottom:1px solid #e4e7ec;text-align:left;vertical-align:top}
th{font-weight:600;background:#eef0f4;font-size:12px;text-transform:uppercase;letter-spacing:.03em}
.state{font-weight:600;padding:2px 8px;border-radius:10px;font-size:12px}
.RUNNING{background:#d7f5df;color:#13632c}.SLEEPING{background:#dde8ff;color:#1f3f8f}.STOPPED{background:#fde1e1;color:#8a1c1c}
.muted{color:#7a8394;font-size:12px}button{margin-right:4px;font:inherit;padding:2px 8px;cursor:pointer}
#live{font-size:12px}#live.on{color:#13632c}#live.off{color:#8a1c1c}
`;

const SCRIPT = `
'use strict';
const rows = document.getElementById('rows');
const live = document.getElementById('live');
let token = sessionStorage.getItem('wake-proxy-admin-token') || '';
function headers() { return token ? { authorization: 'Bearer ' + token } : {}; }
async function call(path, init) {
  let res = await fetch(path, { ...init, headers: headers() });
  if (res.status === 401) {
    token = prompt('Admin token') || '';
    sessionStorage.setItem('wake-proxy-admin-token', token);
    res = await fetch(path, { ...init, headers: headers() });
  }
  return res;
}
function ms(v) { return v === null || v === undefined ? '–' : v < 1000 ? v + ' ms' : (v / 1000).toFixed(1) + ' s'; }
function bytes(v) { return v === null || v === undefined ? '–' : (v / 1048576).toFixed(1) + ' MiB'; }
function ago(at) { return at ? ms(Date.now() - at) + ' ago' : '–'; }
function cell(tr, text, cls) { const td = document.createElement('td'); td.textContent = text; if (cls) td.className = cls; tr.appendChild(td); return td; }
function nextSleep(s) {
  if (s.sleepHeldBackByCpu) return 'held back: busy on CPU';
  if (s.nextSleepAt) return 'in ' + ms(Math.max(0, s.nextSleepAt - Date.now()));
  if (s.state !== 'RUNNING') return '–';
  return s.effectiveIdleTimeoutMs ? 'after ' + ms(s.effectiveIdleTimeoutMs) + ' idle' : '–';
}
function render(services) {
  rows.replaceChildren();
  for (const s of services) {
    const tr = document.createElement('tr');
    tr.dataset.service = s.name;
    cell(tr, s.name);
    const st = cell(tr, '');
    const badge = document.createElement('span'); badge.className = 'state ' + s.state; badge.textContent = s.state; st.appendChild(badge);
    if (s.transition) { const t = document.createElement('div'); t.className = 'muted'; t.textContent = s.transition; st.appendChild(t); }
    cell(tr, String(s.inFlight) + ' / ' + String(s.held ?? 0));
    const w = s.lastWake;
    const lw = cell(tr, w ? ms(w.totalMs) + ' from ' + w.from + ', ' + ago(w.at) : '–');
    if (w && w.phases) { const d = document.createElement('div'); d.className = 'muted'; d.textContent = 'dependency ' + ms(w.phases.dependencyMs) + ' · provider ' + ms(w.phases.providerMs) + ' · running ' + ms(w.phases.runningMs) + ' · ready ' + ms(w.phases.readyMs); lw.appendChild(d); }
    cell(tr, nextSleep(s));
    cell(tr, ms(s.totalUptimeMs));
    cell(tr, s.wakeCount + ' / ' + s.sleepCount + ' / ' + s.stopCount);
    const r = s.resources;
    cell(tr, r ? bytes(r.memoryBytes) + ' · ' + (r.cpuCores === null ? '–' : r.cpuCores.toFixed(2) + ' cores') : '–');
    const actions = cell(tr, '');
    for (const verb of ['wake', 'sleep', 'stop']) {
      const b = document.createElement('button'); b.textContent = verb; b.dataset.verb = verb;
      b.onclick = async () => { b.disabled = true; try { await call('/services/' + encodeURIComponent(s.name) + '/' + verb, { method: 'POST' }); } finally { b.disabled = false; refresh(); } };
      actions.appendChild(b);
    }
    rows.appendChild(tr);
  }
}
// One read at a time; an event during a read asks for one more read after it, so the last
// event is always shown (the read in flight may have been answered before that event happened).
let pending = null;
let again = false;
async function refresh() {
  if (pending) { again = true; return pending; }
  pending = (async () => {
    try {
      do {
        again = false;
        const res = await call('/services');
        if (res.ok) render((await res.json()).services);
      } while (again);
    } finally { pending = null; }
  })();
  return pending;
}
async function follow() {
  for (;;) {
    try {
      const res = await call('/events');
      if (!res.ok || !res.body) throw new Error('events answered ' + res.status);
      live.textContent = 'live'; live.className = 'on';
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end;
        while ((end = buffer.indexOf('\\n\\n')) !== -1) {
          const frame = buffer.slice(0, end); buffer = buffer.slice(end + 2);
          if (/^event: /m.test(frame)) refresh();
        }
      }
    } catch (err) { /* reconnect below */ }
    live.textContent = 'reconnecting'; live.className = 'off';
    await new Promise((r) => setTimeout(r, 2000));
  }
}
refresh(); follow(); setInterval(refresh, 5000);
`;

/** The whole status page. */
export function renderStatusPage(): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>wake-proxy</title><style>${STYLE}</style></head>
<body><h1>wake-proxy</h1><p class="sub">Services, live from the admin API · <span id="live" class="off">connecting</span></p>
<table><thead><tr><th>service</th><th>state</th><th>in flight / held</th><th>last wake</th><th>next sleep</th><th>uptime</th><th>wakes / sleeps / stops</th><th>memory · CPU</th><th></th></tr></thead>
<tbody id="rows"></tbody></table>
<script>${SCRIPT}</script></body></html>
`;
}
