/**
 * The record an operation was working on when it failed, as error reporters need it. A sink
 * task passes the record exactly as consumed (raw bytes, original headers and timestamp),
 * which is what goes to the dead letter queue; a source task passes the record its task
 * returned from poll(), which only the log reporter uses.
 */
import type { SourceRecord } from '../../../connectors/sdk/connect-record.js';
import type { ConsumedRecord } from '../../kafka/kafka-client.js';

export interface ConsumedRecordContext {
  readonly kind: 'consumed';
  readonly record: ConsumedRecord;
}

export interface SourceRecordContext {
  readonly kind: 'source';
  readonly record: SourceRecord;
}

export type RecordContext = ConsumedRecordContext | SourceRecordContext;

export function consumedRecordContext(record: ConsumedRecord): ConsumedRecordContext {
  return { kind: 'consumed', record };
}

export function sourceRecordContext(record: SourceRecord): SourceRecordContext {
  return { kind: 'source', record };
}
