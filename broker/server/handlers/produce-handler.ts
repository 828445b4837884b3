/**
 * Produce (broker notes §3.6). Each partition's batch is validated (size, CRC, record
 * structure, keys on compacted topics, codec vs version) before it is appended; the log
 * assigns offsets and answers duplicates of idempotent batches with their original offsets.
 * When a partition's flush policy asks for it, the ack waits for the fsync.
 *
 * Transactions (exactly-once reference §2.8): transactional batches need the request's
 * transactional id (else the whole request is TRANSACTIONAL_ID_AUTHORIZATION_FAILED) and one
 * producer id (else INVALID_PRODUCER_ID_MAPPING). The first transactional batch of a producer
 * on a partition (no open transaction of that producer there) is verified in-process with the transaction coordinator: the partition must be in the
 * producer's Ongoing transaction, else INVALID_TXN_STATE ("not added"), INVALID_PRODUCER_EPOCH
 * (fenced), INVALID_PRODUCER_ID_MAPPING, or the retriable NOT_ENOUGH_REPLICAS while the
 * transaction is being completed. A non-transactional batch from a producer with an open
 * transaction on the partition is INVALID_TXN_STATE. Verification and append run in one
 * synchronous step, so no transition can slip between them.
 *
 * Nothing here keeps a view of the request's bytes: each batch is written to its log file
 * synchronously, so the handler declares them transient and the connection reuses the buffer.
 */
import { Produce } from '../../protocol/apis/produce.js';
import { BATCH_LOG_OVERHEAD, BATCH, BatchHeader, CompressionCodec } from '../../protocol/batch-header.js';
import { TRANSACTION_ABORTABLE } from '../../transactions/transaction-coordinator.js';
import type { PartitionLog } from '../../log/partition-log.js';
import { validateBatch } from '../../protocol/record-batch.js';
import { ERR } from '../../protocol/error-codes.js';
import { handler, NO_RESPONSE, type ApiHandler } from '../api-handler.js';
import type { BrokerContext } from '../broker-context.js';

interface PartitionResult {
  index: number;
  errorCode: number;
  baseOffset: number;
  logAppendTimeMs: number;
  logStartOffset: number;
  errorMessage: string | null;
  recordErrors: { batchIndex: number; batchIndexErrorMessage: string | null }[];
}

