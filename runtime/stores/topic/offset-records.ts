/**
 * Records of the offsets topic (`offset.storage.topic`), byte-compatible with Kafka Connect
 * (docs: shared/reference/kafka-connect.md §2.4):
 *
 *   key    ["my-source",{"filename":"test.txt"}]     [connector name, source partition]
 *   value  {"position":30}                            source offset; null is a tombstone
 *
 * Kafka identifies an offset by the key's bytes, so partition members keep the connector's
 * order. Partition and offset maps hold primitives only; writing anything else throws
 * OffsetFormatError, and reading skips keys that are not a 2-element [string, object].
 */
import { decodeJson, encodeJson, isJsonObject } from './jackson-json.js';
import type { JsonValue } from './jackson-json.js';
import type { OffsetPrimitive, SourceOffset, SourcePartition } from '../source-position.js';

export class OffsetFormatError extends Error {
  readonly code = 'OFFSET_FORMAT_INVALID';
  override readonly name = 'OffsetFormatError';
}

export interface OffsetKey {
  readonly connector: string;
  readonly partition: SourcePartition;
}

export function encodeOffsetKey(connector: string, partition: SourcePartition): Buffer {
  assertOffsetMap(partition, 'source partition');
  return encodeJson([connector, partition]);
}

/** `undefined` for keys Kafka Connect ignores. */
export function decodeOffsetKey(key: Buffer | null): OffsetKey | undefined {
  if (key === null) return undefined;
  const json = decodeJson(key);
  if (!Array.isArray(json) || json.length !== 2) return undefined;
  const [connector, partition] = json as readonly JsonValue[];
  if (typeof connector !== 'string') return undefined;
  const map = primitiveMap(partition);
  return map && { connector, partition: map };
}

export function encodeOffsetValue(offset: SourceOffset | null): Buffer | null {
  if (offset === null) return null;
  assertOffsetMap(offset, 'source offset');
  return encodeJson(offset);
}

/** `null` for a tombstone, `undefined` when the value is not a map of primitives. */
export function decodeOffsetValue(value: Buffer | null): SourceOffset | null | undefined {
  if (value === null) return null;
  const json = decodeJson(value);
  return json === undefined ? undefined : primitiveMap(json);
}

export function assertOffsetMap(map: unknown, what: string): asserts map is Readonly<Record<string, OffsetPrimitive>> {
  if (!isJsonObject(map)) throw new OffsetFormatError(`a ${what} must be a map, got ${describe(map)}`);
  for (const [member, value] of Object.entries(map)) {
    if (!isPrimitive(value)) {
      throw new OffsetFormatError(`a ${what} may only contain primitive values, but '${member}' holds ${describe(value)}`);
    }
  }
}

function primitiveMap(value: JsonValue | undefined): Readonly<Record<string, OffsetPrimitive>> | undefined {
  if (!isJsonObject(value)) return undefined;
  const entries = Object.entries(value);
  for (const [, v] of entries) if (!isPrimitive(v)) return undefined;
  return Object.freeze(Object.fromEntries(entries) as Record<string, OffsetPrimitive>);
}

function isPrimitive(value: unknown): value is OffsetPrimitive {
  return value === null || typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'a map' : `a ${typeof value}`;
}
