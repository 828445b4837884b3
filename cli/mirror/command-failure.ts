/** The one line a failed mirror command prints: the error's message, never its stack. */
import { oneLine } from '../command-line/one-line.js';

export { oneLine };

/** What to print after `ferry <command>: ` for an error that ended the command. */
export function commandFailure(err: unknown): string {
  return oneLine(err) || (err instanceof Error ? err.name : 'failed');
}
