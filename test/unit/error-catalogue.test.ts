/** The README's error table lists exactly the codes errors.ts exports, with the statuses error-response.ts assigns. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/errors.ts';
import { STATUS_BY_CODE } from '../../src/proxy/error-response.ts';

const readme = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');
const section = /<!-- error-table:start -->([\s\S]*?)<!-- error-table:end -->/.exec(readme)?.[1] ?? '';
const rows = new Map(
  [...section.matchAll(/^\| `(WP_[A-Z_]+)` \| (\d{3})/gm)].map((m) => [m[1] ?? '', Number(m[2])] as const),
);

describe('error catalogue', () => {
  it('lists exactly the exported codes in the README', () => {
    expect([...rows.keys()].sort()).toEqual([...ERROR_CODES].sort());
  });

  it.each([...ERROR_CODES])('documents the status of %s as error-response.ts assigns it', (code) => {
    expect(rows.get(code)).toBe(STATUS_BY_CODE[code]);
  });
});
