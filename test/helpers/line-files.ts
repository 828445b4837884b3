/**
 * Line files as the file connectors see them: reading a file another process is appending
 * to (a missing file reads as empty, a last line without its "\n" is not complete yet), and
 * appending lines.
 */
import fs from 'node:fs';

export function readBytes(file: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return Buffer.alloc(0);
    throw err;
  }
}

/** The complete lines of `file`, without their terminators. */
export function completeLines(file: string): string[] {
  const text = readBytes(file).toString('utf8');
  const end = text.lastIndexOf('\n');
  return end < 0 ? [] : text.slice(0, end).split('\n');
}

export function appendLines(file: string, lines: readonly string[]): void {
  if (lines.length > 0) fs.appendFileSync(file, lines.map((line) => `${line}\n`).join(''));
}

/** Where two buffers first differ, with the line each has there, for readable failures. */
export function firstDifference(expected: Buffer, actual: Buffer): string | null {
  const length = Math.min(expected.length, actual.length);
  let at = 0;
  while (at < length && expected[at] === actual[at]) at++;
  if (at === length && expected.length === actual.length) return null;
  const lineStart = expected.lastIndexOf(0x0a, at - 1) + 1;
  const lineNumber = expected.subarray(0, lineStart).filter((b) => b === 0x0a).length + 1;
  const lineAt = (buf: Buffer) => {
    const end = buf.indexOf(0x0a, lineStart);
    return JSON.stringify(buf.subarray(lineStart, end < 0 ? buf.length : end).toString('utf8'));
  };
  return `first difference at byte ${at} (line ${lineNumber}; ${expected.length} bytes expected, ${actual.length} written):\n`
    + `  expected ${lineAt(expected)}\n  actual   ${lineAt(actual)}`;
}
