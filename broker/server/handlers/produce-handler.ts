/**
 * Produce (broker notes §3.6). Each partition's batch is validated (size, CRC, record
 * structure, keys on compacted topics, codec vs version) before it is appended; the log
 * assigns offsets and answers duplicates of idempotent batches with their original offsets.
 * When a partition's flush policy asks for it, the ack waits for the fsync.
 */
import { Produce } from '../../protocol/apis/produce.js';
import { BATCH_LOG_OVERHEAD, BATCH, CompressionCodec } from '../../protocol/batch-header.js';
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
  });
}

function failed(index: number, errorCode: number, message: string): PartitionResult {
  return { index, errorCode, baseOffset: -1, logAppendTimeMs: -1, logStartOffset: -1, errorMessage: message, recordErrors: [] };
}
