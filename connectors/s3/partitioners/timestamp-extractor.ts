/**
 * Record time for time-based partitioning and rotate.interval.ms (Confluent's
 * TimestampExtractor): the Kafka record timestamp, a value field, or the wall clock.
 * A record without a usable time is a DataError, which error tolerance handles.
 */
import type { SinkRecord } from '../../sdk/connect-record.js';
import { DataError } from '../../sdk/errors.js';
import type { ExtractorKind } from '../storage/class-names.js';
import { fieldAt } from './field-path.js';

export type TimestampExtractor = (record: SinkRecord) => number;

export function timestampExtractor(kind: ExtractorKind, field: string, clock: () => number = Date.now): TimestampExtractor {
  switch (kind) {
    case 'wallclock':
      return () => clock();
    case 'record':
      return (record) => {
        if (record.timestamp === null) throw new DataError(`Record ${describe(record)} has no timestamp for the Record timestamp extractor`);
        return record.timestamp;
      };
    case 'recordfield':
      return (record) => fieldTimestamp(record, field);
  }
}

function fieldTimestamp(record: SinkRecord, field: string): number {
  const lookup = fieldAt(record.value, field);
  if (!lookup.found || lookup.value === null || lookup.value === undefined) {
    throw new DataError(`Record ${describe(record)} has no value field ${field} for the RecordField timestamp extractor`, { path: field });
  }
  const value = lookup.value;
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string') {
    const parsed = Date.parse(value);
    if (!Number.isNaN(parsed)) return parsed;
  }
  throw new DataError(`Field ${field} of record ${describe(record)} is neither epoch milliseconds, a Timestamp nor an ISO-8601 string`, { path: field });
}

export function describe(record: SinkRecord): string {
  return `${record.topic}-${record.kafkaPartition}@${record.kafkaOffset}`;
}
