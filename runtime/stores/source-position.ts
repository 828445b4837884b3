/**
 * Where a source connector is in its source: free-form maps the connector chooses, e.g.
 * `{filename: 'a.txt'}` → `{position: 30}`. Values are primitives only (Kafka Connect rejects
 * nested maps and arrays); member order is kept, because the offsets topic key is the JSON text.
 */
export type OffsetPrimitive = string | number | boolean | null;
export type SourcePartition = Readonly<Record<string, OffsetPrimitive>>;
export type SourceOffset = Readonly<Record<string, OffsetPrimitive>>;
