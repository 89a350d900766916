import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { pinTickShape } from '../../../src/proxy/tick-shape-pin.ts';

const SRC = new URL('../../../src/proxy/', import.meta.url).href;

/**
 * Runs ticks, one last-resort GC while none is queued (what the heap reclaim does), more ticks, and
 * returns V8's feedback for the keyed stores of the literal process.nextTick builds its tick objects
 * with: one entry per store, true when V8 gave up on it (megamorphic).
 */
function tickLiteralFeedbackAfterReclaim(pinned: boolean): boolean[] {
  const script = `
    import { pinTickShape } from '${SRC}tick-shape-pin.ts';
    import { lastResortCollect } from '${SRC}heap-reclaim.ts';
    const pin = process.env.PIN === '1' ? pinTickShape() : null;
    const noop = () => {};
    const batch = (n) => new Promise((resolve) => { for (let i = 0; i < n; i++) process.nextTick(noop); process.nextTick(resolve); });
    for (let r = 0; r < 50; r++) await batch(1000);
    await new Promise((resolve) => setTimeout(resolve, 20));
    lastResortCollect()();
    for (let r = 0; r < 50; r++) await batch(1000);
    %DebugPrint(process.nextTick);
    pin?.release();
  `;
  const run = spawnSync(process.execPath, ['--allow-natives-syntax', '--input-type=module', '-e', script], {
    env: { ...process.env, PIN: pinned ? '1' : '0', NODE_OPTIONS: '' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(run.status, run.stderr).toBe(0);
  const slots = run.stdout.split(/\n(?= - slot #)/).filter((block) => block.includes('DefineKeyedOwnPropertyInLiteral'));
  return slots.map((block) => block.includes('megamorphic'));
}

describe('pinTickShape', () => {
  it('holds the tick object of its own tick once that tick has run, until released', async () => {
    const pin = pinTickShape();
    expect(pin.held).toBeNull();
    await new Promise<void>((resolve) => process.nextTick(resolve));
    const held = pin.held;
    expect(held).not.toBeNull();
    const keys = Object.getOwnPropertySymbols(held).map((key) => key.description);
    expect(keys).toContain('async_id_symbol');
    expect(Object.keys(held as object)).toEqual(['callback', 'args']);
    pin.release();
    expect(pin.held).toBeNull();
  });

  it('does not take a tick object when released before its tick runs', async () => {
    const pin = pinTickShape();
    pin.release();
    await new Promise<void>((resolve) => process.nextTick(resolve));
    expect(pin.held).toBeNull();
  });

  it('keeps V8 from giving up on the tick literal through a last-resort GC; without it V8 gives up', () => {
    const pinned = tickLiteralFeedbackAfterReclaim(true);
    expect(pinned.length).toBeGreaterThanOrEqual(3);
    expect(pinned.filter(Boolean)).toEqual([]);
    const unpinned = tickLiteralFeedbackAfterReclaim(false);
    expect(unpinned.length).toBe(pinned.length);
    expect(unpinned.some(Boolean)).toBe(true);
  });
});
