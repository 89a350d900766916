/**
 * Reloading the configuration while the proxy runs (SIGHUP, a change to either file, or
 * `POST /config/reload`).
 *
 * Policy:
 * - All or nothing: the new files are loaded and checked in full first (load-config.ts); if
 *   anything is wrong, the running configuration stays and the problems are logged with their
 *   file:line:col, once.
 * - Otherwise routes and services switch at once (config-diff.ts says how each service is
 *   treated). Requests in flight and held keep what they had; services that disappeared are left
 *   in the state they are in, never stopped by a reload.
 * - One reload at a time: a reload asked for while one runs is run once more after it, so the
 *   last edit always wins and bursts of file events cost one reload. A label check reads the
 *   labels alone, beside the files as last loaded (so an edit is reported by the reload that
 *   read it, the file watcher's, never by a label check that happened to run first); when a
 *   label check and a reload that reads the files are both waiting, the one run reads both.
 * - Every reload is logged with what changed; an unchanged configuration is logged as such.
 */
import type { Config } from '../config/routes-schema.ts';
import { diffConfig, isEmptyDiff, type ConfigDiff } from '../config/config-diff.ts';
import { ConfigError } from '../errors.ts';
import type { Logger } from '../logging/logger.ts';

/** What asked for the reload. */
export type ReloadCause = 'signal' | 'file' | 'admin' | 'labels';

/** The outcome of one reload. */
export type ReloadOutcome =
  | { readonly ok: true; readonly changed: boolean; readonly diff: ConfigDiff }
  | { readonly ok: false; readonly issues: readonly string[] };

/** What a reloader is built from. */
export interface ConfigReloaderDeps {
  /**
   * Loads and checks the configuration afresh for `cause`: both files and the labels, or for a
   * label check ('labels') the labels alone beside the files last loaded. Throws ConfigError
   * listing every problem.
   */
  readonly load: (cause: ReloadCause) => Promise<Config>;
  /** Switches the running proxy to `next` (routes, services). */
  readonly apply: (next: Config, diff: ConfigDiff) => void;
  readonly logger: Logger;
  /** Told about each reload that was applied (the event stream). */
  readonly onReloaded?: (cause: ReloadCause, diff: ConfigDiff) => void;
}

/** Serialised reloads of one running configuration; see the module header for the policy. */
export class ConfigReloader {
  readonly #deps: ConfigReloaderDeps;
  #current: Config;
  #running: Promise<ReloadOutcome> | null = null;
  #again: { cause: ReloadCause; load: () => Promise<Config>; promise: Promise<ReloadOutcome> } | null = null;

  constructor(initial: Config, deps: ConfigReloaderDeps) {
    this.#current = initial;
    this.#deps = deps;
  }

  /** The configuration in force. */
  current(): Config {
    return this.#current;
  }

  /** Loads, checks and applies the files; resolves with what happened (never rejects for bad files). */
  reload(cause: ReloadCause): Promise<ReloadOutcome> {
    return this.#serialised(cause, () => this.#deps.load(cause));
  }

  /** Switches to a configuration already loaded (start-up: the files plus the labels found). */
  replace(next: Config, cause: ReloadCause): Promise<ReloadOutcome> {
    return this.#serialised(cause, () => Promise.resolve(next));
  }

  #serialised(cause: ReloadCause, load: () => Promise<Config>): Promise<ReloadOutcome> {
    if (this.#running === null) {
      this.#running = this.#run(cause, load).finally(() => {
        this.#running = null;
      });
      return this.#running;
    }
    const waiting = this.#again;
    if (waiting === null) {
      // The entry's cause and load may be upgraded below before it runs.
      const entry: { cause: ReloadCause; load: () => Promise<Config>; promise: Promise<ReloadOutcome> } = {
        cause,
        load,
        promise: this.#running.then(() => {
          this.#again = null;
          return this.#serialised(entry.cause, entry.load);
        }),
      };
      this.#again = entry;
      return entry.promise;
    }
    if (waiting.cause === 'labels' && cause !== 'labels') {
      // A reload that reads the files covers a label check, not the other way round.
      waiting.cause = cause;
      waiting.load = load;
    }
    return waiting.promise;
  }

  async #run(cause: ReloadCause, load: () => Promise<Config>): Promise<ReloadOutcome> {
    const { logger } = this.#deps;
    let next: Config;
    try {
      next = await load();
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      logger.error({ cause, issues: err.issues }, 'configuration reload refused: the running configuration stays');
      return { ok: false, issues: err.issues };
    }
    const diff = diffConfig(this.#current, next);
    if (isEmptyDiff(diff)) {
      this.#current = next;
      // Label checks follow every container created or removed on the host: only changes are news.
      logger[cause === 'labels' ? 'debug' : 'info']({ cause }, 'configuration reloaded: nothing changed');
      return { ok: true, changed: false, diff };
    }
    this.#deps.apply(next, diff);
    this.#current = next;
    logger.info({ cause, ...diff }, 'configuration reloaded');
    this.#deps.onReloaded?.(cause, diff);
    return { ok: true, changed: true, diff };
  }
}
