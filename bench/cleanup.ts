/**
 * Everything the benchmark starts is registered here and undone in reverse order, on success,
 * on failure and on SIGINT/SIGTERM, so a run never leaves containers, nginx or a proxy behind.
 */

/** A stack of undo actions. */
export class CleanupStack {
  readonly #actions: Array<{ label: string; run: () => Promise<unknown> }> = [];
  #running: Promise<void> | null = null;

  /** Registers an undo action; actions must be idempotent (callers may also run them early). */
  push(label: string, run: () => Promise<unknown>): void {
    this.#actions.push({ label, run });
  }

  /** Runs every action once, newest first; a failing action is reported and the rest still run. */
  runAll(log: (line: string) => void): Promise<void> {
    this.#running ??= (async () => {
      for (const action of this.#actions.reverse()) {
        try {
          await action.run();
        } catch (err) {
          log(`cleanup of ${action.label} failed: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
    })();
    return this.#running;
  }

  /** On SIGINT/SIGTERM: clean up, then exit with 130/143. Returns a function that removes the handlers. */
  onSignals(log: (line: string) => void): () => void {
    const handler = (signal: NodeJS.Signals): void => {
      log(`${signal}: cleaning up`);
      void this.runAll(log).finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
    };
    process.once('SIGINT', handler);
    process.once('SIGTERM', handler);
    return () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    };
  }
}
