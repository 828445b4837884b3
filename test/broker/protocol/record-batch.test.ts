import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { BATCH, BatchHeader, CompressionCodec } from '../../../broker/protocol/batch-header.js';
import type { RecordInput } from '../../../broker/protocol/record.js';
import {
  assignOffsets, batchesIn, ControlRecordType, controlRecordType, decodeBatch, encodeBatch, encodeControlBatch,
  setLogAppendTime, validateBatch, type ValidateBatchOptions, writeBatchCrc,
} from '../../../broker/protocol/record-batch.js';

const ALL_CODECS = [
  CompressionCodec.None, CompressionCodec.Gzip, CompressionCodec.Snappy, CompressionCodec.Lz4, CompressionCodec.Zstd,
];
const CLIENT = { checkRecords: true };
const T0 = 1_700_000_000_000;

function mixedRecords(n: number): RecordInput[] {
  const records: RecordInput[] = [];
  for (let i = 0; i < n; i++) {
    records.push({
      key: i % 7 === 3 ? null : Buffer.from(`key-${i}`),
      value: i % 11 === 5 ? null : Buffer.alloc((i * 37) % 300, i & 0xff),
      headers: i % 4 === 0 ? [{ key: 'h', value: Buffer.from(String(i)) }, { key: 'nil', value: null }] : [],
      timestamp: T0 + ((i * 7919) % 5000) - 2500,
    });
  }
  return records;
}

/** Records with hex strings for bytes: deep equality over Buffers is slow. */
function comparable(r: RecordInput & { offset?: number }) {
  const hex = (b: Buffer | null) => (b === null ? null : b.toString('hex'));
  return { ...r, key: hex(r.key), value: hex(r.value), headers: (r.headers ?? []).map((h) => [h.key, hex(h.value)]) };
}

function validOf(batch: Buffer, opts: ValidateBatchOptions = CLIENT) {
  return validateBatch(batch, 0, batch.length, opts);
}

describe('encodeBatch', () => {
  it('produces the exact bytes the magic-2 layout prescribes for a small uncompressed batch', () => {
    const batch = encodeBatch({
      records: [
        { key: Buffer.from('k'), value: Buffer.from('v'), timestamp: 1000 },
        { key: null, value: Buffer.from('xy'), headers: [{ key: 'h', value: null }], timestamp: 1005 },
      ],
    });
    const record0 = '10' + '00' + '00' + '00' + '02' + '6b' + '02' + '76' + '00';
    const record1 = '16' + '00' + '0a' + '02' + '01' + '04' + '7879' + '02' + '02' + '68' + '01';
    const crcRange =
      '0000' + '00000001' + '00000000000003e8' + '00000000000003ed' + 'ffffffffffffffff' + 'ffff' + 'ffffffff' +
      '00000002' + record0 + record1;
    const crc = crc32cBitwise(Buffer.from(crcRange, 'hex')).toString(16).padStart(8, '0');
    const expected = '0000000000000000' + '00000046' + 'ffffffff' + '02' + crc + crcRange;
    expect(batch.toString('hex')).toBe(expected);
    expect(batch.length).toBe(82);
  });

  it('sets producer fields, flags and the base offset it is given', () => {
    const batch = encodeBatch({
      baseOffset: 42, partitionLeaderEpoch: 3, producerId: 9000, producerEpoch: 2, baseSequence: 17,
      transactional: true, records: mixedRecords(3), now: T0,
    });
    const h = new BatchHeader(batch);
    expect([h.baseOffset, h.partitionLeaderEpoch, h.producerId, h.producerEpoch, h.baseSequence]).toEqual([42, 3, 9000, 2, 17]);
    expect([h.isTransactional, h.isControl, h.hasLogAppendTime, h.lastOffsetDelta, h.recordsCount]).toEqual([true, false, false, 2, 3]);
    expect(h.size).toBe(batch.length);
    expect(validOf(batch)).toBeNull();
  });

  it('keeps compaction gaps: lastOffsetDelta follows the last given offset delta', () => {
    const batch = encodeBatch({ baseOffset: 100, records: mixedRecords(3), offsetDeltas: [0, 4, 9] });
    const { header, records } = decodeBatch(batch);
    expect(header.lastOffsetDelta).toBe(9);
    expect(header.nextOffset).toBe(110);
    expect(records.map((r) => r.offset)).toEqual([100, 104, 109]);
    expect(validOf(batch, { checkRecords: true, origin: 'log' })).toBeNull();
  });
});

