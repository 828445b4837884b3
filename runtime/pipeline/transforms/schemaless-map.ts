/**
 * Schemaless structured values: Connect's schemaless MAP, which ferry's converters read as a Map,
 * and which source connectors may also hand over as a plain object. Transforms accept both and
 * give back the same kind they were given; maps they build from nothing are Maps.
 */

export type SchemalessMap = ReadonlyMap<unknown, unknown> | Readonly<Record<string, unknown>>;

export function isPlainObject(value: unknown): value is Readonly<Record<string, unknown>> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

export function isSchemalessMap(value: unknown): value is SchemalessMap {
  return value instanceof Map || isPlainObject(value);
}

/** The field's value, or null when absent. */
export function getField(map: SchemalessMap, name: string): unknown {
  if (map instanceof Map) return map.get(name) ?? null;
  const record = map as Readonly<Record<string, unknown>>;
  return Object.prototype.hasOwnProperty.call(record, name) ? (record[name] ?? null) : null;
}

export function entriesOf(map: SchemalessMap): [unknown, unknown][] {
  return map instanceof Map ? [...map] : Object.entries(map);
}

/** A mutable copy to edit before `sameKindAs`. */
export function workingCopy(map: SchemalessMap): Map<unknown, unknown> {
  return new Map(entriesOf(map));
}

/** `entries` as a value of the same kind as `original` (a Map, or a plain object). */
export function sameKindAs(original: SchemalessMap, entries: Map<unknown, unknown>): SchemalessMap {
  if (original instanceof Map) return entries;
  return Object.fromEntries([...entries].map(([k, v]) => [String(k), v]));
}
