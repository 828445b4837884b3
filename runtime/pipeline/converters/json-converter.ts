/**
 * org.apache.kafka.connect.json.JsonConverter: Connect data as JSON, exactly as Kafka Connect
 * writes and reads it (see json-data-writer.ts and json-data-reader.ts for the value rules).
 *
 * With `schemas.enable=true` (the default) every record is the envelope
 * `{"schema":<schema JSON>,"payload":<value JSON>}`; reading requires exactly those two members.
 * With `schemas.enable=false` the bytes are the bare value JSON and reads are schemaless.
 * A null value with a null schema becomes null bytes (a tombstone) in both modes; a null value
 * with a schema is written like any other value (`{"schema":{..},"payload":null}`, or `null`).
 * Null bytes read as SchemaAndValue.NULL. Schemas are cached both ways, up to
 * `schemas.cache.size` each (least recently used evicted). Topic and headers are not used.
 *
 * Also a HeaderConverter: header values use the same format.
 *
 * Encoding: the envelope's head `{"schema":<schema JSON>,"payload":` is kept as bytes per
 * Schema object (same cache size), and each record's bytes are that head, the payload's UTF-8
 * and `}` written into one Buffer: the schema text is neither concatenated nor re-encoded.
 * Output Buffers are slices of a shared slab (utf8-slab.ts), not Buffers of their own; without
 * schemas, a Map read from canonical JSON is written as the very bytes it was read from
 * (json-source.ts), which never change.
 *
 * Decoding: bytes that begin with the exact head of the last envelope read in full (same schema
 * text, compact, as this converter writes it) and whose payload is followed by the closing `}` have
 * only their payload parsed; anything else, errors included, is read in full as before.
 */
import type { ConverterConfigs, HeaderConverter, Converter, RecordHeaders } from '../../../connectors/sdk/converter.js';
import { DataError } from '../../../connectors/sdk/errors.js';
import type { Schema } from '../../../connectors/sdk/data/schema.js';
import { SchemaAndValue } from '../../../connectors/sdk/data/schema-and-value.js';
import { isCanonicalJsonObject } from '../../../connectors/sdk/data/canonical-json-object.js';
import { canonicalNumber, jsonSourceOf, NOT_PLAIN_JSON, rememberIfCanonical } from '../../../connectors/sdk/data/json-source.js';
import { firstNonPlainAscii } from '../../../connectors/sdk/data/plain-ascii-scan.js';
import { LazyJsonMap } from '../../../connectors/sdk/data/lazy-json-map.js';
import {
  DEFAULT_JSON_CONVERTER_SETTINGS,
  JSON_CONVERTER_CONFIG,
  parseJsonConverterConfig,
  type JsonConverterSettings,
} from './json-converter-config.js';
import { JsonDataReader, schemalessNumber } from './json-data-reader.js';
import { JsonDataWriter } from './json-data-writer.js';
import {
  jsonTextOf, JsonSyntaxError, NOT_CLOSED, parseJsonDeferringMember, parseJsonText, parseJsonTextWithNumbers, parseJsonValue, parseMemberValueThenClose,
  type JsonValue,
} from './json-text.js';
import { LruCache } from './lru-cache.js';
import { Utf8Slab } from './utf8-slab.js';

const ENVELOPE_REQUIRED =
  'JsonConverter with schemas.enable requires "schema" and "payload" fields and may not contain additional fields. ' +
  'If you are trying to deserialize plain JSON data, set schemas.enable=false in your converter configuration.';

const NULL_SCHEMA_HEAD = Buffer.from('{"schema":null,"payload":', 'utf8');
const CLOSE_BRACE = 0x7d;
const OPEN_BRACE = 0x7b;

export class JsonConverter implements Converter, HeaderConverter {
  static readonly className = 'org.apache.kafka.connect.json.JsonConverter';
  static readonly configSpec = JSON_CONVERTER_CONFIG;

  private settings: JsonConverterSettings = DEFAULT_JSON_CONVERTER_SETTINGS;
  private writer = JsonConverter.writerFor(DEFAULT_JSON_CONVERTER_SETTINGS);
  private reader = new JsonDataReader(DEFAULT_JSON_CONVERTER_SETTINGS);
  private schemaCache = new LruCache<string, Schema | null>(DEFAULT_JSON_CONVERTER_SETTINGS.schemasCacheSize);
  private envelopeHeads = new LruCache<Schema, Buffer>(DEFAULT_JSON_CONVERTER_SETTINGS.schemasCacheSize);
  private readonly slab = new Utf8Slab();
  /** The schema text of the last envelope read the long way, and its head `{"schema":<text>,"payload":` as UTF-8. */
  private lastSchemaText: string | null = null;
  private lastEnvelopeHead: Buffer | null = null;

