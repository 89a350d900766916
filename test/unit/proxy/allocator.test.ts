import { describe, expect, it } from 'vitest';
import { allocatorIn, processAllocator } from '../../../src/proxy/allocator.ts';

const LIBC = '7f1c2a000000-7f1c2a028000 r--p 00000000 fe:01 1234 /usr/lib/x86_64-linux-gnu/libc.so.6';
const JEMALLOC = '7f1c2b000000-7f1c2b020000 r--p 00000000 fe:01 5678 /usr/lib/x86_64-linux-gnu/libjemalloc.so.2';

describe('allocatorIn', () => {
  it('names jemalloc when it is mapped, even beside glibc', () => {
    expect(allocatorIn(`${LIBC}\n${JEMALLOC}\n`)).toBe('jemalloc');
  });

  it('names glibc when only libc is mapped', () => {
    expect(allocatorIn(`${LIBC}\n7f1c2c000000-7f1c2c001000 rw-p 00000000 00:00 0 \n`)).toBe('glibc');
  });

  it('says unknown for another libc', () => {
    expect(allocatorIn('7f00-7f10 r-xp 00000000 fe:01 1 /lib/ld-musl-x86_64.so.1\n')).toBe('unknown');
  });

  it('reads this process, which runs on glibc or a preloaded jemalloc here', () => {
    expect(['glibc', 'jemalloc']).toContain(processAllocator());
  });
});