export function produceHandler(ctx: BrokerContext): ApiHandler {
  return handler(Produce, async (req, { header }) => {
    const version = header.apiVersion;
    if (req.acks !== 0 && req.acks !== 1 && req.acks !== -1) {
      return {
        responses: req.topicData.map((t) => ({
          name: t.name,
          partitionResponses: t.partitionData.map((p) => failed(p.index, ERR.INVALID_REQUIRED_ACKS, 'acks must be -1, 0 or 1')),
        })),
      };
    }
    const txnProducers = new Set<number>();
    for (const t of req.topicData) {
      for (const p of t.partitionData) if (isTransactional(p.records)) txnProducers.add(new BatchHeader(p.records!).producerId);
    }
    const refuseAll = (code: number, message: string) => ({
      responses: req.topicData.map((t) => ({ name: t.name, partitionResponses: t.partitionData.map((p) => failed(p.index, code, message)) })),
    });
    if (txnProducers.size > 0 && req.transactionalId === null) {
      return refuseAll(ERR.TRANSACTIONAL_ID_AUTHORIZATION_FAILED, 'transactional batches need a transactional id');
    }
    if (txnProducers.size > 1) return refuseAll(ERR.INVALID_PRODUCER_ID_MAPPING, 'transactional batches of more than one producer id');
    const flushes: Promise<void>[] = [];
    const now = ctx.now();
    const responses = req.topicData.map((topic) => {
      const info = ctx.topics.topic(topic.name);
      return {
        name: topic.name,
        partitionResponses: topic.partitionData.map((p): PartitionResult => {
          if (!info) return failed(p.index, ERR.UNKNOWN_TOPIC_OR_PARTITION, `unknown topic ${topic.name}`);
          if (info.internal) return failed(p.index, ERR.INVALID_TOPIC_EXCEPTION, `${topic.name} is an internal topic`);
          const log = ctx.topics.partition(topic.name, p.index);
          if (!log) return failed(p.index, ERR.UNKNOWN_TOPIC_OR_PARTITION, `unknown partition ${topic.name}-${p.index}`);
          const records = p.records;
          if (!records || records.length < BATCH.RECORDS) return failed(p.index, ERR.INVALID_RECORD, 'no record batch');
          const size = records.readInt32BE(BATCH.LENGTH) + BATCH_LOG_OVERHEAD;
          if (size !== records.length) {
            return failed(p.index, ERR.INVALID_RECORD, 'Produce v3+ carries exactly one record batch per partition');
          }
          const config = log.config;
          if (size > config.maxMessageBytes) {
            return failed(p.index, ERR.MESSAGE_TOO_LARGE, `batch of ${size} bytes exceeds max.message.bytes ${config.maxMessageBytes}`);
          }
          const codec = records.readInt16BE(BATCH.ATTRIBUTES) & 0x07;
          if (codec === CompressionCodec.Zstd && version < 7) {
            return failed(p.index, ERR.UNSUPPORTED_COMPRESSION_TYPE, 'zstd needs Produce v7 or later');
          }
          const problem = validateBatch(records, 0, size, {
            checkRecords: codec === CompressionCodec.None || config.cleanupCompact,
            requireKeys: config.cleanupCompact,
            origin: 'client',
          });
          if (problem) {
            const result = failed(p.index, problem.code, problem.message);
            if (problem.recordIndex !== undefined) result.recordErrors = [{ batchIndex: problem.recordIndex, batchIndexErrorMessage: problem.message }];
            return result;
          }
          const txnProblem = checkTransaction(ctx, req.transactionalId, topic.name, p.index, log, new BatchHeader(records));
          if (txnProblem) return failed(p.index, txnProblem.code, txnProblem.message);
          const appended = log.append(records, { now, logAppendTime: config.logAppendTime });
          if (!appended.ok) return failed(p.index, appended.errorCode, appended.message);
          if (log.needsFlushBeforeAck()) flushes.push(log.flush());
          return {
            index: p.index,
            errorCode: 0,
            baseOffset: appended.baseOffset,
            logAppendTimeMs: appended.logAppendTimeMs,
            logStartOffset: appended.logStartOffset,
            errorMessage: null,
            recordErrors: [],
          };
        }),
      };
    });
    if (req.acks === 0) return NO_RESPONSE;
    if (flushes.length > 0) await Promise.all(flushes);
    return { responses, throttleTimeMs: 0 };
  }, { requestBytesTransient: true });
}

function isTransactional(records: Buffer | null): boolean {
  return records !== null && records.length >= BATCH.RECORDS && new BatchHeader(records).isTransactional;
}

function checkTransaction(
  ctx: BrokerContext, transactionalId: string | null, topic: string, partition: number, log: PartitionLog, h: BatchHeader,
): { code: number; message: string } | null {
  const pid = h.producerId;
  if (pid < 0) return null;
  const open = (log.producers.entry(pid)?.currentTxnFirstOffset ?? -1) >= 0;
  if (!h.isTransactional) {
    return open ? { code: ERR.INVALID_TXN_STATE, message: `producer ${pid} has an open transaction on this partition` } : null;
  }
  if (open || transactionalId === null) return null;
  switch (ctx.transactions.verify(transactionalId, pid, h.producerEpoch, topic, partition)) {
    case ERR.NONE:
      return null;
    case TRANSACTION_ABORTABLE:
      return { code: ERR.INVALID_TXN_STATE, message: 'Partition was not added to the transaction' };
    case ERR.PRODUCER_FENCED:
      return { code: ERR.INVALID_PRODUCER_EPOCH, message: `producer ${pid} epoch ${h.producerEpoch} is fenced` };
    case ERR.INVALID_PRODUCER_ID_MAPPING:
      return { code: ERR.INVALID_PRODUCER_ID_MAPPING, message: `producer ${pid} does not belong to ${transactionalId}` };
    default:
      return { code: ERR.NOT_ENOUGH_REPLICAS, message: 'the transaction is being completed' };
  }
}

function failed(index: number, errorCode: number, message: string): PartitionResult {
  return { index, errorCode, baseOffset: -1, logAppendTimeMs: -1, logStartOffset: -1, errorMessage: message, recordErrors: [] };
}
