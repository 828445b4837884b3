/**
 * A thrown JS value described the way Java describes a Throwable, for the dead letter queue's
 * `exception.*` headers. The class name is the error's `name` (`DataError`, `TypeError`), as
 * ferry has no Java class names; the trace is Java's printStackTrace layout:
 *
 *   DataError: bad value
 *   \tat convert (file:///app/converter.js:10:5)
 *   Caused by: TypeError: x is undefined
 *   \tat ...
 *
 * Every line ends with "\n", as printStackTrace prints them. V8 frames keep V8's own text
 * after the "at ". A value thrown that is not an Error is named "Error" with its String() as
 * message and no frames. Causes are followed through `cause`, at most 16 deep and never twice.
 */
export interface ThrownDescription {
  readonly className: string;
  /** null when the error has no message, like Java's getMessage(). */
  readonly message: string | null;
  readonly frames: readonly string[];
}

const MAX_CAUSES = 16;

export function describeThrown(thrown: unknown): ThrownDescription {
  if (thrown instanceof Error) {
    const frames = (thrown.stack ?? '').split('\n')
      .map((line) => /^\s+at (.*)$/.exec(line)?.[1])
      .filter((frame): frame is string => frame !== undefined);
    return { className: thrown.name || 'Error', message: thrown.message === '' ? null : thrown.message, frames };
  }
  return { className: 'Error', message: thrown === undefined ? null : String(thrown), frames: [] };
}

function headline(d: ThrownDescription): string {
  return d.message === null ? d.className : `${d.className}: ${d.message}`;
}

export function javaStackTrace(thrown: unknown): string {
  const lines: string[] = [];
  const seen = new Set<unknown>();
  let current: unknown = thrown;
  for (let depth = 0; depth <= MAX_CAUSES && !seen.has(current); depth++) {
    seen.add(current);
    const d = describeThrown(current);
    lines.push(depth === 0 ? headline(d) : `Caused by: ${headline(d)}`);
    for (const frame of d.frames) lines.push(`\tat ${frame}`);
    if (!(current instanceof Error) || current.cause === undefined) break;
    current = current.cause;
  }
  return lines.map((line) => `${line}\n`).join('');
}
