/** An error's message on one line (the lines of a multi-line message, such as a list of config errors, joined with '; '). */
export function oneLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const parts = message.split(/\s*[\r\n]+\s*/).filter((part) => part !== '');
  return parts.reduce((line, part) => (line === '' ? part : `${line}${line.endsWith(':') ? ' ' : '; '}${part}`), '');
}
