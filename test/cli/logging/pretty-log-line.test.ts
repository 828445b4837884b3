/** Pretty log lines: what a person reads in the terminal for pino's records. */
import { expect, it } from 'vitest';
import { supportsColor } from '../../../cli/logging/log-colors.js';
import { formatPrettyLine } from '../../../cli/logging/pretty-log-line.js';

const at = new Date(2026, 11, 6, 9, 5, 7, 42).getTime();

it('puts time, level, component, connector/task and message first, then the other fields compactly', () => {
  const line = formatPrettyLine({
    level: 40, time: at, pid: 1, hostname: 'h', component: 'worker', connector: 'orders-sink', task: 1,
    msg: 'commit failed', attempts: 3, topic: 'orders', note: 'two words', nested: { a: 1 },
  }, false);
  expect(line).toBe('09:05:07.042 WARN  worker orders-sink/1 commit failed attempts=3 topic=orders note="two words" nested={"a":1}\n');
});

it('shows an error by its message, and its stack below for error records only', () => {
  const err = { type: 'Error', message: 'disk full', stack: 'Error: disk full\n    at write (file.js:1:1)\n    at run (file.js:2:2)' };
  expect(formatPrettyLine({ level: 50, time: at, msg: 'task failed', connector: 'c', err }, false))
    .toBe('09:05:07.042 ERROR c task failed err="disk full"\n    at write (file.js:1:1)\n    at run (file.js:2:2)\n');
  expect(formatPrettyLine({ level: 40, time: at, msg: 'retrying', err }, false)).toBe('09:05:07.042 WARN  retrying err="disk full"\n');
});

it('colours the level and the component only when asked', () => {
  const line = formatPrettyLine({ level: 30, time: at, component: 'broker', msg: 'ready' }, true);
  expect(line).toBe('\u001b[2m09:05:07.042\u001b[0m \u001b[32mINFO \u001b[0m \u001b[36mbroker\u001b[0m ready\n');
});

it('colours a terminal that has colours, never with NO_COLOR, always with FORCE_COLOR', () => {
  const terminal = { isTTY: true, hasColors: () => true };
  expect(supportsColor(terminal, {})).toBe(true);
  expect(supportsColor(terminal, { NO_COLOR: '1' })).toBe(false);
  expect(supportsColor({ isTTY: false }, {})).toBe(false);
  expect(supportsColor({ isTTY: false }, { FORCE_COLOR: '1' })).toBe(true);
  expect(supportsColor(terminal, { FORCE_COLOR: '0' })).toBe(false);
});
