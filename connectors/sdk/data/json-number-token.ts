/** The number token of JSON's grammar, as the compact-text readers scan it. */

const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;

/**
 * The position after the number token at `at` (`-`, digits without a leading zero, then
 * optionally `.` and digits, then optionally `e` or `E`, a sign and digits), or -1 when the text
 * there is not one.
 */
export function numberTokenEnd(text: string, at: number): number {
  let i = at;
  if (text.charCodeAt(i) === MINUS) i++;
  const intStart = i;
  while (isDigit(text.charCodeAt(i))) i++;
  if (i === intStart || (text.charCodeAt(intStart) === ZERO && i - intStart > 1)) return -1;
  if (text.charCodeAt(i) === DOT) {
    const fracStart = ++i;
    while (isDigit(text.charCodeAt(i))) i++;
    if (i === fracStart) return -1;
  }
  const e = text.charCodeAt(i);
  if (e === 0x65 || e === 0x45) {
    i++;
    const sign = text.charCodeAt(i);
    if (sign === 0x2b || sign === MINUS) i++;
    const expStart = i;
    while (isDigit(text.charCodeAt(i))) i++;
    if (i === expStart) return -1;
  }
  return i;
}

/** True for the code of an ASCII digit. */
export function isDigit(code: number): boolean {
  return code >= ZERO && code <= 0x39;
}
