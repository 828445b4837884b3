/**
 * Kafka's `__transaction_state` record formats (exactly-once reference §3): "version-prefixed"
 * keys and values, an int16 version followed by the schema body.
 *
 * Key v0: int16 0, transactional_id STRING.
 * Value v0 (classic): int16 0, producer_id int64, producer_epoch int16, transaction_timeout_ms
 * int32, transaction_status int8, transaction_partitions nullable ARRAY of {topic STRING,
 * partition_ids ARRAY int32} (null in Empty), last_update_timestamp_ms int64,
 * start_timestamp_ms int64.
 * Value v1 (flexible): the same fields in compact encodings plus tagged fields 0
 * previous_producer_id, 1 next_producer_id, 2 client_transaction_version.
 *
 * ferry writes key v0 and value v0 (what Kafka writes without the transaction.version
 * feature) and reads both value versions. A null value is a tombstone (the id expired).
 */
import { ProtocolError } from '../protocol/protocol-error.js';
import { Reader } from '../protocol/reader.js';
import { Writer } from '../protocol/writer.js';
import { skipTaggedFields } from '../groups/group-records.js';
import { TxnState, type TopicPartitions, type TxnSnapshot } from './transaction-state.js';

export const TXN_KEY_VERSION = 0;
export const TXN_VALUE_VERSION = 0;

export type TxnLogRecord =
  | { type: 'txn'; transactionalId: string; value: TxnSnapshot | null }
  | { type: 'unknown'; keyVersion: number };

export function encodeTxnKey(transactionalId: string): Buffer {
  return new Writer(8 + transactionalId.length * 3).int16(TXN_KEY_VERSION).string(transactionalId).toBuffer();
}

export function encodeTxnValue(s: TxnSnapshot): Buffer {
  const w = new Writer(64)
    .int16(TXN_VALUE_VERSION)
    .int64(s.producerId)
    .int16(s.producerEpoch)
    .int32(s.txnTimeoutMs)
    .int8(s.state);
  if (s.state === TxnState.Empty) {
    if (s.partitions.length > 0) throw new Error('an Empty transaction has no partitions');
    w.arrayLength(null, false);
  } else {
    w.arrayLength(s.partitions.length, false);
    for (const tp of s.partitions) {
      w.string(tp.topic).arrayLength(tp.partitions.length, false);
      for (const p of tp.partitions) w.int32(p);
    }
  }
  return w.int64(s.txnLastUpdateTimestamp).int64(s.txnStartTimestamp).toBuffer();
}

/**
 * Decodes one record. Unknown key versions come back as 'unknown' (skipped by the loader, as
 * Kafka does); an unknown value version or malformed bytes throw ProtocolError.
 */
export function decodeTxnRecord(key: Buffer, value: Buffer | null): TxnLogRecord {
  const r = new Reader(key);
  const keyVersion = r.int16();
  if (keyVersion !== 0) return { type: 'unknown', keyVersion };
  const transactionalId = r.string();
  return { type: 'txn', transactionalId, value: value === null ? null : decodeTxnValue(value) };
}

export function decodeTxnValue(buf: Buffer): TxnSnapshot {
  const r = new Reader(buf);
  const version = r.int16();
  if (version !== 0 && version !== 1) throw new ProtocolError(`unknown TransactionLogValue version ${version}`);
  const flexible = version === 1;
  const producerId = r.int64();
  const producerEpoch = r.int16();
  const txnTimeoutMs = r.int32();
  const state = r.int8();
  if (state < TxnState.Empty || state > TxnState.PrepareEpochFence) throw new ProtocolError(`unknown transaction state ${state}`);
  const count = r.arrayLength(flexible);
  const partitions: TopicPartitions[] = [];
  for (let i = 0; i < count; i++) {
    const topic = flexible ? r.compactString() : r.string();
    const n = r.arrayLength(flexible);
    const ids: number[] = [];
    for (let j = 0; j < n; j++) ids.push(r.int32());
    if (flexible) skipTaggedFields(r);
    partitions.push({ topic, partitions: ids });
  }
  const txnLastUpdateTimestamp = r.int64();
  const txnStartTimestamp = r.int64();
  let previousProducerId = -1;
  let nextProducerId = -1;
  if (flexible) {
    const tags = r.uvarint();
    for (let i = 0; i < tags; i++) {
      const tag = r.uvarint();
      const size = r.uvarint();
      const field = new Reader(r.raw(size));
      if (tag === 0) previousProducerId = field.int64();
      else if (tag === 1) nextProducerId = field.int64();
    }
  }
  return {
    producerId, previousProducerId, nextProducerId, producerEpoch, txnTimeoutMs, state: state as TxnState,
    partitions, txnLastUpdateTimestamp, txnStartTimestamp,
  };
}