  /** Throws ConfigError for invalid settings. `isKey` does not change this converter's behaviour. */
  configure(configs: ConverterConfigs, _isKey = false): void {
    this.settings = parseJsonConverterConfig(configs);
    this.writer = JsonConverter.writerFor(this.settings);
    this.reader = new JsonDataReader(this.settings);
    this.schemaCache = new LruCache(this.settings.schemasCacheSize);
    this.envelopeHeads = new LruCache(this.settings.schemasCacheSize);
    this.lastSchemaText = null;
    this.lastEnvelopeHead = null;
  }

  get schemasEnabled(): boolean {
    return this.settings.schemasEnabled;
  }

  fromConnectData(_topic: string, _headers: RecordHeaders, schema: Schema | null, value: unknown): Buffer | null {
    if (schema === null && (value === null || value === undefined)) return null;
    if (schema === null) {
      const source = jsonSourceOf(value);
      if (source !== undefined) return this.settings.schemasEnabled ? this.slab.copyBetween(NULL_SCHEMA_HEAD, source, CLOSE_BRACE) : source;
    }
    const payload = this.writer.writeValue(schema, value, '');
    if (!this.settings.schemasEnabled) return this.slab.encode(payload);
    return this.slab.encodeBetween(schema === null ? NULL_SCHEMA_HEAD : this.envelopeHead(schema), payload, CLOSE_BRACE);
  }

  /** `{"schema":<schema JSON>,"payload":` as UTF-8. */
  private envelopeHead(schema: Schema): Buffer {
    let head = this.envelopeHeads.get(schema);
    if (head === undefined) {
      head = Buffer.from(`{"schema":${this.writer.writeSchema(schema)},"payload":`, 'utf8');
      this.envelopeHeads.set(schema, head);
    }
    return head;
  }

  toConnectData(_topic: string, _headers: RecordHeaders, bytes: Buffer | null): SchemaAndValue {
    if (bytes === null || bytes === undefined) return SchemaAndValue.NULL;
    if (!this.settings.schemasEnabled) return withSchema(null, syntaxChecked(() => this.readSchemaless(bytes)) ?? null);

    const payload = this.payloadAfterLastHead(bytes);
    if (payload !== NOT_CLOSED) {
      const schema = this.schemaFor(this.lastSchemaText!);
      return withSchema(schema, this.reader.readValue(schema, payload, ''));
    }
    const parsed = syntaxChecked(() => parseJsonDeferringMember(bytes, 'schema'));
    const root = parsed.value;
    if (!(root instanceof Map) || root.size !== 2 || !root.has('schema') || !root.has('payload')) {
      throw new DataError(ENVELOPE_REQUIRED);
    }
    const text = parsed.deferredText!;
    const schema = this.schemaFor(text);
    if (text !== this.lastSchemaText) {
      this.lastSchemaText = text;
      this.lastEnvelopeHead = Buffer.from(`{"schema":${text},"payload":`, 'utf8');
    }
    return withSchema(schema, this.reader.readValue(schema, root.get('payload'), ''));
  }

  /**
   * A schemaless value; an object whose bytes are in canonical form keeps them beside its Map
   * (json-source.ts), for a writer that would write the same bytes again, and is read only if
   * something asks for its entries (a LazyJsonMap).
   */
  private readSchemaless(bytes: Buffer): unknown {
    // Buffer's decoding is faster than jsonTextOf's, but it turns bytes that are not UTF-8 into
    // U+FFFD (which NOT_PLAIN_JSON finds) and keeps a BOM (which cannot come before a `{`): a
    // plain text from bytes that start with `{` is exactly what jsonTextOf gives.
    // A canonical object is read only if something asks for its entries (lazy-json-map.ts).
    // Plain ASCII bytes (found by a SIMD scan) are plain text without being decoded; other bytes
    // are when their text does not match NOT_PLAIN_JSON. A canonical object is then never decoded.
    if (bytes[0] === OPEN_BRACE && Buffer.isBuffer(bytes)) {
      const ascii = firstNonPlainAscii(bytes, 0, bytes.length) === bytes.length;
      const text = ascii ? null : bytes.toString('utf8');
      if (text === null || !NOT_PLAIN_JSON.test(text)) {
        return isCanonicalJsonObject(bytes) ? new LazyJsonMap(bytes, readCanonicalObject) : this.readPlainObject(bytes, text ?? bytes.toString('latin1'));
      }
    }
    const text = jsonTextOf(bytes);
    return parseJsonTextWithNumbers(text, schemalessNumber, !NOT_PLAIN_JSON.test(text));
  }

