import { describe, expect, it } from 'vitest';
import { Decimal } from '../../../connectors/sdk/data/decimal.js';
import { Schema } from '../../../connectors/sdk/data/schema.js';
import { SchemaBuilder } from '../../../connectors/sdk/data/schema-builder.js';
import { Struct } from '../../../connectors/sdk/data/struct.js';
import { DataError } from '../../../connectors/sdk/errors.js';
import { ByteArrayFormat, byteArraySeparator } from '../../../connectors/s3/formats/bytearray-format.js';
import { createFormat } from '../../../connectors/s3/formats/format-factory.js';
import { JsonFormat } from '../../../connectors/s3/formats/json-format.js';
import { TerminatedBytes, type EncodedLine } from '../../../connectors/s3/formats/record-format.js';
import { s3SinkSpec } from '../../../connectors/s3/sink/s3-sink-config.js';

const bytesOf = (b: EncodedLine | unknown) => (b instanceof TerminatedBytes ? b.joined() : b);
const text = (b: EncodedLine | unknown) => (typeof b === 'string' ? b : (bytesOf(b) as Buffer).toString('utf8'));

describe('JsonFormat', () => {
  const json = new JsonFormat();

  it('writes one JSON document per line as JsonConverter with schemas.enable=false does', () => {
    const schema = SchemaBuilder.struct().field('id', Schema.INT64_SCHEMA).field('tags', SchemaBuilder.array(Schema.STRING_SCHEMA).build())
      .field('raw', Schema.BYTES_SCHEMA).build();
    const struct = new Struct(schema).put('id', 9007199254740993n).put('tags', ['a', 'b"c']).put('raw', Buffer.from([1, 2, 255]));
    expect(text(json.encode(struct, schema))).toBe('{"id":9007199254740993,"tags":["a","b\\"c"],"raw":"AQL/"}\n');
    expect(text(json.encode(new Map<unknown, unknown>([[1, 'one']]), null))).toBe('[[1,"one"]]\n');
    expect(text(json.encode('line\nbreak', null))).toBe('"line\\nbreak"\n');
    expect(text(json.encode(Number.NaN, null))).toBe('"NaN"\n');
    expect(text(json.encode(null, null))).toBe('null\n');
  });

  it('writes strings and member names exactly as JSON.stringify does', () => {
    const strings = ['', 'plain', 'x'.repeat(2000), 'q"', 'b\\', 'c\u0000\u001f\t\n', '\u007f\u0085\u2028\u2029é€😀', 'lone \ud800 and \udfff', '\udfff\ud800'];
    for (const s of strings) {
      expect(text(json.encode(s, null)), s).toBe(`${JSON.stringify(s)}\n`);
      expect(text(json.encode(new Map([[s, s]]), null)), s).toBe(`{${JSON.stringify(s)}:${JSON.stringify(s)}}\n`);
      expect(text(json.encode({ [s]: [s] }, null)), s).toBe(`{${JSON.stringify(s)}:[${JSON.stringify(s)}]}\n`);
    }
  });

  it('writes Decimals as numbers and Timestamps, Dates and Times as Kafka\'s integers', () => {
    expect(text(json.encode(Decimal.parse('12.50'), null))).toBe('12.50\n');
    const at = new Date(Date.UTC(2024, 0, 2, 3, 4, 5));
    expect(text(json.encode(at, new Schema({ type: 'INT64', name: 'org.apache.kafka.connect.data.Timestamp' })))).toBe(`${at.getTime()}\n`);
    expect(text(json.encode(at, new Schema({ type: 'INT32', name: 'org.apache.kafka.connect.data.Date' })))).toBe('19724\n');
    expect(text(json.encode(at, new Schema({ type: 'INT32', name: 'org.apache.kafka.connect.data.Time' })))).toBe(`${(3 * 3600 + 4 * 60 + 5) * 1000}\n`);
  });

  it('reads files back into schemaless values (objects as Maps), skipping a missing last newline', () => {
    expect(json.decode(Buffer.from('{"a":{"b":1}}\n"s"\nnull\n[1,2]'))).toEqual([new Map([['a', new Map([['b', 1]])]]), 's', null, [1, 2]]);
    expect(() => json.decode(Buffer.from('{oops\n'))).toThrow(DataError);
    expect(() => json.decodeLazily(Buffer.from('{"a":1}\n{oops\n'))).toThrow('Line 2 is not JSON');
  });

  it('reads a file the same from the chunks it was downloaded in, wherever they split it', () => {
    const file = Buffer.from('{"a":"é","n":1.5}\n\n{"b": [1, "x"]}\n"s"\n{"c":{}}');
    const whole = json.decode(file);
    for (let size = 1; size <= file.length; size++) {
      const chunks = Array.from({ length: Math.ceil(file.length / size) }, (_, i) => file.subarray(i * size, (i + 1) * size));
      expect(json.decode(chunks), `chunks of ${size}`).toEqual(whole);
      const lazy = json.decodeLazily(chunks);
      expect(Array.from({ length: lazy.length }, (_, i) => lazy.value(i)), `chunks of ${size}, built when asked for`).toEqual(whole);
      expect(new ByteArrayFormat('.bin', Buffer.from('\n')).decode(chunks).map(text), `chunks of ${size}`).toEqual(file.toString('utf8').split('\n'));
    }
  });
});

