/**
 * `__transaction_state` record bytes (exactly-once reference §3) and transaction marker bytes as
 * the broker stores them (§4.2), compared byte for byte with layouts written out by hand.
 */
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { TopicRegistry } from '../../../broker/topics/topic-registry.js';
import { encodeBatch } from '../../../broker/protocol/record-batch.js';
import { decodeTxnRecord, decodeTxnValue, encodeTxnKey, encodeTxnValue } from '../../../broker/transactions/transaction-log.js';
import { TxnState, type TxnSnapshot } from '../../../broker/transactions/transaction-state.js';
import { PartitionMarkerWriter } from '../../../broker/transactions/partition-marker-writer.js';
import { ProtocolError } from '../../../broker/protocol/protocol-error.js';
import { tempDir } from '../../helpers/temp-dir.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const T0 = 1_700_000_000_000; // 00 00 01 8b cf e5 68 00

const ONGOING: TxnSnapshot = {
  producerId: 1000,
  previousProducerId: -1,
  nextProducerId: -1,
  producerEpoch: 3,
  txnTimeoutMs: 60000,
  state: TxnState.Ongoing,
  partitions: [{ topic: 'a', partitions: [0, 2] }, { topic: 'b', partitions: [1] }],
  txnLastUpdateTimestamp: T0 + 500,
  txnStartTimestamp: T0,
};

describe('__transaction_state records', () => {
  it('writes key v0 as int16 version 0 and the transactional id as a STRING', () => {
    expect(encodeTxnKey('txn-1')).toEqual(hex('0000 0005 74786e2d31'));
  });

  it('writes value v0 field by field: pid, epoch, timeout, state, partitions, last update, start', () => {
    expect(encodeTxnValue(ONGOING)).toEqual(hex(`
      0000
      00000000000003e8
      0003
      0000ea60
      01
      00000002
        0001 61  00000002 00000000 00000002
        0001 62  00000001 00000001
      0000018bcfe569f4
      0000018bcfe56800`));
  });

  it('writes a null partition array for Empty and an empty one for Complete*', () => {
    const empty = encodeTxnValue({ ...ONGOING, state: TxnState.Empty, partitions: [], txnStartTimestamp: -1 });
    expect(empty.subarray(17, 21)).toEqual(hex('ffffffff'));
    expect(empty.length).toBe(2 + 8 + 2 + 4 + 1 + 4 + 8 + 8);
    const complete = encodeTxnValue({ ...ONGOING, state: TxnState.CompleteCommit, partitions: [] });
    expect(complete.subarray(16, 21)).toEqual(hex('04 00000000'));
    expect(() => encodeTxnValue({ ...ONGOING, state: TxnState.Empty })).toThrow(/no partitions/);
  });

  it('reads back what it writes, and tombstones as null', () => {
    expect(decodeTxnValue(encodeTxnValue(ONGOING))).toEqual(ONGOING);
    expect(decodeTxnRecord(encodeTxnKey('txn-1'), null)).toEqual({ type: 'txn', transactionalId: 'txn-1', value: null });
  });

  it('reads value v1 (flexible) with the previous/next producer id tagged fields', () => {
    const v1 = hex(`
      0001
      00000000000003e8
      0003
      0000ea60
      01
      03
        02 61  03 00000000 00000002  00
        02 62  02 00000001  00
      0000018bcfe569f4
      0000018bcfe56800
      03
        00 08 00000000000003e7
        01 08 00000000000003e9
        02 02 0001`);
    expect(decodeTxnValue(v1)).toEqual({ ...ONGOING, previousProducerId: 999, nextProducerId: 1001 });
  });

  it('skips unknown key versions and refuses unknown value versions', () => {
    expect(decodeTxnRecord(hex('0001 0001 61'), null)).toEqual({ type: 'unknown', keyVersion: 1 });
    const v2 = encodeTxnValue(ONGOING);
    v2.writeInt16BE(2, 0);
    expect(() => decodeTxnValue(v2)).toThrow(ProtocolError);
  });
});

describe('transaction markers as stored', () => {
  it('are the control batch of reference §4.2, byte for byte (COMMIT and ABORT)', async () => {
    const topics = await TopicRegistry.open({ dataDir: tempDir('ferry-markers-'), logger: pino({ level: 'silent' }), scheduler: false });
    try {
      topics.createTopic('t', { partitions: 2 });
      const groups = { completeTransaction: () => 0 };
      const writer = new PartitionMarkerWriter(topics, '__consumer_offsets', groups, () => T0);
      for (const p of [0, 1]) {
        const log = topics.partition('t', p)!;
        log.append(encodeBatch({ records: Array.from({ length: 42 }, () => ({ key: null, value: Buffer.from('x') })) }),
          { now: T0, logAppendTime: false });
      }
      expect(await writer.writeMarker('t', 0, 1000, 0, true, 0)).toBe(0);
      expect(await writer.writeMarker('t', 1, 1000, 0, false, 0)).toBe(0);
      const stored = (p: number) => {
        const read = topics.partition('t', p)!.read(42, 1 << 20, { minOneBatch: true });
        if ('error' in read) throw new Error(read.error);
        return read.records;
      };
      const commit = hex(`
        00 00 00 00 00 00 00 2a 00 00 00 42 00 00 00 00
        02 a1 ac 49 9f 00 30 00 00 00 00 00 00 01 8b cf
        e5 68 00 00 00 01 8b cf e5 68 00 00 00 00 00 00
        00 03 e8 00 00 ff ff ff ff 00 00 00 01 20 00 00
        00 08 00 00 00 01 0c 00 00 00 00 00 00 00`);
      expect(stored(0)).toEqual(commit);
      const abort = Buffer.from(commit);
      abort[69] = 0;
      hex('55929fd7').copy(abort, 17);
      expect(stored(1)).toEqual(abort);
      expect(await writer.writeMarker('missing', 0, 1000, 0, true, 0)).toBe(3);
    } finally {
      await topics.close();
    }
  });
});
