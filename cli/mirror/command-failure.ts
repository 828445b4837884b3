/** The one line a failed mirror command prints: the error's message, never its stack. */

/** An error's message on one line (the lines of a multi-line message, such as a list of config errors, joined with '; '). */
export function oneLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const parts = message.split(/\s*[\r\n]+\s*/).filter((part) => part !== '');
  return parts.reduce((line, part) => (line === '' ? part : `${line}${line.endsWith(':') ? ' ' : '; '}${part}`), '');
}

/** What to print after `ferry <command>: ` for an error that ended the command. */
export function commandFailure(err: unknown): string {
  return oneLine(err) || (err instanceof Error ? err.name : 'failed');
}
