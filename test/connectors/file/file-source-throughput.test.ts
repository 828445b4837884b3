import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileStreamSourceTask } from '../../../connectors/file/file-source-task.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { sourceContext } from './fake-contexts.js';

const LINES = 100_000;

describe('file source throughput', () => {
  it('polls 100k 100-byte lines at well over 20k lines/s', async () => {
    const file = path.join(tempDir('ferry-file-bench-'), 'big.log');
    const line = `${'x'.repeat(99)}\n`;
    fs.writeFileSync(file, line.repeat(LINES));
    const task = new FileStreamSourceTask();
    await task.start({ file, topic: 't', 'file.poll.interval.ms': '0' }, sourceContext());
    const signal = new AbortController().signal;
    const started = performance.now();
    let count = 0;
    let last = 0;
    while (count < LINES) {
      const records = await task.poll(signal);
      count += records.length;
      if (records.length > 0) last = records[records.length - 1].sourceOffset.position as number;
    }
    const seconds = (performance.now() - started) / 1000;
    await task.stop();
    const rate = Math.round(count / seconds);
    console.log(`file source: ${count} lines in ${seconds.toFixed(3)} s = ${rate} lines/s`);
    expect(last).toBe(LINES * 100);
    expect(rate).toBeGreaterThan(20_000);
  });
});
