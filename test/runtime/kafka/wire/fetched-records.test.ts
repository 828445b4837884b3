import { describe, expect, it } from 'vitest';
import { CompressionCodec } from '../../../../broker/protocol/batch-header.js';
import { ControlRecordType, encodeBatch, encodeControlBatch } from '../../../../broker/protocol/record-batch.js';
import { readFetchedRecords } from '../../../../runtime/kafka/wire/fetched-records.js';

const rec = (key: string, value: string | null) => ({ key: Buffer.from(key), value: value === null ? null : Buffer.from(value) });

describe('readFetchedRecords', () => {
  it('steps over offsets compaction removed, inside a batch and at its end', () => {
    const compacted = encodeBatch({ baseOffset: 10, records: [rec('a', '1'), rec('b', null)], offsetDeltas: [1, 3], lastOffsetDelta: 5 });
    const { records, nextOffset } = readFetchedRecords('t', 0, compacted, 10);
    expect(records.map((r) => `${r.offset}:${r.key}=${r.value}`)).toEqual(['11:a=1', '13:b=null']);
    expect(nextOffset).toBe(16);
  });

  it('skips records below the fetch position and never delivers control batches', () => {
    const data = Buffer.concat([
      encodeBatch({ baseOffset: 0, records: [rec('a', '1'), rec('b', '2'), rec('c', '3')], compression: CompressionCodec.Gzip }),
      encodeControlBatch({ type: ControlRecordType.Commit, producerId: 7, producerEpoch: 0, coordinatorEpoch: 0, baseOffset: 3 }),
      encodeBatch({ baseOffset: 4, records: [rec('d', '4')], timestampType: 'log-append', now: 1234 }),
    ]);
    const { records, nextOffset } = readFetchedRecords('t', 0, data, 1);
    expect(records.map((r) => `${r.offset}:${r.key}`)).toEqual(['1:b', '2:c', '4:d']);
    expect(records[2]).toMatchObject({ timestamp: 1234, timestampType: 'LogAppendTime' });
    expect(nextOffset).toBe(5);
  });

  it('leaves a partial batch at the end for the next fetch', () => {
    const whole = encodeBatch({ baseOffset: 0, records: [rec('a', '1')] });
    const next = encodeBatch({ baseOffset: 1, records: [rec('b', '2')] });
    const { records, nextOffset } = readFetchedRecords('t', 0, Buffer.concat([whole, next.subarray(0, next.length - 3)]), 0);
    expect(records).toHaveLength(1);
    expect(nextOffset).toBe(1);
  });

  it('copies keys and values out of the response frame', () => {
    const data = encodeBatch({ baseOffset: 0, records: [rec('key', 'value')] });
    const [record] = readFetchedRecords('t', 0, data, 0).records;
    data.fill(0);
    expect(record!.key!.toString()).toBe('key');
    expect(record!.value!.toString()).toBe('value');
  });
});
