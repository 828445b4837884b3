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

  it('with read_committed, drops the records of aborted transactions and keeps committed and plain ones', () => {
    const txn = (producerId: number, baseOffset: number, keys: string[]) => encodeBatch({
      baseOffset, records: keys.map((k) => rec(k, k)), producerId, producerEpoch: 0, baseSequence: 0, transactional: true,
    });
    const marker = (type: ControlRecordType, producerId: number, baseOffset: number) => encodeControlBatch({
      type, producerId, producerEpoch: 0, coordinatorEpoch: 0, baseOffset,
    });
    const data = Buffer.concat([
      txn(7, 0, ['a1', 'a2']), // producer 7's first transaction: aborted at 5
      txn(8, 2, ['b1']), // producer 8: committed at 6
      encodeBatch({ baseOffset: 3, records: [rec('plain', 'x')] }),
      txn(7, 4, ['a3']),
      marker(ControlRecordType.Abort, 7, 5),
      marker(ControlRecordType.Commit, 8, 6),
      txn(7, 7, ['a4']), // producer 7's next transaction: committed at 8
      marker(ControlRecordType.Commit, 7, 8),
    ]);
    const committed = readFetchedRecords('t', 0, data, 0, { aborted: [{ producerId: 7, firstOffset: 0 }] });
    expect(committed.records.map((r) => `${r.offset}:${r.key}`)).toEqual(['2:b1', '3:plain', '7:a4']);
    expect(committed.nextOffset).toBe(9);
    const everything = readFetchedRecords('t', 0, data, 0);
    expect(everything.records.map((r) => r.key!.toString())).toEqual(['a1', 'a2', 'b1', 'plain', 'a3', 'a4']);
  });
});
