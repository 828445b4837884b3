/**
 * Document ids as Confluent's sink makes them: `<topic>+<partition>+<offset>` when keys are
 * ignored for the topic, otherwise the string form of the key, which must be an integer or a
 * string (with or without a key schema) and neither null nor empty.
 */
import type { SinkRecord } from '../sdk/connect-record.js';
import { DataError } from '../sdk/errors.js';

export function offsetId(record: SinkRecord): string {
  return `${record.topic}+${record.kafkaPartition}+${record.kafkaOffset}`;
}

export function keyId(record: SinkRecord): string {
  const key = record.key;
  if (key === null || key === undefined) throw new DataError('Key is used as document id and can not be null.');
  const schemaType = record.keySchema?.type ?? schemalessType(key);
  switch (schemaType) {
    case 'INT8':
    case 'INT16':
    case 'INT32':
    case 'INT64':
    case 'STRING': {
      const id = String(key);
      if (id === '') throw new DataError('Key is used as document id and can not be empty.');
      return id;
    }
    default:
      throw new DataError(`${schemaType} is not supported as the document id.`);
  }
}

function schemalessType(key: unknown): string {
  if (typeof key === 'string') return 'STRING';
  if (typeof key === 'bigint') return 'INT64';
  if (typeof key === 'number') return Number.isInteger(key) ? 'INT64' : 'FLOAT64';
  if (typeof key === 'boolean') return 'BOOLEAN';
  if (Buffer.isBuffer(key) || key instanceof Uint8Array) return 'BYTES';
  if (Array.isArray(key)) return 'ARRAY';
  if (key instanceof Map) return 'MAP';
  return 'STRUCT';
}
