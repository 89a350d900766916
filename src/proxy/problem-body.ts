/**
 * The body of every error answer, an RFC 9457 problem document: error-response.ts builds it and
 * sends it as problem+json, error-page.ts renders the same facts as an HTML page.
 */

/** An RFC 9457 problem document. */
export type ProblemBody = {
  readonly type: 'about:blank';
  readonly title: string;
  readonly status: number;
  readonly code: string;
  readonly detail: string;
};
