import { describe, expect, it } from 'vitest';
import { ReadyCache } from '../../../src/lifecycle/ready-cache.ts';

const at = (host: string) => ({ host, port: 8080 });

function cache() {
  const changes: boolean[] = [];
  return { cache: new ReadyCache(at('10.0.0.1'), (ready) => changes.push(ready)), changes };
}

describe('ReadyCache', () => {
  it('keeps a ready container that is being paused resumable, once', () => {
    const { cache: c, changes } = cache();
    c.confirm(at('10.0.0.2'));
    c.settling(true);
    expect([c.ready, c.resumable]).toEqual([false, at('10.0.0.2')]);
    expect(c.takeResumable()).toEqual(at('10.0.0.2'));
    expect(c.takeResumable()).toBeNull();
    expect(changes).toEqual([true, false]);
  });

  it('keeps nothing resumable for a stop, or for a pause of a container not known ready', () => {
    const { cache: c } = cache();
    c.settling(true);
    expect(c.resumable).toBeNull();
    c.confirm(at('10.0.0.2'));
    c.settling(false);
    expect(c.resumable).toBeNull();
  });

  it('invalidates readiness and resumability when the container answers at a new address', () => {
    const { cache: c, changes } = cache();
    c.confirm(at('10.0.0.2'));
    c.settling(true);
    c.answersAt(at('10.0.0.2'));
    expect(c.resumable).toEqual(at('10.0.0.2'));
    c.answersAt(at('10.0.0.3'));
    expect([c.ready, c.upstream, c.resumable]).toEqual([false, at('10.0.0.3'), null]);
    expect(changes).toEqual([true, false, false]);
  });
});
