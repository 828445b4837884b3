/**
 * Converters turn Connect data (a Schema and a value) into the bytes of a Kafka record key,
 * value or header, and back (Kafka's Converter and HeaderConverter).
 *
 * Calling rules, as in Kafka Connect:
 * - The runtime creates one instance per use (key, value, header) per task and calls
 *   `configure` once, before any conversion, with the `key.converter.` / `value.converter.` /
 *   `header.converter.` prefix already stripped. `isKey` tells key from value.
 * - Conversions run on the task's own thread of control, one at a time; an instance need not be
 *   safe for concurrent use, but must not keep per-record state.
 * - A null value with a null schema converts to null bytes (a tombstone) and null bytes to
 *   SchemaAndValue.NULL, unless the converter documents otherwise.
 * - Bad input throws DataError (handled by error tolerance, never retried); `fromConnectData`
 *   may add record headers.
 * - `toConnectData` and `fromConnectData` may answer with a Promise when they must wait (a schema
 *   registry lookup); a rejection is handled exactly like a throw. Callers await only a thenable
 *   result, so a converter that answers synchronously costs no promise per record.
 *
 * Each converter class also declares its config keys as a static `configSpec`, which the
 * runtime uses for validation and docs without creating an instance.
 */
import type { ConfigFields, ConfigSpec } from './config/config-spec.js';
import type { RawConfig } from './connector.js';
import type { Schema } from './data/schema.js';
import type { SchemaAndValue } from './data/schema-and-value.js';

/** One raw Kafka record header; keys may repeat and order matters. */
export interface RecordHeader {
  readonly key: string;
  readonly value: Buffer | null;
}

/** The raw headers of the record being converted. */
export type RecordHeaders = RecordHeader[];

/** A converter's config with the `*.converter.` prefix stripped; values as given by the user. */
export type ConverterConfigs = RawConfig;

export interface Converter {
  configure(configs: ConverterConfigs, isKey: boolean): void;
  fromConnectData(topic: string, headers: RecordHeaders, schema: Schema | null, value: unknown): Buffer | null | Promise<Buffer | null>;
  toConnectData(topic: string, headers: RecordHeaders, bytes: Buffer | null): SchemaAndValue | Promise<SchemaAndValue>;
  close?(): void;
}

export interface HeaderConverter {
  configure(configs: ConverterConfigs): void;
  fromConnectHeader(topic: string, headerKey: string, schema: Schema | null, value: unknown): Buffer | null;
  toConnectHeader(topic: string, headerKey: string, bytes: Buffer | null): SchemaAndValue;
  close?(): void;
}

/** What a converter class offers besides its instances. */
export interface ConverterClass<T extends Converter | HeaderConverter = Converter | HeaderConverter> {
  new (): T;
  /** The Kafka class name users put in `key.converter` etc. */
  readonly className: string;
  readonly configSpec: ConfigSpec<ConfigFields>;
}

/** True for a Promise (or any thenable) a converter answered with instead of its result. */
export function isThenable<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
