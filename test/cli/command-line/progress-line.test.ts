/** The progress line: rewritten in place on a terminal, erased at the end, absent elsewhere. */
import { expect, it } from 'vitest';
import { progressLine } from '../../../cli/command-line/progress-line.js';

function stream(isTTY: boolean, columns = 40) {
  let text = '';
  return { isTTY, columns, write: (chunk: string) => { text += chunk; }, text: () => text };
}

it('rewrites one line on a terminal, cut to its width, and erases it', () => {
  const tty = stream(true, 20);
  const line = progressLine(tty);
  line.update('Applying a (1 of 2)');
  line.update('Applying b (2 of 2): waited 5 s for the worker');
  line.clear();
  line.clear();
  expect(tty.text()).toBe('\r\u001b[2KApplying a (1 of 2)\r\u001b[2KApplying b (2 of 2…\r\u001b[2K');
});

it('writes nothing when the stream is not a terminal', () => {
  const pipe = stream(false);
  const line = progressLine(pipe);
  line.update('Applying a');
  line.clear();
  expect(pipe.text()).toBe('');
});
