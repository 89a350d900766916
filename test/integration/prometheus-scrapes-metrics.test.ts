/**
 * Issue 15: /metrics is real Prometheus text. promtool (Debian's prometheus package) accepts it and
 * the shipped alert rules; a real Prometheus server scrapes the admin port and evaluates
 * histogram_quantile over the wake histogram; resource figures come from Docker's stats API.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../support/docker-fixture.ts';
import { eventually } from '../support/eventually.ts';
import { freePort } from '../support/free-port.ts';
import { backendListening, pauseByHand, startProxy, type ProxyHarness } from '../support/proxy-harness.ts';

const ROOT = join(import.meta.dirname, '../..');
const WAKES = 3;

let sleepy: Backend;
let steady: Backend;
let proxy: ProxyHarness;
let prometheus: ChildProcess | undefined;
let workDir: string;

function run(command: string, args: readonly string[], stdin?: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
    child.stdin.end(stdin ?? '');
  });
}

async function metricsText(): Promise<string> {
  const res = await fetch(`${proxy.adminUrl}/metrics`);
  expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
  return res.text();
}

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'wake-proxy-prom-'));
  [sleepy, steady] = await Promise.all([createBackend({ name: 'wp-prom-sleepy' }), createBackend({ name: 'wp-prom-steady' })]);
  await Promise.all([backendListening(sleepy.name), backendListening(steady.name)]);
  await pauseByHand(sleepy.name);
  proxy = await startProxy({
    routes: 'routes:\n  - path: /steady\n    service: steady\n  - path: /\n    service: app\n',
    services:
      `services:\n  app:\n    container: ${sleepy.name}\n    port: 8080\n    health_check:\n      path: /health\n` +
      `  steady:\n    container: ${steady.name}\n    port: 8080\n    sleep_policy:\n      priority: high\n`,
    logLevel: 'info',
  });
  for (let i = 0; i < WAKES; i += 1) {
    if (i > 0) expect(await proxy.adminPost('app', 'sleep')).toBe(200);
    const res = await fetch(`${proxy.url}/wake-${i}`);
    expect(res.status).toBe(200);
    await res.arrayBuffer();
  }
  // A GET to a container the proxy paused is sent during the unpause: its answer can come before
  // the wake is counted, so the figures are read once the last wake has finished.
  await eventually(async () => {
    const { state, transition } = await proxy.snapshot('app');
    return state === 'RUNNING' && transition === null;
  });
});

afterAll(async () => {
  prometheus?.kill('SIGKILL');
  await proxy?.close();
  await Promise.all([sleepy?.remove(), steady?.remove()]);
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe('the /metrics exposition', () => {
  it('passes promtool check metrics', async () => {
    const text = await metricsText();
    expect(text).toContain(`wake_proxy_wake_duration_seconds_count{service="app",from="SLEEPING"} ${WAKES}`);
    expect(text).toMatch(/wake_proxy_requests_total\{service="app",code="2xx"\} [1-9]/);
    const { code, output } = await run('promtool', ['check', 'metrics'], text);
    expect(output).toBe('');
    expect(code).toBe(0);
  });

  it('carries the memory of a running container, read from Docker stats', async () => {
    const snapshot = await eventually(
      async () => {
        const res = await fetch(`${proxy.adminUrl}/services/steady`);
        const body = (await res.json()) as { resources: { memoryBytes: number; memoryLimitBytes: number } | null };
        if (body.resources === null) throw new Error('no resource figures yet');
        return body.resources;
      },
      { timeoutMs: 20_000, intervalMs: 200 },
    );
    expect(snapshot.memoryBytes).toBeGreaterThan(1024 * 1024);
    expect(snapshot.memoryLimitBytes).toBeGreaterThan(snapshot.memoryBytes);
    expect(await metricsText()).toMatch(/wake_proxy_container_memory_bytes\{service="steady",state="RUNNING"\} \d{6,}/);
  });
});

describe('deploy/prometheus/alerts.yml', () => {
  it('passes promtool check rules and its unit tests', async () => {
    const check = await run('promtool', ['check', 'rules', 'deploy/prometheus/alerts.yml']);
    expect(check.output).toMatch(/SUCCESS: \d+ rules found/);
    expect(check.code).toBe(0);
    const tests = await run('promtool', ['test', 'rules', 'deploy/prometheus/alerts.test.yml']);
    expect(tests.output).toContain('SUCCESS');
    expect(tests.code).toBe(0);
  });
});

describe('a real Prometheus server', () => {
  it('scrapes the admin port and evaluates histogram_quantile over the wake histogram', async () => {
    const port = await freePort();
    const admin = new URL(proxy.adminUrl);
    const config = `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: wake-proxy\n    static_configs:\n      - targets: ['127.0.0.1:${admin.port}']\n`;
    await writeFile(join(workDir, 'prometheus.yml'), config);
    prometheus = spawn(
      'prometheus',
      [`--config.file=${join(workDir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(workDir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`],
      { stdio: 'ignore' },
    );
    const query = async (promql: string): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>> => {
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/query?query=${encodeURIComponent(promql)}`);
      const body = (await res.json()) as { status: string; data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> } };
      expect(body.status).toBe('success');
      return body.data.result;
    };
    const p50 = await eventually(
      async () => {
        const result = await query('histogram_quantile(0.5, sum by (le) (wake_proxy_wake_duration_seconds_bucket{service="app"}))');
        if (result[0] === undefined) throw new Error('no result yet');
        return result[0];
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    const seconds = Number(p50.value[1]);
    expect(seconds).toBeGreaterThan(0);
    expect(seconds).toBeLessThanOrEqual(60);
    const up = await query('up{job="wake-proxy"}');
    expect(up[0]?.value[1]).toBe('1');
    const count = await query('sum(wake_proxy_wake_duration_seconds_count{service="app"})');
    expect(count[0]?.value[1]).toBe(String(WAKES));
  });
});
