/**
 * Data streams: https://www.elastic.co/guide/en/elasticsearch/reference/current/data-streams.html
 * A data stream needs a matching index template with `data_stream: {}`; writes go to its newest
 * backing index, named `.ds-<data-stream>-<yyyy.MM.dd>-<generation 000001>`; only `create` writes are
 * allowed (https://www.elastic.co/guide/en/elasticsearch/reference/current/use-a-data-stream.html#add-documents-to-a-data-stream),
 * and every document needs a `@timestamp` field mapped as `date` or `date_nanos`.
 */
import { EsError, illegalArgument } from './errors.js';
import type { EsIndex } from './index-store.js';

export class DataStream {
  readonly backingIndices: EsIndex[] = [];
  readonly createdAt = Date.now();

  constructor(readonly name: string, readonly templateName: string) {}

  get writeIndex(): EsIndex {
    return this.backingIndices[this.backingIndices.length - 1];
  }

  get generation(): number {
    return this.backingIndices.length;
  }

  /** Name of the backing index of `generation`, dated today (UTC). */
  backingIndexName(generation: number, now = new Date()): string {
    const date = `${now.getUTCFullYear()}.${String(now.getUTCMonth() + 1).padStart(2, '0')}.${String(now.getUTCDate()).padStart(2, '0')}`;
    return `.ds-${this.name}-${date}-${String(generation).padStart(6, '0')}`;
  }

  /** `GET /_data_stream/<name>` entry. */
  describe(): Record<string, unknown> {
    return {
      name: this.name,
      timestamp_field: { name: '@timestamp' },
      indices: this.backingIndices.map((i) => ({ index_name: i.name, index_uuid: i.uuid })),
      generation: this.generation,
      status: 'GREEN',
      template: this.templateName,
      hidden: false,
      system: false,
      allow_custom_routing: false,
      replicated: false,
    };
  }
}

export function validateDataStreamName(name: string): void {
  if (name.startsWith('.ds-')) throw illegalArgument(`data_stream [${name}] must not start with '.ds-'`);
}

/** The only write a data stream takes is `create` (op_type=create). */
export function requireCreateOp(): EsError {
  return illegalArgument('only write ops with an op_type of create are allowed in data streams');
}

/** Checks the `@timestamp` field every data stream document needs. */
export function checkTimestamp(source: unknown, errorType: string): void {
  const value = typeof source === 'object' && source !== null ? (source as Record<string, unknown>)['@timestamp'] : undefined;
  // DataStreamTimestampFieldMapper fails the parse with an IllegalArgumentException as the cause.
  const fail = (reason: string): EsError => new EsError(400, errorType, `failed to parse: ${reason}`, { caused_by: { type: 'illegal_argument_exception', reason } });
  if (value === undefined || value === null || (Array.isArray(value) && value.length === 0)) {
    throw fail('data stream timestamp field [@timestamp] is missing');
  }
  if (Array.isArray(value) && value.length > 1) throw fail('data stream timestamp field [@timestamp] encountered multiple values');
}