describe('ByteArrayFormat', () => {
  it('writes raw bytes followed by the separator, with Java escapes in format.bytearray.separator', () => {
    expect(byteArraySeparator(null)).toEqual(Buffer.from('\n'));
    expect(byteArraySeparator('\\r\\n')).toEqual(Buffer.from('\r\n'));
    expect(byteArraySeparator('\\u0000|')).toEqual(Buffer.from('\u0000|'));
    const format = new ByteArrayFormat('.bin', Buffer.from('||'));
    expect(bytesOf(format.encode(Buffer.from([0, 1, 2]), null))).toEqual(Buffer.from([0, 1, 2, 124, 124]));
    expect(() => format.encode(new Map(), null)).toThrow(DataError);
  });

  it('splits files on the separator for the restore', () => {
    const format = new ByteArrayFormat('.bin', Buffer.from('||'));
    expect(format.decode(Buffer.from('a||||b||')).map(text)).toEqual(['a', '', 'b']);
  });

  it('is chosen by Confluent\'s class name and keeps its configured extension', () => {
    const format = createFormat('io.confluent.connect.s3.format.bytearray.ByteArrayFormat', { byteArrayExtension: '.dat', byteArraySeparator: null });
    expect(format.extension).toBe('.dat');
    expect(createFormat('JsonFormat', { byteArrayExtension: '.bin', byteArraySeparator: null }).extension).toBe('.json');
  });
});

describe('sink config', () => {
  it('has Confluent\'s defaults', () => {
    const config = s3SinkSpec.parse({ 's3.bucket.name': 'bucket', 'format.class': 'JsonFormat', 'flush.size': '10' });
    expect(config).toMatchObject({
      s3Region: 'us-west-2', topicsDir: 'topics', directoryDelim: '/', fileDelim: '+', s3PartSize: 26214400, s3PartRetries: 3,
      s3RetryBackoffMs: 200, rotateIntervalMs: -1, rotateScheduleIntervalMs: -1, s3CompressionType: 'none',
      partitionerClass: 'io.confluent.connect.storage.partitioner.DefaultPartitioner', timestampExtractor: 'Wallclock',
      timestampField: 'timestamp', behaviorOnNullValues: 'fail', storeKafkaKeys: false, storeKafkaHeaders: false,
      s3PathStyleAccessEnabled: true, filenameOffsetZeroPadWidth: 10,
    });
    expect(String(config.awsSecretAccessKey)).toBe('[hidden]');
  });

  it('names every key a partitioner or extractor needs but lacks', () => {
    const issues = s3SinkSpec.validate({
      's3.bucket.name': 'bucket', 'format.class': 'JsonFormat', 'flush.size': '10', 'partitioner.class': 'FieldPartitioner',
      'timestamp.extractor': 'RecordField', 'timestamp.field': '', 'rotate.schedule.interval.ms': '1000',
    }).issues.map((i) => i.name);
    expect(issues.sort()).toEqual(['partition.field.name', 'timestamp.field', 'timezone']);
  });
});