  /** A plain text that starts with `{`, whose bytes are kept beside its Map when canonical. */
  private readPlainObject(bytes: Buffer, text: string): unknown {
    let canonical = true;
    let numberLength = 0;
    const value = parseJsonTextWithNumbers(text, (token, integral) => {
      const number = schemalessNumber(token, integral);
      numberLength += token.length;
      if (canonical && !canonicalNumber(token, number)) canonical = false;
      return number;
    }, true);
    if (canonical && value instanceof Map) rememberIfCanonical(value, bytes, text.length, numberLength);
    return value;
  }

  /**
   * The short way for the common case, records of one schema written compactly (as this converter
   * writes them): when the bytes start with the head of the last envelope read the long way and
   * the payload's value is followed by the closing `}`, the envelope is exactly {schema, payload}
   * with that schema text, so only the payload is parsed. NOT_CLOSED otherwise, and for anything
   * the short way cannot judge (invalid JSON or UTF-8 included): the long way then reads the whole
   * envelope and gives its usual result or error.
   */
  private payloadAfterLastHead(bytes: Buffer): JsonValue | typeof NOT_CLOSED {
    const head = this.lastEnvelopeHead;
    if (head === null || bytes.length <= head.length || head.compare(bytes, 0, head.length) !== 0) return NOT_CLOSED;
    try {
      return parseMemberValueThenClose(bytes.subarray(head.length));
    } catch (err) {
      if (err instanceof JsonSyntaxError) return NOT_CLOSED;
      throw err;
    }
  }

  fromConnectHeader(topic: string, _headerKey: string, schema: Schema | null, value: unknown): Buffer | null {
    return this.fromConnectData(topic, [], schema, value);
  }

  toConnectHeader(topic: string, _headerKey: string, bytes: Buffer | null): SchemaAndValue {
    return this.toConnectData(topic, [], bytes);
  }

  /** Kafka's asJsonSchema: the schema's JSON text (`null` for no schema). */
  schemaToJson(schema: Schema | null): string {
    return this.writer.writeSchema(schema);
  }

  /** Kafka's asConnectSchema, from schema JSON text. */
  schemaFromJson(json: string): Schema | null {
    return this.reader.readSchema(parseJsonValue(Buffer.from(json, 'utf8')));
  }

  close(): void {}

  /** The schema of an envelope's schema text, built only when the cache does not hold it. */
  private schemaFor(text: string): Schema | null {
    const cached = this.schemaCache.get(text);
    if (cached !== undefined) return cached;
    const schema = this.reader.readSchema(parseJsonText(text).value);
    this.schemaCache.set(text, schema);
    return schema;
  }

  private static writerFor(settings: JsonConverterSettings): JsonDataWriter {
    return new JsonDataWriter({
      decimalFormat: settings.decimalFormat,
      replaceNullWithDefault: settings.replaceNullWithDefault,
      schemaCacheSize: settings.schemasCacheSize,
    });
  }
}

/** The entries of a canonical object text (for LazyJsonMap), as the schemaless reading builds them. */
function readCanonicalObject(bytes: Buffer): Map<string, unknown> {
  return parseJsonTextWithNumbers(bytes.toString('utf8'), schemalessNumber, true) as Map<string, unknown>;
}

function syntaxChecked<T>(parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (!(err instanceof JsonSyntaxError)) throw err;
    throw new DataError(`Converting byte[] to Kafka Connect data failed due to serialization error: ${err.message}`, { cause: err });
  }
}

function withSchema(schema: Schema | null, value: unknown): SchemaAndValue {
  return schema === null && value === null ? SchemaAndValue.NULL : new SchemaAndValue(schema, value);
}
