/**
 * The datum avsc read → the Connect value of the schema avro-to-connect-schema.ts made for the
 * same Avro schema (AvroData.toConnectData): unions unwrap (`{branch: value}`), a non-null union of
 * several types becomes a Union STRUCT with the branch's field set, MapEntry arrays and Avro maps
 * become Maps, records become Structs, and logical types their Decimal/Date values. Bytes are
 * copied out of the record's buffer.
 */
import { DataError } from '../../errors.js';
import { DATE_LOGICAL_NAME, DECIMAL_LOGICAL_NAME, TIME_LOGICAL_NAME, TIMESTAMP_LOGICAL_NAME } from '../logical-names.js';
import { LogicalDate, LogicalDecimal, LogicalTime, LogicalTimestamp } from '../logical-types.js';
import type { Schema } from '../schema.js';
import { Struct } from '../struct.js';
import type { AvroDataSettings } from './avro-data-config.js';
import { KEY_FIELD, VALUE_FIELD } from './avro-names.js';
import { branchName, type AvroSchema } from './avro-schema.js';
import { isUnionStruct } from './connect-to-avro-schema.js';
import { unionFieldName } from './avro-to-connect-schema.js';

export function avroToConnectValue(schema: Schema, avro: AvroSchema, datum: unknown, settings: AvroDataSettings): unknown {
  if (datum === null || datum === undefined) return null;
  if (avro.type === 'union') {
    const [name, inner] = Object.entries(datum as Record<string, unknown>)[0] ?? [];
    const branch = avro.branches.find((b) => branchName(b) === name);
    if (branch === undefined) throw new DataError(`Avro union value names no branch of the union: ${String(name)}`);
    if (!isUnionStruct(schema)) return avroToConnectValue(schema, branch, inner, settings);
    const struct = new Struct(schema);
    const field = schema.field(unionFieldName(branch, settings))!;
    struct.put(field, avroToConnectValue(field.schema, branch, inner, settings));
    return struct;
  }
  switch (schema.name) {
    case DECIMAL_LOGICAL_NAME:
      return LogicalDecimal.toLogical(schema, datum as Buffer);
    case DATE_LOGICAL_NAME:
      return LogicalDate.toLogical(schema, datum as number);
    case TIME_LOGICAL_NAME:
      return LogicalTime.toLogical(schema, datum as number);
    case TIMESTAMP_LOGICAL_NAME:
      return LogicalTimestamp.toLogical(schema, datum as number | bigint);
  }
  switch (schema.type) {
    case 'BYTES':
      return Buffer.from(datum as Buffer);
    case 'ARRAY':
      return (datum as unknown[]).map((v) => avroToConnectValue(schema.valueSchema!, (avro as { items: AvroSchema }).items, v, settings));
    case 'MAP': {
      const map = new Map<unknown, unknown>();
      if (avro.type === 'map') {
        for (const [k, v] of Object.entries(datum as Record<string, unknown>)) map.set(k, avroToConnectValue(schema.valueSchema!, avro.values, v, settings));
      } else if (avro.type === 'array' && avro.items.type === 'record') {
        const [keyField, valueField] = [avro.items.fields.find((f) => f.name === KEY_FIELD)!, avro.items.fields.find((f) => f.name === VALUE_FIELD)!];
        for (const entry of datum as Record<string, unknown>[]) {
          map.set(avroToConnectValue(schema.keySchema!, keyField.type, entry[KEY_FIELD], settings), avroToConnectValue(schema.valueSchema!, valueField.type, entry[VALUE_FIELD], settings));
        }
      }
      return map;
    }
    case 'STRUCT': {
      if (avro.type !== 'record') throw new DataError(`Expected an Avro record for ${schema.toString()}`);
      const struct = new Struct(schema);
      const record = datum as Record<string, unknown>;
      const fields = schema.fields;
      for (let i = 0; i < fields.length; i++) {
        const avroField = avro.fields[i]!;
        struct.put(fields[i]!, avroToConnectValue(fields[i]!.schema, avroField.type, record[avroField.name], settings));
      }
      return struct;
    }
    default:
      return datum;
  }
}
