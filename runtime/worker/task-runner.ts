/**
 * What the worker needs from a running task, whatever its kind.
 *
 * Lifecycle: `start()` once (resolves when the task's own start completed or failed; a
 * failure is reported as FAILED, never thrown), `pause()`/`resume()` any number of times,
 * `stop()` once: it asks the task loop to finish, waits up to the graceful timeout, commits
 * what is committable, calls the task's stop, and resolves. A runner reports every state
 * change (RUNNING, PAUSED, FAILED with trace) through the StatusListener it was given;
 * stopping is reported by the worker, not the runner.
 */
export interface TaskRunner {
  readonly connector: string;
  readonly task: number;
  start(): Promise<void>;
  pause(): void;
  resume(): void;
  stop(): Promise<void>;
}
