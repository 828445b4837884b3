/**
 * org.apache.kafka.connect.converters.ByteArrayConverter: passes bytes through unchanged. Writes
 * accept only a BYTES schema (or none) and a Buffer/Uint8Array (or null); reads give an optional
 * BYTES schema, with a null value for null bytes.
 */
import type { ConverterConfigs, Converter, HeaderConverter, RecordHeaders } from '../../../connectors/sdk/converter.js';
import { DataError } from '../../../connectors/sdk/errors.js';
import { Schema } from '../../../connectors/sdk/data/schema.js';
import { SchemaAndValue } from '../../../connectors/sdk/data/schema-and-value.js';
import { describeValue } from '../../../connectors/sdk/data/validate-value.js';
import { defineConfig } from '../../../connectors/sdk/config/config-spec.js';

/** What null bytes read as: immutable, so one instance serves every record. */
const NULL_BYTES = new SchemaAndValue(Schema.OPTIONAL_BYTES_SCHEMA, null);

export class ByteArrayConverter implements Converter, HeaderConverter {
  static readonly className = 'org.apache.kafka.connect.converters.ByteArrayConverter';
  static readonly configSpec = defineConfig({});

  configure(_configs: ConverterConfigs, _isKey = false): void {}

  fromConnectData(_topic: string, _headers: RecordHeaders, schema: Schema | null, value: unknown): Buffer | null {
    if (schema !== null && schema.type !== 'BYTES') throw new DataError(`Invalid schema type for ByteArrayConverter: ${schema.type}`);
    if (value === null || value === undefined) return null;
    if (!(value instanceof Uint8Array)) throw new DataError(`ByteArrayConverter is not compatible with objects of type ${describeValue(value)}`);
    return Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  }

  toConnectData(_topic: string, _headers: RecordHeaders, bytes: Buffer | null): SchemaAndValue {
    return bytes === null || bytes === undefined ? NULL_BYTES : new SchemaAndValue(Schema.OPTIONAL_BYTES_SCHEMA, bytes);
  }

  fromConnectHeader(topic: string, _headerKey: string, schema: Schema | null, value: unknown): Buffer | null {
    return this.fromConnectData(topic, [], schema, value);
  }

  toConnectHeader(topic: string, _headerKey: string, bytes: Buffer | null): SchemaAndValue {
    return this.toConnectData(topic, [], bytes);
  }

  close(): void {}
}
