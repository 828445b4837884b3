/**
 * One line on a terminal that says what a long step is doing, rewritten in place as it goes
 * and erased when the step ends. Only when the stream is a terminal: piped or redirected
 * output (CI logs, `2> file`, tests) gets nothing from it, so what it says must never be the
 * only place a result is reported.
 */

export interface ProgressStream {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(text: string): unknown;
}

export interface ProgressLine {
  /** Replaces the line's text. */
  update(text: string): void;
  /** Erases the line (before other output, or at the end). */
  clear(): void;
}

const ERASE_LINE = '\r\u001b[2K';

export function progressLine(stream: ProgressStream): ProgressLine {
  if (stream.isTTY !== true) return { update: () => {}, clear: () => {} };
  let shown = false;
  return {
    update(text) {
      const width = Math.max((stream.columns ?? 80) - 1, 10);
      const line = text.replace(/\s+/g, ' ');
      stream.write(`${ERASE_LINE}${line.length > width ? `${line.slice(0, width - 1)}…` : line}`);
      shown = true;
    },
    clear() {
      if (shown) stream.write(ERASE_LINE);
      shown = false;
    },
  };
}