describe('decodeBatch', () => {
  it.each(ALL_CODECS)('round-trips keys, tombstones, headers and timestamps with codec %i', (codec) => {
    const input = mixedRecords(500);
    const batch = encodeBatch({ baseOffset: 1_000_000, records: input, compression: codec, now: T0 });
    expect(new BatchHeader(batch).compression).toBe(codec);
    expect(validOf(batch)).toBeNull();
    const { header, records } = decodeBatch(batch);
    expect(header.recordsCount).toBe(500);
    expect(header.maxTimestamp).toBe(Math.max(...input.map((r) => r.timestamp!)));
    expect(records.map(comparable)).toEqual(input.map((r, i) => comparable({ ...r, offset: 1_000_000 + i })));
  });

  it('compresses repetitive record data to a fraction of its plain size', () => {
    const records = Array.from({ length: 200 }, (_, i) => ({ key: Buffer.from(`k${i}`), value: Buffer.alloc(500, 'a') }));
    const plain = encodeBatch({ records }).length;
    for (const codec of ALL_CODECS.slice(1)) {
      expect(encodeBatch({ records, compression: codec }).length).toBeLessThan(plain / 5);
    }
  });

  it('decodes a batch that sits in the middle of a larger buffer', () => {
    const first = encodeBatch({ records: mixedRecords(2) });
    const second = encodeBatch({ baseOffset: 2, records: [{ key: Buffer.from('b'), value: Buffer.from('second') }] });
    const { records } = decodeBatch(Buffer.concat([first, second]), first.length);
    expect(records.map((r) => [r.offset, r.value?.toString()])).toEqual([[2, 'second']]);
  });

  it('fills in the batch time for records without a timestamp', () => {
    const { records } = decodeBatch(encodeBatch({ records: [{ key: null, value: null }], now: T0 }));
    expect(records[0]).toEqual({ offset: 0, timestamp: T0, key: null, value: null, headers: [] });
  });
});

describe('batchesIn', () => {
  const a = encodeBatch({ records: mixedRecords(3) });
  const b = encodeBatch({ baseOffset: 3, records: mixedRecords(1), compression: CompressionCodec.Gzip });
  const c = encodeBatch({ baseOffset: 4, records: mixedRecords(2) });

  it('walks batches laid back to back', () => {
    const all = Buffer.concat([a, b, c]);
    expect([...batchesIn(all)]).toEqual([
      { at: 0, size: a.length }, { at: a.length, size: b.length }, { at: a.length + b.length, size: c.length },
    ]);
    expect([...batchesIn(all, a.length)].map((x) => x.at)).toEqual([a.length, a.length + b.length]);
  });

  it('stops quietly before a truncated tail batch', () => {
    const all = Buffer.concat([a, b, c]);
    for (const cut of [1, 11, 12, c.length - 1]) {
      expect([...batchesIn(all.subarray(0, all.length - cut))].map((x) => x.at)).toEqual([0, a.length]);
    }
    expect([...batchesIn(Buffer.alloc(0))]).toEqual([]);
  });
});

