// The backend that wake-proxy's integration tests put behind the proxy. Plain JS, no dependencies,
// runs on Node 24 as PID 1 of the wake-proxy-test-backend image. Behaviour is set by env vars:
//   PORT (8080), START_DELAY_MS (wait before listening), READY_AFTER_MS (/health is 503 until this
//   long after listening), CRASH_AFTER_MS + CRASH_CODE (exit with that code after N ms of life).
// Endpoints: /health, /stats, /echo, /slow?ms=, /stream?chunks=&interval=, /sse?events=&interval=,
// /bytes?n=, /crash?code=, /redirect?to=[&refresh] (302 + a cookie), /page (HTML), anything else:
// "hello from <hostname>"; WebSocket echo on any path. Every response carries x-backend: <hostname>.
// SIGUSR1 closes the listener and every open connection (the process lives on, refusing
// connections, like an app whose server crashed inside a running container); SIGUSR2 listens again.
// /stats counts requests other than /health and /stats, so readiness probes do not blur
// "how many times was the upstream hit".
import { createServer } from 'node:http';
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { acceptWebSocket } from './ws-echo.mjs';

const env = process.env;
const port = Number(env.PORT || 8080);
const startDelayMs = Number(env.START_DELAY_MS || 0);
const readyAfterMs = Number(env.READY_AFTER_MS || 0);
const host = env.HOSTNAME || hostname();
const stats = { requests: 0, healthChecks: 0, websockets: 0, websocketMessages: 0 };
let listenedAt = Number.POSITIVE_INFINITY;

// PID 1 gets no default signal handlers: exit promptly on our own.
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => process.exit(0));
if (env.CRASH_AFTER_MS) {
  setTimeout(() => process.exit(Number(env.CRASH_CODE || 1)), Number(env.CRASH_AFTER_MS));
}

const intParam = (url, name, fallback) => {
  const value = Number(url.searchParams.get(name));
  return Number.isFinite(value) && url.searchParams.has(name) ? value : fallback;
};

function paced(res, count, intervalMs, render, contentType) {
  res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-cache', 'x-backend': host });
  res.flushHeaders();
  if (count <= 0) return res.end();
  let sent = 0;
  const timer = setInterval(() => {
    res.write(render(sent));
    sent += 1;
    if (sent >= count) {
      clearInterval(timer);
      res.end();
    }
  }, intervalMs);
  return res.on('close', () => clearInterval(timer));
}

function echo(req, res, url) {
  const hash = createHash('sha256');
  let bodyBytes = 0;
  req.on('data', (chunk) => {
    bodyBytes += chunk.length;
    hash.update(chunk);
  });
  req.on('end', () => {
    const body = { method: req.method, path: url.pathname + url.search, headers: req.headers, bodyBytes, bodySha256: hash.digest('hex') };
    res.writeHead(200, { 'content-type': 'application/json', 'x-backend': host });
    res.end(JSON.stringify(body));
  });
}

function bytes(res, n) {
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': n, 'x-backend': host });
  const chunk = Buffer.alloc(64 * 1024, 0x78);
  let left = n;
  const pump = () => {
    while (left > 0) {
      const piece = chunk.subarray(0, Math.min(left, chunk.length));
      left -= piece.length;
      if (!res.write(piece)) return res.once('drain', pump);
    }
    return res.end();
  };
  pump();
}

function text(res, status, body) {
  res.writeHead(status, { 'content-type': 'text/plain', 'x-backend': host });
  res.end(body);
}

function handle(req, res) {
  const url = new URL(req.url ?? '/', 'http://backend');
  if (url.pathname === '/health') {
    stats.healthChecks += 1;
    return Date.now() - listenedAt >= readyAfterMs ? text(res, 200, 'ok') : text(res, 503, 'not ready');
  }
  if (url.pathname === '/stats') {
    res.writeHead(200, { 'content-type': 'application/json', 'x-backend': host });
    return res.end(JSON.stringify(stats));
  }
  stats.requests += 1;
  switch (url.pathname) {
    case '/echo':
      return echo(req, res, url);
    case '/slow':
      return setTimeout(() => text(res, 200, 'slow done'), intParam(url, 'ms', 1000));
    case '/stream':
      return paced(res, intParam(url, 'chunks', 5), intParam(url, 'interval', 100), (i) => `chunk ${i}\n`, 'text/plain');
    case '/sse':
      return paced(res, intParam(url, 'events', 5), intParam(url, 'interval', 100), (i) => `id: ${i}\ndata: event ${i}\n\n`, 'text/event-stream');
    case '/bytes':
      return bytes(res, intParam(url, 'n', 1024));
    case '/crash':
      return res.end('crashing\n', () => process.exit(intParam(url, 'code', 1)));
    case '/redirect': {
      // Like a framework that redirects to its own absolute path (Flask's redirect('/links')).
      const to = url.searchParams.get('to') ?? '/';
      const headers = { location: to, 'x-backend': host, 'set-cookie': 'sid=1; Path=/; HttpOnly' };
      if (url.searchParams.has('refresh')) headers.refresh = `0; url=${to}`;
      res.writeHead(302, headers);
      return res.end();
    }
    case '/page':
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'x-backend': host });
      return res.end(`<!doctype html><title>real page</title><h1 id="real">hello from ${host}</h1>`);
    default:
      return text(res, 200, `hello from ${host}`);
  }
}

const server = createServer(handle);
server.on('upgrade', (req, socket, head) => {
  if (String(req.headers.upgrade).toLowerCase() !== 'websocket') return socket.destroy();
  stats.websockets += 1;
  return acceptWebSocket(req, socket, head, () => {
    stats.websocketMessages += 1;
  });
});
server.on('clientError', (_err, socket) => socket.destroy());

function listen() {
  server.listen(port, '0.0.0.0', () => {
    listenedAt = Date.now();
    process.stdout.write(`backend ${host} listening on ${port}\n`);
  });
}

// While not listening, a timer keeps the process (PID 1: the container) alive.
let keepAlive = null;
process.on('SIGUSR1', () => {
  keepAlive ??= setInterval(() => undefined, 60_000);
  server.close();
  server.closeAllConnections();
  process.stdout.write(`backend ${host} stopped listening\n`);
});
process.on('SIGUSR2', () => {
  if (keepAlive !== null) clearInterval(keepAlive);
  keepAlive = null;
  if (!server.listening) listen();
});

setTimeout(listen, startDelayMs);
