/**
 * Which instance of a service of several containers gets the next request.
 *
 * Policy: among the instances that may take requests (ready, breaker closed), the one with the
 * fewest requests in flight; ties go round robin, starting after the instance picked last, so a
 * quiet service still spreads its requests. Least in flight rather than plain round robin because
 * a slow request (a download, a long poll) must not make every third request wait behind it.
 * Pure: the caller keeps the counts and the cursor.
 */

/** What the picker reads of one instance. */
export interface Candidate {
  readonly inFlight: number;
  /** Ready and its breaker closed. */
  readonly eligible: boolean;
}

/**
 * The index of the instance to use, or -1 when none is eligible. `after` is the index picked last
 * (-1 for none): among equals, the first one after it wins.
 */
export function pickLeastInFlight(candidates: readonly Candidate[], after: number): number {
  const n = candidates.length;
  let best = -1;
  let bestInFlight = Number.POSITIVE_INFINITY;
  for (let step = 1; step <= n; step += 1) {
    const index = (((after + step) % n) + n) % n;
    const c = candidates[index];
    if (c === undefined || !c.eligible || c.inFlight >= bestInFlight) continue;
    best = index;
    bestInFlight = c.inFlight;
  }
  return best;
}
