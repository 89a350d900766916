/**
 * The families of the shared state (`--state`): whether it answers, and how many of its
 * operations failed. Rendered only when replicas share state.
 */
import { family, sample } from './exposition.ts';

/** The two shared-state families in text format. */
export function renderSharedStateFamilies(health: { readonly up: boolean; readonly errors: number }): string {
  return [
    family('wake_proxy_shared_state_up', 'gauge', '1 while the shared state (--state) answers; 0 while each replica decides alone.', [
      sample('wake_proxy_shared_state_up', {}, health.up ? 1 : 0),
    ]),
    family('wake_proxy_shared_state_errors_total', 'counter', 'Shared-state operations that failed.', [
      sample('wake_proxy_shared_state_errors_total', {}, health.errors),
    ]),
  ].join('');
}
