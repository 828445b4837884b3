import { describe, expect, it } from 'vitest';
import { CompressionCodec } from '../../../../broker/protocol/batch-header.js';
import { ControlRecordType, encodeBatch, encodeControlBatch } from '../../../../broker/protocol/record-batch.js';
import { FetchedRecordCursor, readFetchedRecords } from '../../../../runtime/kafka/wire/fetched-records.js';
import type { ConsumedRecord } from '../../../../runtime/kafka/kafka-client.js';

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

  it('a cursor hands records out a few at a time across batches, from the fetch position, counting the bytes still unread', () => {
    const first = encodeBatch({ baseOffset: 0, records: [rec('a', '1'), rec('b', '2'), rec('c', '3')], compression: CompressionCodec.Lz4 });
    const second = encodeBatch({ baseOffset: 3, records: [rec('d', '4'), rec('e', '5')] });
    const partial = encodeBatch({ baseOffset: 5, records: [rec('f', '6')] }).subarray(0, 20);
    const cursor = new FetchedRecordCursor('t', 3, Buffer.concat([first, second, partial]), 1, { views: true });
    expect(cursor.nextOffset).toBe(5);
    expect(cursor.remainingBytes).toBe(first.length + second.length);
    const out: ConsumedRecord[] = [];
    expect(cursor.take(1, out)).toBe(1);
    expect(cursor.take(2, out)).toBe(2);
    expect(cursor.remainingBytes).toBe(second.length);
    expect(cursor.hasMore()).toBe(true);
    expect(cursor.take(10, out)).toBe(1);
    expect(cursor.hasMore()).toBe(false);
    expect(cursor.remainingBytes).toBe(0);
    expect(out.map((r) => `${r.partition}:${r.offset}:${r.key}=${r.value}`)).toEqual(['3:1:b=2', '3:2:c=3', '3:3:d=4', '3:4:e=5']);
  });

  it('a cursor reports a record that does not decode when it is taken, after the ones before it', () => {
    const good = encodeBatch({ baseOffset: 0, records: [rec('a', '1')] });
    const bad = encodeBatch({ baseOffset: 1, records: [rec('b', '2')] });
    bad.writeInt32BE(5, bad.length - 14); // the record count no longer matches the records
    const cursor = new FetchedRecordCursor('t', 0, Buffer.concat([good, bad]), 0);
    const out: ConsumedRecord[] = [];
    expect(cursor.take(1, out)).toBe(1);
    expect(() => cursor.take(1, out)).toThrow();
    expect(out.map((r) => r.offset)).toEqual([0]);
  });
});
