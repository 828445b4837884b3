import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { FileStreamSourceTask } from '../../../connectors/file/file-source-task.js';
import { InvalidLineError } from '../../../connectors/file/invalid-line-error.js';
import { Schema } from '../../../connectors/sdk/data/schema.js';
import { ConnectError, DataError } from '../../../connectors/sdk/errors.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { pollUntil, positions, sourceContext, values } from './fake-contexts.js';

const tasks: FileStreamSourceTask[] = [];
const live = new AbortController().signal;

async function startTask(config: Record<string, string>, context = sourceContext()): Promise<FileStreamSourceTask> {
  const task = new FileStreamSourceTask();
  tasks.push(task);
  await task.start({ topic: 'lines', 'file.poll.interval.ms': '50', ...config }, context);
  return task;
}

afterEach(async () => {
  for (const task of tasks.splice(0)) await task.stop();
});

function fileWith(content: string): string {
  const file = path.join(tempDir('ferry-file-source-'), 'app.log');
  fs.writeFileSync(file, content);
  return file;
}

describe('FileStreamSourceTask', () => {
  it('turns each line into a STRING record whose offset is the byte position after its terminator, as Kafka does', async () => {
    const file = fileWith('alpha\nbeta\r\ngamma\rdelta\n');
    const task = await startTask({ file });
    const records = await pollUntil(task, 4);
    expect(values(records)).toEqual(['alpha', 'beta', 'gamma', 'delta']);
    expect(positions(records)).toEqual([6, 12, 18, 24]);
    expect(records[0]).toMatchObject({
      topic: 'lines', kafkaPartition: null, key: null, keySchema: null, headers: [],
      sourcePartition: { filename: file },
    });
    expect(records[0].valueSchema).toBe(Schema.STRING_SCHEMA);
    expect(typeof records[0].timestamp).toBe('number');
  });

  it('resumes after the stored offset', async () => {
    const file = fileWith('alpha\nbeta\ngamma\n');
    const task = await startTask({ file }, sourceContext({ position: 6 }));
    const records = await pollUntil(task, 2);
    expect(values(records)).toEqual(['beta', 'gamma']);
    expect(positions(records)).toEqual([11, 17]);
  });

  it('returns at most batch.size records per poll', async () => {
    const file = fileWith('1\n2\n3\n4\n5\n');
    const task = await startTask({ file, 'batch.size': '2' });
    const sizes = [];
    for (let i = 0; i < 3; i++) sizes.push((await task.poll(live)).length);
    expect(sizes).toEqual([2, 2, 1]);
  });

  it('follows lines appended to the file', async () => {
    const file = fileWith('first\n');
    const task = await startTask({ file, 'file.poll.interval.ms': '5000' });
    expect(values(await pollUntil(task, 1))).toEqual(['first']);
    const started = performance.now();
    const next = task.poll(live);
    fs.appendFileSync(file, 'second\nthird\n');
    const all = await next;
    expect(performance.now() - started).toBeLessThan(5000);
    expect(values(all)).toEqual(['second', 'third']);
    expect(positions(all)).toEqual([13, 19]);
  });

  it('holds a partial line back until its newline arrives', async () => {
    const file = fileWith('one\ntw');
    const task = await startTask({ file });
    expect(values(await pollUntil(task, 1))).toEqual(['one']);
    expect(await task.poll(live)).toEqual([]);
    fs.appendFileSync(file, 'o\n');
    const records = await pollUntil(task, 1);
    expect(values(records)).toEqual(['two']);
    expect(positions(records)).toEqual([8]);
  });

  it('reads a rotated file to its end, then the new file from its beginning, losing no line', async () => {
    const file = fileWith('1\n2\n');
    const task = await startTask({ file });
    expect(values(await pollUntil(task, 2))).toEqual(['1', '2']);
    fs.appendFileSync(file, '3\nunterminated');
    fs.renameSync(file, `${file}.1`);
    fs.writeFileSync(file, 'new-1\nnew-2\n');
    const records = await pollUntil(task, 4);
    expect(values(records)).toEqual(['3', 'unterminated', 'new-1', 'new-2']);
    expect(positions(records)).toEqual([6, 18, 6, 12]);
    fs.appendFileSync(file, 'new-3\n');
    expect(values(await pollUntil(task, 1))).toEqual(['new-3']);
  });

  it('starts again from offset 0 with a warning when the file is truncated', async () => {
    const file = fileWith('a fairly long first line\nanother line\n');
    const context = sourceContext();
    const task = await startTask({ file }, context);
    await pollUntil(task, 2);
    fs.truncateSync(file, 0);
    fs.appendFileSync(file, 'x\n');
    const records = await pollUntil(task, 1);
    expect(values(records)).toEqual(['x']);
    expect(positions(records)).toEqual([2]);
    expect(context.logger.entries.some((e) => e.level === 'warn' && /truncated/.test(e.msg))).toBe(true);
  });

  it('reads from the beginning when the stored offset lies beyond the end of the file', async () => {
    const file = fileWith('fresh\n');
    const task = await startTask({ file }, sourceContext({ position: 5000 }));
    expect(values(await pollUntil(task, 1))).toEqual(['fresh']);
  });

  it('skips existing content with file.start=end and reads only appended lines', async () => {
    const file = fileWith('old\n');
    const task = await startTask({ file, 'file.start': 'end' });
    expect(await task.poll(live)).toEqual([]);
    fs.appendFileSync(file, 'new\n');
    const records = await pollUntil(task, 1);
    expect(values(records)).toEqual(['new']);
    expect(positions(records)).toEqual([8]);
  });

  it('prefers a stored offset over file.start=end', async () => {
    const file = fileWith('a\nb\n');
    const task = await startTask({ file, 'file.start': 'end' }, sourceContext({ position: 2 }));
    expect(values(await pollUntil(task, 1))).toEqual(['b']);
  });

  it('waits for a file that does not exist yet and reads it from the beginning', async () => {
    const file = path.join(tempDir('ferry-file-source-'), 'later.log');
    const task = await startTask({ file, 'file.start': 'end' });
    expect(await task.poll(live)).toEqual([]);
    fs.writeFileSync(file, 'hello\n');
    expect(values(await pollUntil(task, 1))).toEqual(['hello']);
  });

  it('parses lines as schemaless JSON with file.format=json and fails a bad line as a DataError carrying it', async () => {
    const file = fileWith('{"a":1,"b":{"c":[true,null]}}\n[1,2]\n\nnot json\n"s"\n');
    const task = await startTask({ file, 'file.format': 'json' });
    const first = await task.poll(live);
    expect(values(first)).toEqual([new Map<string, unknown>([['a', 1], ['b', new Map([['c', [true, null]]])]]), [1, 2]]);
    expect(first[0].valueSchema).toBeNull();
    const error = await task.poll(live).then(() => null, (err: unknown) => err);
    expect(error).toBeInstanceOf(InvalidLineError);
    expect(error).toBeInstanceOf(DataError);
    expect(error).toMatchObject({ line: 'not json', sourcePartition: { filename: file }, sourceOffset: { position: 46 } });
    const after = await pollUntil(task, 1);
    expect(values(after)).toEqual(['s']);
    expect(positions(after)).toEqual([50]);
  });

  it('returns promptly with no records when the poll is aborted while waiting', async () => {
    const file = fileWith('');
    const task = await startTask({ file, 'file.poll.interval.ms': '60000' });
    const controller = new AbortController();
    const started = performance.now();
    const result = task.poll(controller.signal);
    setImmediate(() => controller.abort());
    expect(await result).toEqual([]);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('rejects a stored position that is not a non-negative integer', async () => {
    const file = fileWith('a\n');
    await expect(startTask({ file }, sourceContext({ position: 'twelve' }))).rejects.toThrow(ConnectError);
  });

  it('reads standard input when file is unset, without positions', async () => {
    const stdin = new PassThrough();
    const task = new FileStreamSourceTask({ stdin });
    tasks.push(task);
    await task.start({ topic: 'lines', 'file.poll.interval.ms': '50' }, sourceContext());
    stdin.write('x\ny');
    expect(values(await pollUntil(task, 1))).toEqual(['x']);
    stdin.end('\nz');
    const records = await pollUntil(task, 2);
    expect(values(records)).toEqual(['y', 'z']);
    expect(records[0].sourcePartition).toEqual({ filename: null });
    expect(positions(records)).toEqual([null, null]);
  });
});
