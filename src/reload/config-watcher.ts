/**
 * Watches the two config files and asks for a reload when either changes.
 *
 * Policy: the folder of each file is watched, not the file itself, because editors and
 * Kubernetes ConfigMaps replace a file by renaming a new one over it, which ends a watch on the
 * old inode. Events for other names in the folder are ignored. Bursts (an editor writes, renames
 * and touches) are folded into one reload DEBOUNCE_MS after the last event. A folder that cannot
 * be watched is logged once and left unwatched (SIGHUP and the admin API still reload).
 */
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import type { Clock } from '../clock.ts';
import type { Logger } from '../logging/logger.ts';
import { debounced } from './debounced.ts';

/** Quiet time after the last file event before the reload. */
export const DEBOUNCE_MS = 300;

/** Watches files; close() stops it. */
export interface ConfigWatcher {
  close(): void;
}

/** Starts watching `files`; `onChange` runs once per burst of changes. */
export function watchConfigFiles(files: readonly string[], onChange: () => void, deps: { clock: Clock; logger: Logger }): ConfigWatcher {
  const byFolder = new Map<string, Set<string>>();
  for (const file of files) {
    const path = resolve(file);
    const names = byFolder.get(dirname(path)) ?? new Set<string>();
    names.add(basename(path));
    byFolder.set(dirname(path), names);
  }
  const burst = debounced(deps.clock, DEBOUNCE_MS, onChange);
  const changed = (): void => burst.soon();
  const watchers: FSWatcher[] = [];
  for (const [folder, names] of byFolder) {
    try {
      const watcher = watch(folder, { persistent: false }, (_event, name) => {
        // Some platforms give no name; a change in the folder may then be ours.
        if (name === null || names.has(String(name))) changed();
      });
      watcher.on('error', (err) => deps.logger.warn({ folder, err }, 'config folder watch failed'));
      watchers.push(watcher);
    } catch (err) {
      deps.logger.warn({ folder, err }, 'config folder cannot be watched; reload with SIGHUP or POST /config/reload');
    }
  }
  return {
    close() {
      burst.cancel();
      for (const watcher of watchers) watcher.close();
    },
  };
}
