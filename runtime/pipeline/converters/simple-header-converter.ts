/**
 * org.apache.kafka.connect.storage.SimpleHeaderConverter, Kafka's default header converter:
 * writes a header value as its Values string form in UTF-8, and reads a header by parsing that
 * string back into a typed value (Values.parseString: `42` → INT8, `true` → BOOLEAN, `[1,2]` →
 * ARRAY, ISO dates → Date/Time/Timestamp, anything else → STRING). A header that cannot be parsed
 * is kept as BYTES, as Kafka does. Null bytes read as SchemaAndValue.NULL.
 */
import type { ConverterConfigs, HeaderConverter } from '../../../connectors/sdk/converter.js';
import { Schema } from '../../../connectors/sdk/data/schema.js';
import { SchemaAndValue } from '../../../connectors/sdk/data/schema-and-value.js';
import { Values } from '../../../connectors/sdk/data/values.js';
import { defineConfig } from '../../../connectors/sdk/config/config-spec.js';

const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

export class SimpleHeaderConverter implements HeaderConverter {
  static readonly className = 'org.apache.kafka.connect.storage.SimpleHeaderConverter';
  static readonly configSpec = defineConfig({});

  configure(_configs: ConverterConfigs): void {}

  toConnectHeader(_topic: string, _headerKey: string, bytes: Buffer | null): SchemaAndValue {
    if (bytes === null || bytes === undefined) return SchemaAndValue.NULL;
    try {
      return Values.parseString(utf8.decode(bytes));
    } catch {
      return new SchemaAndValue(Schema.BYTES_SCHEMA, bytes);
    }
  }

  fromConnectHeader(_topic: string, _headerKey: string, schema: Schema | null, value: unknown): Buffer | null {
    const text = Values.convertToString(schema, value);
    return text === null ? null : Buffer.from(text, 'utf8');
  }

  close(): void {}
}
