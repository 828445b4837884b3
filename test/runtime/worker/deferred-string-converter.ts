/**
 * A converter for runner tests that answers with promises, as a schema-registry converter does:
 * UTF-8 strings both ways, each answer a turn of the event loop later. Bytes or values containing
 * `reject` are refused with a rejected DataError, so error tolerance sees an asynchronous failure.
 */
import type { Converter, ConverterConfigs, RecordHeaders } from '../../../connectors/sdk/converter.js';
import { defineConfig } from '../../../connectors/sdk/config/config-spec.js';
import { Schema } from '../../../connectors/sdk/data/schema.js';
import { SchemaAndValue } from '../../../connectors/sdk/data/schema-and-value.js';
import { DataError } from '../../../connectors/sdk/errors.js';

export const DEFERRED_STRING_CONVERTER = 'test.DeferredStringConverter';

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export class DeferredStringConverter implements Converter {
  static readonly className = DEFERRED_STRING_CONVERTER;
  static readonly configSpec = defineConfig({});

  configure(_configs: ConverterConfigs, _isKey: boolean): void {}

  async fromConnectData(topic: string, _headers: RecordHeaders, _schema: Schema | null, value: unknown): Promise<Buffer | null> {
    await nextTurn();
    if (value === null || value === undefined) return null;
    const text = typeof value === 'string' ? value : JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v));
    if (text.includes('reject')) throw new DataError(`Refusing to write a value containing 'reject' to topic ${topic}`);
    return Buffer.from(text, 'utf8');
  }

  async toConnectData(topic: string, _headers: RecordHeaders, bytes: Buffer | null): Promise<SchemaAndValue> {
    await nextTurn();
    if (bytes === null) return new SchemaAndValue(Schema.OPTIONAL_STRING_SCHEMA, null);
    const text = bytes.toString('utf8');
    if (text.includes('reject')) throw new DataError(`Refusing to read a value containing 'reject' from topic ${topic}`);
    return new SchemaAndValue(Schema.OPTIONAL_STRING_SCHEMA, text);
  }
}
