/**
 * The resolved settings one partition log runs with: numbers and flags derived from the
 * topic's configs and the broker's defaults (broker/topics/topic-configs.ts does that
 * mapping). "Never" is Infinity (Kafka's Long.MAX_VALUE), "unlimited" is -1 where Kafka
 * uses -1.
 */
export interface LogConfig {
  /** segment.bytes: roll when the next append would exceed this size. */
  segmentBytes: number;
  /** segment.ms (+ a random share of segment.jitter.ms): roll when the segment is this old. */
  segmentMs: number;
  segmentJitterMs: number;
  /** segment.index.bytes: roll when an index would exceed this size. */
  segmentIndexBytes: number;
  /** index.interval.bytes: bytes appended between two offset-index entries. */
  indexIntervalBytes: number;
  /** retention.ms; -1 keeps forever. */
  retentionMs: number;
  /** retention.bytes; -1 is unlimited. */
  retentionBytes: number;
  /** cleanup.policy contains delete. */
  cleanupDelete: boolean;
  /** cleanup.policy contains compact. */
  cleanupCompact: boolean;
  deleteRetentionMs: number;
  minCleanableDirtyRatio: number;
  minCompactionLagMs: number;
  maxCompactionLagMs: number;
  /** flush.messages: fsync once this many records are unflushed. Infinity = never by count. */
  flushMessages: number;
  /** flush.ms: fsync data older than this. Infinity = never by time. */
  flushMs: number;
  /** message.timestamp.type = LogAppendTime. */
  logAppendTime: boolean;
  /** max.message.bytes */
  maxMessageBytes: number;
  /** message.timestamp.before.max.ms: oldest CreateTime accepted, relative to now. Infinity = any. */
  timestampBeforeMaxMs: number;
  /** message.timestamp.after.max.ms: newest CreateTime accepted, relative to now. Infinity = any. */
  timestampAfterMaxMs: number;
  /** producer.id.expiration.ms (a broker setting). */
  producerIdExpirationMs: number;
}

export const DEFAULT_LOG_CONFIG: LogConfig = {
  segmentBytes: 1073741824,
  segmentMs: 604800000,
  segmentJitterMs: 0,
  segmentIndexBytes: 10485760,
  indexIntervalBytes: 4096,
  retentionMs: 604800000,
  retentionBytes: -1,
  cleanupDelete: true,
  cleanupCompact: false,
  deleteRetentionMs: 86400000,
  minCleanableDirtyRatio: 0.5,
  minCompactionLagMs: 0,
  maxCompactionLagMs: Infinity,
  flushMessages: Infinity,
  flushMs: 1000,
  logAppendTime: false,
  maxMessageBytes: 1048588,
  timestampBeforeMaxMs: Infinity,
  timestampAfterMaxMs: Infinity,
  producerIdExpirationMs: 86400000,
};
