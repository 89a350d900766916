/**
 * One problem found in a config file, before it is given a file:line:col location.
 * Schema issues and cross-check issues share this shape so one locator serves both.
 */

/** A path into the YAML document: map keys are strings, sequence indexes are numbers. */
export type ConfigPath = readonly (string | number)[];

/** A problem at `path`; `key` names an offending map key under `path` (an unknown key). */
export interface ConfigIssue {
  readonly path: ConfigPath;
  readonly message: string;
  /** When set, the issue is about this key of the map at `path`, and is located at the key itself. */
  readonly key?: string;
}

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** Renders a path the way users write it: `services.api.depends_on[0]`, `services["my.svc"]`. */
export function formatConfigPath(path: ConfigPath): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (PLAIN_KEY.test(part)) out += out === '' ? part : `.${part}`;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out;
}
