import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { FileStreamSinkTask } from '../../../connectors/file/file-sink-task.js';
import { FileStreamSourceTask } from '../../../connectors/file/file-source-task.js';
import { Decimal } from '../../../connectors/sdk/data/decimal.js';
import { Schema } from '../../../connectors/sdk/data/schema.js';
import { SchemaBuilder } from '../../../connectors/sdk/data/schema-builder.js';
import { Struct } from '../../../connectors/sdk/data/struct.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { pollUntil, sinkContext, sinkRecord, sourceContext, values } from './fake-contexts.js';

const USER = SchemaBuilder.struct().name('User').field('id', Schema.INT32_SCHEMA).field('name', Schema.STRING_SCHEMA).build();

function outFile(): string {
  return path.join(tempDir('ferry-file-sink-'), 'out.txt');
}

async function startSink(config: Record<string, string>): Promise<FileStreamSinkTask> {
  const task = new FileStreamSinkTask();
  await task.start(config, sinkContext());
  return task;
}

describe('FileStreamSinkTask', () => {
  it('appends each value as a line the way Kafka prints it as soon as put returns, and flush syncs it', async () => {
    const file = outFile();
    fs.writeFileSync(file, 'existing\n');
    const task = await startSink({ file });
    await task.put([
      sinkRecord('plain text', Schema.STRING_SCHEMA),
      sinkRecord(Buffer.from('raw bytes')),
      sinkRecord(null),
      sinkRecord(42),
      sinkRecord(new Struct(USER).put('id', 7).put('name', 'ann'), USER),
      sinkRecord(new Map([['k', 1]])),
      sinkRecord({ k: [1, 2] }),
    ]);
    const expected = 'existing\nplain text\nraw bytes\nnull\n42\nStruct{id=7,name=ann}\n{k=1}\n{k=[1, 2]}\n';
    expect(fs.readFileSync(file, 'utf8')).toBe(expected);
    await expect(task.flush(new Map())).resolves.toBeUndefined();
    expect(fs.readFileSync(file, 'utf8')).toBe(expected);
    await task.stop();
  });

  it('writes whatever is still buffered when stopped', async () => {
    const file = outFile();
    const task = await startSink({ file });
    await task.put([sinkRecord('a'), sinkRecord('b')]);
    await task.stop();
    expect(fs.readFileSync(file, 'utf8')).toBe('a\nb\n');
  });

  it('writes one JSON document per line with file.format=json', async () => {
    const file = outFile();
    const task = await startSink({ file, 'file.format': 'json' });
    await task.put([
      sinkRecord('s'),
      sinkRecord(new Struct(USER).put('id', 7).put('name', 'ann'), USER),
      sinkRecord(new Map<string, unknown>([['price', new Decimal(1050n, 2)], ['bytes', Buffer.from('hi')]])),
      sinkRecord(new Map([[1, 'one']])),
      sinkRecord([1.5, null, Number.NaN, 2n ** 64n]),
    ]);
    await task.flush(new Map());
    await task.stop();
    expect(fs.readFileSync(file, 'utf8').split('\n')).toEqual([
      '"s"',
      '{"id":7,"name":"ann"}',
      '{"price":10.50,"bytes":"aGk="}',
      '[[1,"one"]]',
      '[1.5,null,"NaN",18446744073709551616]',
      '',
    ]);
  });

  it('writes lines a json file source reads back as the same values', async () => {
    const file = outFile();
    const sink = await startSink({ file, 'file.format': 'json' });
    const written = [new Map<string, unknown>([['a', 1], ['b', 'two']]), 'text', [true, null]];
    await sink.put(written.map((v) => sinkRecord(v)));
    await sink.flush(new Map());
    await sink.stop();
    const source = new FileStreamSourceTask();
    await source.start({ file, topic: 't', 'file.format': 'json', 'file.poll.interval.ms': '50' }, sourceContext());
    expect(values(await pollUntil(source, 3))).toEqual(written);
    await source.stop();
  });

  it('writes to standard output when file is unset', async () => {
    const stdout = new PassThrough();
    const chunks: Buffer[] = [];
    stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    const task = new FileStreamSinkTask({ stdout });
    await task.start({}, sinkContext());
    await task.put([sinkRecord('x'), sinkRecord('y')]);
    await task.flush(new Map());
    await task.stop();
    expect(Buffer.concat(chunks).toString()).toBe('x\ny\n');
  });
});