describe('validateBatch', () => {
  it('accepts a freshly encoded batch of every codec, decompressing to check records', () => {
    for (const codec of ALL_CODECS) {
      const batch = encodeBatch({ records: mixedRecords(50), compression: codec, producerId: 5, producerEpoch: 0, baseSequence: 0 });
      expect(validOf(batch)).toBeNull();
      expect(validOf(batch, { checkRecords: false })).toBeNull();
    }
  });

  it('reports a flipped byte anywhere in the CRC range as CORRUPT_MESSAGE', () => {
    const batch = encodeBatch({ records: mixedRecords(5) });
    for (const pos of [BATCH.ATTRIBUTES + 1, BATCH.PRODUCER_ID + 3, batch.length - 1]) {
      const copy = Buffer.from(batch);
      copy[pos] = copy[pos]! ^ 0x10;
      expect(validOf(copy, { checkRecords: false })).toMatchObject({ code: 2, message: expect.stringContaining('CRC') });
    }
  });

  it('reports a batchLength that disagrees with the bytes present as CORRUPT_MESSAGE', () => {
    const batch = encodeBatch({ records: mixedRecords(2) });
    expect(validateBatch(batch, 0, batch.length - 1, CLIENT)?.code).toBe(2);
    expect(validateBatch(batch, 0, batch.length + 1, CLIENT)?.code).toBe(2);
  });

  it('reports another magic as INVALID_RECORD', () => {
    const batch = encodeBatch({ records: mixedRecords(2) });
    batch[BATCH.MAGIC] = 1;
    expect(validOf(batch)?.code).toBe(87);
  });

  it('reports a lastOffsetDelta that does not match the record count', () => {
    const batch = encodeBatch({ records: mixedRecords(3), lastOffsetDelta: 5 });
    expect(validOf(batch, { checkRecords: false })).toMatchObject({ code: 87, message: expect.stringContaining('lastOffsetDelta 5') });
  });

  it('reports offset deltas that are not contiguous from zero, naming the record', () => {
    const batch = encodeBatch({ records: mixedRecords(3), offsetDeltas: [0, 2, 1], lastOffsetDelta: 2 });
    expect(validOf(batch, { checkRecords: false })).toBeNull();
    expect(validOf(batch)).toMatchObject({ code: 87, recordIndex: 1 });
  });

  it('reports a record length that does not match its fields', () => {
    const batch = encodeBatch({ records: [{ key: Buffer.from('abc'), value: Buffer.from('defgh') }, { key: null, value: null }] });
    batch[BATCH.RECORDS] = batch[BATCH.RECORDS]! - 2;
    writeBatchCrc(batch, 0);
    expect(validOf(batch)).toMatchObject({ code: 87, recordIndex: 0, message: expect.stringContaining('length') });
  });

  it('requires keys on request, also inside compressed batches', () => {
    const records = [{ key: Buffer.from('a'), value: null }, { key: null, value: Buffer.from('orphan') }];
    for (const codec of ALL_CODECS) {
      const batch = encodeBatch({ records, compression: codec });
      expect(validOf(batch)).toBeNull();
      expect(validOf(batch, { checkRecords: true, requireKeys: true })).toMatchObject({
        code: 87, recordIndex: 1, message: expect.stringContaining('null key'),
      });
    }
  });

  it('refuses control batches and sequence-less idempotent batches from clients', () => {
    const marker = encodeControlBatch({ type: ControlRecordType.Commit, producerId: 7, producerEpoch: 1, coordinatorEpoch: 0 });
    expect(validOf(marker)).toMatchObject({ code: 87, message: expect.stringContaining('control') });
    expect(validOf(marker, { checkRecords: true, origin: 'log' })).toBeNull();
    const idempotent = encodeBatch({ records: mixedRecords(1), producerId: 7, producerEpoch: 0, baseSequence: -1 });
    expect(validOf(idempotent)?.code).toBe(87);
  });

  it('reports codec ids 5 to 7 as UNSUPPORTED_COMPRESSION_TYPE', () => {
    const batch = encodeBatch({ records: mixedRecords(1) });
    batch.writeInt16BE(6, BATCH.ATTRIBUTES);
    writeBatchCrc(batch, 0);
    expect(validOf(batch)?.code).toBe(76);
  });

  it('reports undecodable compressed records as CORRUPT_MESSAGE', () => {
    const batch = encodeBatch({ records: mixedRecords(10), compression: CompressionCodec.Zstd });
    batch.fill(0x55, BATCH.RECORDS + 6, BATCH.RECORDS + 20);
    writeBatchCrc(batch, 0);
    expect(validOf(batch)?.code).toBe(2);
  });

  it('checks CreateTime timestamps against an accepted range', () => {
    const batch = encodeBatch({ records: [{ key: null, value: null, timestamp: T0 }, { key: null, value: null, timestamp: T0 + 10 }] });
    expect(validOf(batch, { checkRecords: true, timestampRange: { min: T0, max: T0 + 10 } })).toBeNull();
    expect(validOf(batch, { checkRecords: true, timestampRange: { min: T0, max: T0 + 9 } })).toMatchObject({ code: 32, recordIndex: 1 });
  });
});

describe('patching batches in place', () => {
  it('assigns offsets and leader epoch without invalidating the CRC', () => {
    const batch = encodeBatch({ records: mixedRecords(4) });
    const crcBefore = batch.readUInt32BE(BATCH.CRC);
    assignOffsets(batch, 0, 2 ** 40, 12);
    expect(batch.readUInt32BE(BATCH.CRC)).toBe(crcBefore);
    expect(validOf(batch)).toBeNull();
    const { header, records } = decodeBatch(batch);
    expect(header.partitionLeaderEpoch).toBe(12);
    expect(records.map((r) => r.offset)).toEqual([2 ** 40, 2 ** 40 + 1, 2 ** 40 + 2, 2 ** 40 + 3]);
  });

  it('stamps LogAppendTime, keeps the batch valid and reports the append time for every record', () => {
    const batches = [encodeBatch({ records: mixedRecords(3) }), encodeBatch({ records: mixedRecords(3), compression: CompressionCodec.Lz4 })];
    const log = Buffer.concat(batches);
    const appendTime = T0 + 99_999;
    const second = batches[0]!.length;
    setLogAppendTime(log, second, appendTime);
    expect(validateBatch(log, second, batches[1]!.length, CLIENT)).toBeNull();
    expect(validateBatch(log, 0, second, CLIENT)).toBeNull();
    const { header, records } = decodeBatch(log, second);
    expect(header.hasLogAppendTime).toBe(true);
    expect(header.maxTimestamp).toBe(appendTime);
    expect(records.map((r) => r.timestamp)).toEqual([appendTime, appendTime, appendTime]);
    expect(decodeBatch(log).header.hasLogAppendTime).toBe(false);
  });

  it('encodes log-append batches with maxTimestamp set to the batch time', () => {
    const batch = encodeBatch({ records: mixedRecords(2), timestampType: 'log-append', now: T0 });
    expect(new BatchHeader(batch).maxTimestamp).toBe(T0);
    expect(decodeBatch(batch).records.map((r) => r.timestamp)).toEqual([T0, T0]);
  });
});

