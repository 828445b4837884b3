/**
 * The fixed-width converters of org.apache.kafka.connect.converters, using Kafka's serdes:
 * big-endian two's-complement integers (Short 2 bytes, Integer 4, Long 8), IEEE 754 Float (4)
 * and Double (8), and Boolean as one byte 0x00/0x01. Reads give the optional schema of the type;
 * null bytes read as that schema with a null value, and a null value writes null bytes. A byte
 * count other than the type's width is a DataError.
 */
import type { ConverterConfigs, Converter, HeaderConverter, RecordHeaders } from '../../../connectors/sdk/converter.js';
import { DataError } from '../../../connectors/sdk/errors.js';
import { Schema } from '../../../connectors/sdk/data/schema.js';
import { SchemaAndValue } from '../../../connectors/sdk/data/schema-and-value.js';
import { describeValue, isInt64, normalizeInt64 } from '../../../connectors/sdk/data/validate-value.js';
import { defineConfig } from '../../../connectors/sdk/config/config-spec.js';

abstract class FixedWidthConverter implements Converter, HeaderConverter {
  static readonly configSpec = defineConfig({});

  protected abstract readonly typeName: string;
  protected abstract readonly deserializerName: string;
  protected abstract readonly width: number;
  protected abstract readonly schema: Schema;
  protected abstract write(value: unknown): Buffer | undefined;
  protected abstract read(bytes: Buffer): unknown;

  configure(_configs: ConverterConfigs, _isKey = false): void {}

  fromConnectData(_topic: string, _headers: RecordHeaders, schema: Schema | null, value: unknown): Buffer | null {
    this.checkSchema(schema);
    if (value === null || value === undefined) return null;
    const bytes = this.write(value);
    if (bytes === undefined) throw new DataError(`Failed to serialize to ${this.typeName} (was ${describeValue(value)})`);
    return bytes;
  }

  toConnectData(_topic: string, _headers: RecordHeaders, bytes: Buffer | null): SchemaAndValue {
    if (bytes === null || bytes === undefined) return new SchemaAndValue(this.schema, null);
    if (bytes.length !== this.width) {
      throw new DataError(
        `Failed to deserialize ${this.typeName}: Size of data received by ${this.deserializerName} is not ${this.width}`,
      );
    }
    return new SchemaAndValue(this.schema, this.read(bytes));
  }

  fromConnectHeader(topic: string, _headerKey: string, schema: Schema | null, value: unknown): Buffer | null {
    return this.fromConnectData(topic, [], schema, value);
  }

  toConnectHeader(topic: string, _headerKey: string, bytes: Buffer | null): SchemaAndValue {
    return this.toConnectData(topic, [], bytes);
  }

  close(): void {}

  protected checkSchema(_schema: Schema | null): void {}
}

function fixedInt(width: 2 | 4, value: unknown): Buffer | undefined {
  const [lo, hi] = width === 2 ? [-32768, 32767] : [-2147483648, 2147483647];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < lo || value > hi) return undefined;
  const out = Buffer.alloc(width);
  if (width === 2) out.writeInt16BE(value);
  else out.writeInt32BE(value);
  return out;
}

export class ShortConverter extends FixedWidthConverter {
  static readonly className = 'org.apache.kafka.connect.converters.ShortConverter';
  protected readonly typeName = 'short';
  protected readonly deserializerName = 'ShortDeserializer';
  protected readonly width = 2;
  protected readonly schema = Schema.OPTIONAL_INT16_SCHEMA;

  protected write(value: unknown): Buffer | undefined {
    return fixedInt(2, value);
  }

  protected read(bytes: Buffer): number {
    return bytes.readInt16BE(0);
  }
}

export class IntegerConverter extends FixedWidthConverter {
  static readonly className = 'org.apache.kafka.connect.converters.IntegerConverter';
  protected readonly typeName = 'int';
  protected readonly deserializerName = 'IntegerDeserializer';
  protected readonly width = 4;
  protected readonly schema = Schema.OPTIONAL_INT32_SCHEMA;

  protected write(value: unknown): Buffer | undefined {
    return fixedInt(4, value);
  }

  protected read(bytes: Buffer): number {
    return bytes.readInt32BE(0);
  }
}

/** INT64 values read as a number when within ±(2^53-1), otherwise as a bigint. */
export class LongConverter extends FixedWidthConverter {
  static readonly className = 'org.apache.kafka.connect.converters.LongConverter';
  protected readonly typeName = 'long';
  protected readonly deserializerName = 'LongDeserializer';
  protected readonly width = 8;
  protected readonly schema = Schema.OPTIONAL_INT64_SCHEMA;

  protected write(value: unknown): Buffer | undefined {
    if (!isInt64(value)) return undefined;
    const out = Buffer.alloc(8);
    out.writeBigInt64BE(BigInt(value));
    return out;
  }

  protected read(bytes: Buffer): number | bigint {
    return normalizeInt64(bytes.readBigInt64BE(0));
  }
}

export class FloatConverter extends FixedWidthConverter {
  static readonly className = 'org.apache.kafka.connect.converters.FloatConverter';
  protected readonly typeName = 'float';
  protected readonly deserializerName = 'FloatDeserializer';
  protected readonly width = 4;
  protected readonly schema = Schema.OPTIONAL_FLOAT32_SCHEMA;

  protected write(value: unknown): Buffer | undefined {
    if (typeof value !== 'number') return undefined;
    const out = Buffer.alloc(4);
    out.writeFloatBE(value);
    return out;
  }

  protected read(bytes: Buffer): number {
    return bytes.readFloatBE(0);
  }
}

export class DoubleConverter extends FixedWidthConverter {
  static readonly className = 'org.apache.kafka.connect.converters.DoubleConverter';
  protected readonly typeName = 'double';
  protected readonly deserializerName = 'DoubleDeserializer';
  protected readonly width = 8;
  protected readonly schema = Schema.OPTIONAL_FLOAT64_SCHEMA;

  protected write(value: unknown): Buffer | undefined {
    if (typeof value !== 'number') return undefined;
    const out = Buffer.alloc(8);
    out.writeDoubleBE(value);
    return out;
  }

  protected read(bytes: Buffer): number {
    return bytes.readDoubleBE(0);
  }
}

/** KIP-959 (Kafka 3.7+). Only a BOOLEAN schema (or none) may be written. */
export class BooleanConverter extends FixedWidthConverter {
  static readonly className = 'org.apache.kafka.connect.converters.BooleanConverter';
  protected readonly typeName = 'boolean';
  protected readonly deserializerName = 'BooleanDeserializer';
  protected readonly width = 1;
  protected readonly schema = Schema.OPTIONAL_BOOLEAN_SCHEMA;

  protected override checkSchema(schema: Schema | null): void {
    if (schema !== null && schema.type !== 'BOOLEAN') throw new DataError(`Invalid schema type for BooleanConverter: ${schema.type}`);
  }

  protected write(value: unknown): Buffer | undefined {
    return typeof value === 'boolean' ? Buffer.from([value ? 1 : 0]) : undefined;
  }

  protected read(bytes: Buffer): boolean {
    if (bytes[0] === 1) return true;
    if (bytes[0] === 0) return false;
    throw new DataError(`Failed to deserialize boolean: Unexpected byte received by BooleanDeserializer: ${(bytes[0] << 24) >> 24}`);
  }
}
