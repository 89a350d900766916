/**
 * Keeping one of Node's tick objects alive, so that a full GC never makes process.nextTick slow.
 *
 * Policy: Node's process.nextTick builds every tick object with one literal whose keys are symbols
 * (`{ [async_id_symbol]: …, [trigger_async_id_symbol]: …, [async_context_frame]: …, callback,
 * args }`). V8 keeps the feedback of each of those keyed stores for exactly one map; when a store
 * sees any other map, it gives up on it for good ("megamorphic"), and from then on every tick
 * object is built in V8's runtime (Runtime_DefineKeyedOwnPropertyInLiteral). The maps of that
 * literal are held only by live tick objects: a full GC while no tick is queued (the heap reclaim
 * runs exactly then, heap-reclaim.ts) lets V8 drop them, the next tick makes new maps, and the
 * stores give up. Measured (issue 12, perf under wrk): 8–9 % of the proxy's CPU per request was
 * that runtime function for the rest of the process; with one tick object held, V8's feedback for
 * the literal stayed monomorphic through the reclaims and the share was ~0 %.
 *
 * One tick object keeps the whole chain: its map points back to each map the literal made on the
 * way. The object is read with async_hooks' executionAsyncResource() inside its own callback (no
 * hook is installed), and costs one small object and a no-op closure.
 */
import { executionAsyncResource } from 'node:async_hooks';

/** Holds one tick object until released. */
export interface TickShapePin {
  /** The tick object held, once its tick has run (null before, and after release()). */
  readonly held: object | null;
  /** Lets the tick object go. */
  release(): void;
}

/** Queues one tick and keeps its tick object from the moment it runs. */
export function pinTickShape(): TickShapePin {
  let held: object | null = null;
  let released = false;
  process.nextTick(() => {
    if (!released) held = executionAsyncResource();
  });
  return {
    get held() {
      return held;
    },
    release() {
      released = true;
      held = null;
    },
  };
}