describe('control records', () => {
  it('encodes a commit marker that decodes back to its type and coordinator epoch', () => {
    const marker = encodeControlBatch({ type: ControlRecordType.Commit, producerId: 7, producerEpoch: 3, coordinatorEpoch: 5, baseOffset: 40 });
    const { header, records } = decodeBatch(marker);
    expect([header.isControl, header.isTransactional, header.producerId, header.producerEpoch, header.baseSequence]).toEqual([true, true, 7, 3, -1]);
    expect(records).toHaveLength(1);
    expect(controlRecordType(records[0]!)).toBe(ControlRecordType.Commit);
    expect(records[0]!.key?.toString('hex')).toBe('00000001');
    expect(records[0]!.value?.toString('hex')).toBe('0000' + '00000005');
  });

  it('reads abort markers and rejects keys too short to be control keys', () => {
    expect(controlRecordType({ key: Buffer.from('00000000', 'hex') })).toBe(ControlRecordType.Abort);
    expect(controlRecordType({ key: Buffer.from('0000', 'hex') })).toBeNull();
    expect(controlRecordType({ key: null })).toBeNull();
  });
});

describe('interoperability with kafkajs 2.2.4', () => {
  const require = createRequire(import.meta.url);
  const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0/index.js');
  const KafkajsRecord = require('kafkajs/src/protocol/recordBatch/record/v0/index.js');
  const decodeKafkajsBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder.js');
  const KafkajsDecoder = require('kafkajs/src/protocol/decoder.js');

  it.each([CompressionCodec.None, CompressionCodec.Gzip])('accepts and decodes a batch kafkajs produces with codec %i', async (codec) => {
    const records = [
      KafkajsRecord({ offsetDelta: 0, timestampDelta: 0, key: Buffer.from('a'), value: Buffer.from('one'), headers: { h: 'x' } }),
      KafkajsRecord({ offsetDelta: 1, timestampDelta: 5, key: null, value: Buffer.from('two') }),
    ];
    const batch: Buffer = (await RecordBatch({ compression: codec, records, lastOffsetDelta: 1, firstTimestamp: T0, maxTimestamp: T0 + 5 })).buffer;
    expect(validOf(batch)).toBeNull();
    expect(decodeBatch(batch).records.map(comparable)).toEqual([
      comparable({ offset: 0, timestamp: T0, key: Buffer.from('a'), value: Buffer.from('one'), headers: [{ key: 'h', value: Buffer.from('x') }] }),
      comparable({ offset: 1, timestamp: T0 + 5, key: null, value: Buffer.from('two'), headers: [] }),
    ]);
  });

  it.each([CompressionCodec.None, CompressionCodec.Gzip])('builds batches kafkajs consumers decode with codec %i', async (codec) => {
    const batch = encodeBatch({
      baseOffset: 5, compression: codec,
      records: [
        { key: Buffer.from('k'), value: Buffer.from('v'), headers: [{ key: 'h', value: Buffer.from('y') }], timestamp: T0 },
        { key: null, value: null, timestamp: T0 - 10 },
      ],
    });
    const decoded = await decodeKafkajsBatch(new KafkajsDecoder(batch));
    const seen = decoded.records.map((r: { offset: string; timestamp: string; key: Buffer | null; value: Buffer | null; headers: Record<string, Buffer> }) => ({
      offset: r.offset, timestamp: r.timestamp, key: r.key?.toString() ?? null, value: r.value?.toString() ?? null,
      headers: Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k, v.toString()])),
    }));
    expect(seen).toEqual([
      { offset: '5', timestamp: String(T0), key: 'k', value: 'v', headers: { h: 'y' } },
      { offset: '6', timestamp: String(T0 - 10), key: null, value: null, headers: {} },
    ]);
  });
});

function crc32cBitwise(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const b of bytes) {
    crc ^= b;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}
