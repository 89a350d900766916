/**
 * `loading_page`, for a service or a route: off unless set. The default behaviour stays a
 * transparent hold; this only changes what a browser navigation sees during a long wake.
 */
import { z } from 'zod';
import { DurationSchema } from './duration.ts';

/** `loading_page`: an opt-in page for browser navigations still held after `after`. */
export const LoadingPageSchema = z
  .object({
    after: DurationSchema.default(2_000).describe('How long a browser navigation is held before it gets the loading page.'),
  })
  .strict()
  .transform((l) => ({ afterMs: l.after }));

