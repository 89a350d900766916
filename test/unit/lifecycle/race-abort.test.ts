import { describe, expect, it, vi } from 'vitest';
import { raceAbort } from '../../../src/lifecycle/race-abort.ts';

describe('raceAbort', () => {
  it('settles like the promise when the signal stays quiet, and removes its listener', async () => {
    const controller = new AbortController();
    const remove = vi.spyOn(controller.signal, 'removeEventListener');
    await expect(raceAbort(Promise.resolve(7), controller.signal)).resolves.toBe(7);
    await expect(raceAbort(Promise.reject(new Error('no')), controller.signal)).rejects.toThrow('no');
    expect(remove).toHaveBeenCalledTimes(2);
  });

  it('rejects with the abort reason at once, leaving the shared promise running', async () => {
    const shared = Promise.withResolvers<number>();
    const a = new AbortController();
    const first = raceAbort(shared.promise, a.signal);
    const second = raceAbort(shared.promise, new AbortController().signal);
    a.abort(new Error('client went away'));
    await expect(first).rejects.toThrow('client went away');
    shared.resolve(1);
    await expect(second).resolves.toBe(1);
  });

  it('rejects at once for a signal already aborted, without an unhandled rejection later', async () => {
    const shared = Promise.withResolvers<number>();
    await expect(raceAbort(shared.promise, AbortSignal.abort(new Error('gone')))).rejects.toThrow('gone');
    shared.reject(new Error('wake failed'));
    await expect(shared.promise).rejects.toThrow('wake failed');
  });
});
