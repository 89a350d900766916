import { describe, expect, it } from 'vitest';
import { parseWrkDuration, parseWrkOutput } from '../../../bench/wrk-output.ts';

const REPORT = `Running 1s test @ http://127.0.0.1:18999/
  2 threads and 10 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   379.14us  771.79us  15.69ms   94.19%
    Req/Sec    22.20k    11.03k   34.45k    63.64%
  Latency Distribution
     50%  162.00us
     75%  295.00us
     90%  761.00us
     99%    3.45ms
  48516 requests in 1.10s, 5.74MB read
Requests/sec:  44115.76
Transfer/sec:      5.22MB
`;

describe('parseWrkDuration', () => {
  it.each([
    { text: '162.00us', ms: 0.162 },
    { text: '3.45ms', ms: 3.45 },
    { text: '1.50s', ms: 1500 },
    { text: '2m', ms: 120_000 },
    { text: 'fast', ms: null },
  ])('reads $text as $ms ms', ({ text, ms }) => {
    const value = parseWrkDuration(text);
    if (ms === null) expect(value).toBeNull();
    else expect(value).toBeCloseTo(ms, 6);
  });
});

describe('parseWrkOutput', () => {
  it('reads requests per second, the total and the latency distribution', () => {
    const result = parseWrkOutput(REPORT);
    expect(result.rps).toBe(44115.76);
    expect(result.requests).toBe(48516);
    expect(result.errors).toBe(0);
    expect(result.p50Ms).toBeCloseTo(0.162, 6);
    expect(result.p99Ms).toBeCloseTo(3.45, 6);
  });

  it('adds socket errors and non-2xx responses into errors', () => {
    const withErrors = REPORT.replace(
      'Requests/sec:',
      '  Socket errors: connect 1, read 2, write 3, timeout 4\n  Non-2xx or 3xx responses: 5\nRequests/sec:',
    );
    expect(parseWrkOutput(withErrors).errors).toBe(15);
  });

  it('gives null percentiles when run without --latency', () => {
    const withoutDistribution = REPORT.replace(/ {2}Latency Distribution[\s\S]*?(?= {2}48516)/, '');
    const result = parseWrkOutput(withoutDistribution);
    expect(result.p50Ms).toBeNull();
    expect(result.rps).toBe(44115.76);
  });

  it('refuses output that has no request rate', () => {
    expect(() => parseWrkOutput('unable to connect to 127.0.0.1:1 Connection refused')).toThrow(/unreadable wrk output/);
  });
});
