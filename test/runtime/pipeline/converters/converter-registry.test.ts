import { describe, expect, it } from 'vitest';
import type { Converter, HeaderConverter } from '../../../../connectors/sdk/converter.js';
import { ConnectError } from '../../../../connectors/sdk/errors.js';
import { Schema } from '../../../../connectors/sdk/data/schema.js';
import { SchemaAndValue } from '../../../../connectors/sdk/data/schema-and-value.js';
import { defineConfig } from '../../../../connectors/sdk/config/config-spec.js';
import { AvroConverter } from '../../../../runtime/pipeline/converters/avro-converter.js';
import { ConverterRegistry } from '../../../../runtime/pipeline/converters/converter-registry.js';
import { JsonConverter } from '../../../../runtime/pipeline/converters/json-converter.js';
import { SimpleHeaderConverter } from '../../../../runtime/pipeline/converters/simple-header-converter.js';
import { StringConverter } from '../../../../runtime/pipeline/converters/string-converter.js';

describe('ConverterRegistry', () => {
  const registry = new ConverterRegistry();

  it('resolves Kafka class names and Kafka-style aliases', () => {
    expect(registry.resolve('org.apache.kafka.connect.json.JsonConverter')).toBe(JsonConverter);
    expect(registry.resolve('JsonConverter')).toBe(JsonConverter);
    expect(registry.resolve('Json')).toBe(JsonConverter);
    expect(registry.resolve('String')).toBe(StringConverter);
    expect(registry.resolve('Simple')).toBe(SimpleHeaderConverter);
    expect(registry.resolve(' org.apache.kafka.connect.storage.StringConverter ')).toBe(StringConverter);
    expect(registry.resolve('io.confluent.connect.avro.AvroConverter')).toBe(AvroConverter);
    expect(registry.resolve('Avro')).toBe(AvroConverter);
    expect(registry.resolve('com.example.MissingConverter')).toBeUndefined();
  });

  it('creates configured instances for keys, values and headers', () => {
    const value = registry.createConverter('org.apache.kafka.connect.json.JsonConverter', { 'schemas.enable': 'false' }, false);
    expect(value.fromConnectData('t', [], Schema.INT32_SCHEMA, 1)?.toString()).toBe('1');
    const header = registry.createHeaderConverter('org.apache.kafka.connect.storage.SimpleHeaderConverter', {});
    expect(header.toConnectHeader('t', 'h', Buffer.from('7')).value).toBe(7);
    expect(registry.createConverter('Json', {}, true)).not.toBe(registry.createConverter('Json', {}, true));
  });

  it('refuses names that are not converters of the requested kind', () => {
    expect(() => registry.createConverter('SimpleHeaderConverter', {}, false)).toThrow(ConnectError);
    expect(() => registry.createConverter('com.example.Missing', {}, false)).toThrow(
      /Failed to find any class that implements Converter and which name matches com.example.Missing, available converters are: org.apache.kafka.connect.json.JsonConverter, /,
    );
  });

  it('lists every converter with its kinds, aliases and config keys', () => {
    const json = registry.list().find((p) => p.className === JsonConverter.className)!;
    expect(json.kinds).toEqual(['converter', 'header-converter']);
    expect(json.aliases.sort()).toEqual(['Json', 'JsonConverter']);
    expect(json.configSpec.names).toEqual(['schemas.enable', 'schemas.cache.size', 'decimal.format', 'replace.null.with.default']);
  });

  it('drops an alias two registered classes would share', () => {
    class OtherJsonConverter implements Converter, HeaderConverter {
      static readonly className = 'com.example.JsonConverter';
      static readonly configSpec = defineConfig({});
      configure(): void {}
      fromConnectData(): Buffer | null {
        return null;
      }
      toConnectData(): SchemaAndValue {
        return SchemaAndValue.NULL;
      }
      fromConnectHeader(): Buffer | null {
        return null;
      }
      toConnectHeader(): SchemaAndValue {
        return SchemaAndValue.NULL;
      }
    }
    const custom = new ConverterRegistry();
    custom.register(OtherJsonConverter);
    expect(custom.resolve('Json')).toBeUndefined();
    expect(custom.resolve('com.example.JsonConverter')).toBe(OtherJsonConverter);
  });
});
