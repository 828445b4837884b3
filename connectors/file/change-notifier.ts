/**
 * Wakes an idle file reader early when its file changes, so tailing reacts within milliseconds
 * instead of at the next poll interval.
 *
 * It watches the file's directory (not the file), so creation and renames of the path are seen
 * too. Usage: `arm()` before looking at the file, then `wait(ms, signal)`; a change reported
 * after `arm()` makes `wait` return at once, so nothing written between the look and the wait
 * is missed. Events are hints only: where the file system reports nothing (or the directory is
 * missing) `wait` simply lasts its full time, and a spurious wake-up just costs one more read.
 */
import fs from 'node:fs';
import path from 'node:path';
import { idleWait } from './idle-wait.js';

export class ChangeNotifier {
  readonly #dir: string;
  readonly #base: string;
  #watcher: fs.FSWatcher | null = null;
  #changed = false;
  #wake: (() => void) | null = null;
  #closed = false;

  constructor(file: string) {
    this.#dir = path.dirname(path.resolve(file));
    this.#base = path.basename(file);
  }

  arm(): void {
    this.#changed = false;
    this.#watch();
  }

  /** Resolves on a change since `arm()`, after `ms`, or when `signal` aborts, whichever is first. */
  wait(ms: number, signal: AbortSignal): Promise<void> {
    if (this.#changed) return Promise.resolve();
    return idleWait(ms, signal, (wake) => {
      this.#wake = wake;
    });
  }

  close(): void {
    this.#closed = true;
    this.#watcher?.close();
    this.#watcher = null;
    this.#wake?.();
  }

  #watch(): void {
    if (this.#watcher !== null || this.#closed) return;
    try {
      const watcher = fs.watch(this.#dir, { persistent: false }, (_event, name) => {
        if (name === null || name === this.#base) this.#notify();
      });
      watcher.on('error', () => {
        watcher.close();
        if (this.#watcher === watcher) this.#watcher = null;
        this.#notify();
      });
      this.#watcher = watcher;
    } catch {
      // Directory missing or not watchable: waits fall back to their timeout.
    }
  }

  #notify(): void {
    this.#changed = true;
    this.#wake?.();
  }
}
