import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { ConnectRest } from '../../helpers/connect-rest.js';
import { startFerry } from '../../helpers/ferry-process.js';
import { firstDifference, readBytes } from '../../helpers/line-files.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { until } from '../../helpers/until.js';
import { seededRandom } from '../../helpers/seeded-random.js';

const LINE_COUNT = 100_000;

const ASCII = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;:!?-_/()[]{}<>=+*&%$#@~^|\'`'];
/** Text a JSON round trip must escape or keep intact: quotes, backslashes, control characters, separators. */
const TRICKY = ['"', '\\', '\t', '\u0000', '\u0001', '\u001f', '\u007f', '\u2028', '\u2029', '\\n', '\\"', '{"a":1}', '</script>'];
const UNICODE = ['é', 'ß', 'ø', 'Ω', 'Ж', 'ש', 'ع', 'ह', '中', '文', '日本', '한글', '€', '—', '…', 'ﬁ', 'e\u0301', '😀', '🚀', '👩‍👩‍👧', '🇳🇱', '𝄞', '\u00a0', '\ufeff'];

/** Empty lines, ASCII, unicode (multi-byte, astral, combining, RTL) and JSON-special text, of very mixed lengths. */
function mixedLines(count: number): Buffer {
  const next = seededRandom(0xfe77);
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const kind = next();
    if (kind < 0.08) {
      lines.push('');
      continue;
    }
    const length = kind < 0.085 ? 1_000 + Math.floor(next() * 5_000) : Math.floor(next() * 90);
    let line = '';
    while (line.length < length) {
      const part = next();
      line += part < 0.75 ? pick(ASCII) : part < 0.93 ? pick(UNICODE) : pick(TRICKY);
    }
    lines.push(line);
  }
  return Buffer.from(`${lines.join('\n')}\n`, 'utf8');
}

it('copies 100k lines of mixed lengths, unicode and empty lines from a file through a topic into a byte-identical file', async () => {
  const dir = tempDir('ferry-e2e-roundtrip-');
  const input = path.join(dir, 'input.txt');
  const output = path.join(dir, 'output.txt');
  const content = mixedLines(LINE_COUNT);
  fs.writeFileSync(input, content);

  const ferry = await startFerry({ dataDir: path.join(dir, 'data') });
  const rest = new ConnectRest(ferry.restUrl);
  const began = performance.now();
  await rest.createConnector('lines-in', {
    'connector.class': 'FileStreamSource', file: input, topic: 'lines',
  });
  await rest.createConnector('lines-out', {
    'connector.class': 'FileStreamSink', file: output, topics: 'lines',
  });

  await until(() => readBytes(output).length >= content.length, {
    timeoutMs: 180_000, intervalMs: 250, what: `${content.length} bytes in ${output}`,
  });
  const seconds = (performance.now() - began) / 1000;
  console.log(`file round trip: ${LINE_COUNT} lines (${content.length} bytes) in ${seconds.toFixed(1)} s`);

  const copied = readBytes(output);
  expect(firstDifference(content, copied)).toBeNull();
  expect(await rest.status('lines-out')).toMatchObject({ connector: { state: 'RUNNING' }, tasks: [{ id: 0, state: 'RUNNING' }] });
  expect(await ferry.stop()).toBe(0);
}, 240_000);
