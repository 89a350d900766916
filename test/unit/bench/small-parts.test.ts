import { describe, expect, it } from 'vitest';
import { BENCH_PID_LABEL, isLeftover } from '../../../bench/bench-containers.ts';
import { parseCpuMs, parseMemory } from '../../../bench/proc-figures.ts';
import { renderNginxConf } from '../../../bench/nginx.ts';
import { parseVmRssMb } from '../../../bench/rss.ts';
import { medianRound, rotation } from '../../../bench/steady-state.ts';

describe('parseVmRssMb', () => {
  it('reads VmRSS in kB from a /proc status text as MB', () => {
    expect(parseVmRssMb('Name:\tnode\nVmPeak:\t  999 kB\nVmRSS:\t   51200 kB\nThreads:\t7\n')).toBe(50);
  });

  it('gives null when the process has no VmRSS line (a kernel thread, a zombie)', () => {
    expect(parseVmRssMb('Name:\tkthreadd\nState:\tS\n')).toBeNull();
  });
});

describe('medianRound', () => {
  const round = (rps: number) => ({ rps, requests: rps, errors: 0, p50Ms: null, p99Ms: null });

  it('picks the round with the median requests per second', () => {
    expect(medianRound([round(9), round(3), round(5)]).rps).toBe(5);
  });

  it('picks the lower middle round of an even count', () => {
    expect(medianRound([round(4), round(1), round(8), round(2)]).rps).toBe(2);
  });

  it('refuses an empty list', () => {
    expect(() => medianRound([])).toThrow(RangeError);
  });
});

describe('rotation', () => {
  it.each([
    { round: 0, expected: ['a', 'b', 'c'] },
    { round: 1, expected: ['b', 'c', 'a'] },
    { round: 2, expected: ['c', 'a', 'b'] },
    { round: 3, expected: ['a', 'b', 'c'] },
  ])('orders the targets of round $round as $expected', ({ round, expected }) => {
    expect(rotation(['a', 'b', 'c'], round)).toEqual(expected);
  });
});

describe('renderNginxConf', () => {
  it('proxies to the upstream with keep-alive, on loopback only, with every path in its directory', () => {
    const conf = renderNginxConf({ dir: '/tmp/x', port: 4567, upstream: '172.17.0.2:8080', workers: 1 });
    expect(conf).toContain('worker_processes 1;');
    expect(conf).toContain('server 172.17.0.2:8080; keepalive');
    expect(conf).toContain('listen 127.0.0.1:4567;');
    expect(conf).toContain('proxy_set_header Connection "";');
    const paths = [...conf.matchAll(/(?:pid|error_log|_temp_path) (\S+?)[; ]/g)].map((m) => m[1]);
    expect(paths.length).toBeGreaterThan(3);
    expect(paths.every((p) => p?.startsWith('/tmp/x/'))).toBe(true);
  });
});

describe('isLeftover', () => {
  it('keeps containers of a live run and sweeps those of an ended or unnamed one', () => {
    const alive = (pid: number): boolean => pid === 42;
    expect(isLeftover({ [BENCH_PID_LABEL]: '42' }, alive)).toBe(false);
    expect(isLeftover({ [BENCH_PID_LABEL]: '43' }, alive)).toBe(true);
    expect(isLeftover({}, alive)).toBe(true);
    expect(isLeftover({ [BENCH_PID_LABEL]: 'x' }, alive)).toBe(true);
  });
});

describe('proc figures', () => {
  it('reads utime + stime after a command name that holds spaces and parentheses', () => {
    const stat = '1234 (node (x) y) S 1 1234 1234 0 -1 4194304 100 0 0 0 250 50 0 0 20 0 11 0 100 0 0';
    expect(parseCpuMs(stat)).toBe(3000);
  });

  it('reads VmRSS and RssAnon in MB', () => {
    const status = 'Name:\tnode\nVmRSS:\t   81920 kB\nRssAnon:\t   40960 kB\nRssFile:\t   40960 kB\n';
    expect(parseMemory(status)).toEqual({ rssMb: 80, anonMb: 40 });
    expect(() => parseMemory('Name:\tnode\n')).toThrow(/VmRSS/);
  });
});
