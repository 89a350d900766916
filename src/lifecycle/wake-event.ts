/**
 * What the outside world (metrics, the event stream) learns about each wake: one event when it
 * ends, with the same fields as its log line. Emitted once per wake, not once per waiting caller.
 */
import type { WakeLogFields, WakeStep } from './wake-timeline.ts';

/** One finished wake of one service; `at` is epoch ms. */
export type WakeEvent =
  | { readonly service: string; readonly ok: true; readonly fields: WakeLogFields; readonly at: number }
  | {
      readonly service: string;
      readonly ok: false;
      readonly fields: WakeLogFields;
      /** Stable code of the error the waiting callers got, e.g. `WP_WAKE_TIMEOUT`. */
      readonly code: string;
      readonly step: WakeStep;
      readonly at: number;
    };
