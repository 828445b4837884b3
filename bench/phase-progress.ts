/**
 * The benchmarks' phase lines: each goes to standard output as before (the record of a run), and
 * on a terminal a line on standard error counts the seconds since the last one, so a long phase
 * visibly runs. Nothing is added when standard error is not a terminal.
 */
import { progressLine } from '../cli/command-line/progress-line.js';

const progress = progressLine(process.stderr);
let last = '';
let since = performance.now();
let ticker: NodeJS.Timeout | undefined;

function tick(): void {
  progress.update(`  … ${Math.round((performance.now() - since) / 1000)} s since: ${last.trim()}`);
}

/** Writes `line` (plus a newline) to `out` (stdout unless given), then restarts the terminal's elapsed-time line. */
export function phaseLine(line: string, out: NodeJS.WritableStream = process.stdout): void {
  progress.clear();
  out.write(`${line}\n`);
  if (line.trim() === '') return;
  last = line;
  since = performance.now();
  if (process.stderr.isTTY && ticker === undefined) {
    ticker = setInterval(tick, 1000);
    ticker.unref();
  }
}
