/**
 * Records as connectors, transforms and converters see them (Kafka's ConnectRecord,
 * SourceRecord and SinkRecord). Records are immutable plain objects: a transform makes a
 * new record with `{ ...record, value: newValue }`, which keeps the subtype's own fields.
 */
import type { Schema } from './data/schema.js';

/** A Connect header: a key with a typed value (Kafka's Header). */
export interface ConnectHeader {
  readonly key: string;
  readonly schema: Schema | null;
  readonly value: unknown;
}

export interface ConnectRecord {
  readonly topic: string;
  /** null lets the producer's partitioner choose (source records only). */
  readonly kafkaPartition: number | null;
  readonly keySchema: Schema | null;
  readonly key: unknown;
  readonly valueSchema: Schema | null;
  readonly value: unknown;
  /** Epoch milliseconds; null leaves it to the producer. */
  readonly timestamp: number | null;
  readonly headers: readonly ConnectHeader[];
}

/** Primitive values only, as Kafka Connect requires for source partitions and offsets. */
export type OffsetValue = string | number | boolean | null;
export type SourcePartition = Readonly<Record<string, OffsetValue>>;
export type SourceOffset = Readonly<Record<string, OffsetValue>>;

export interface SourceRecord extends ConnectRecord {
  /** Where the record came from, e.g. `{ filename: '/var/log/app.log' }`. */
  readonly sourcePartition: SourcePartition;
  /** How far into that source this record is, e.g. `{ position: 1024 }`. */
  readonly sourceOffset: SourceOffset;
}

export type TimestampType = 'NoTimestampType' | 'CreateTime' | 'LogAppendTime';

export interface SinkRecord extends ConnectRecord {
  readonly kafkaPartition: number;
  readonly kafkaOffset: number;
  readonly timestampType: TimestampType;
  /** Topic, partition and offset as consumed, before any transform renamed or re-partitioned it. */
  readonly originalTopic: string;
  readonly originalKafkaPartition: number;
  readonly originalKafkaOffset: number;
}

/** A topic partition as sink tasks see their assignment. */
export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

/** The canonical string form used as a map key: `topic-partition`. */
export function topicPartitionKey(tp: TopicPartition): string {
  return `${tp.topic}-${tp.partition}`;
}
