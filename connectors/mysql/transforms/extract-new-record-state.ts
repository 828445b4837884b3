/**
 * Debezium's `io.debezium.transforms.ExtractNewRecordState` ("New Record State Extraction", event
 * flattening): a change event whose value schema is a Debezium envelope (its name ends in
 * `.Envelope`) is replaced by the row after the change, with the row's schema. Every other record
 * passes unchanged: heartbeats, schema changes, transaction metadata, schemaless values.
 *
 * Per event, as Debezium 3.x does it:
 * - create/read/update: the `after` row; the rewrite modes append `__deleted="false"`;
 * - delete (`after` null): dropped, kept with a null value (row schema kept), turned into a real
 *   tombstone, or rewritten to the `before` row with `__deleted="true"` (delete.tombstone.handling.mode);
 * - neither image (truncate): dropped;
 * - tombstone (null value): dropped, or passed on in rewrite-with-tombstone (legacy: drop.tombstones=false).
 *
 * Then, in Debezium's order: `route.by.field` picks the topic from the row, `add.fields` appends
 * metadata (deletes only when rewritten), and the fields named in the `drop.fields.header.name`
 * header are removed (before add.fields for deletes, after it otherwise, as Debezium does).
 * `add.headers` are added to every envelope record and tombstone before any of this, so records
 * that are kept carry them. Structs made here copy the row schema's name, version, doc and
 * parameters (and, like Kafka's InsertField, are not optional).
 */
import type { ConnectHeader, ConnectRecord } from '../../sdk/connect-record.js';
import type { RawConfig } from '../../sdk/connector.js';
import { Schema } from '../../sdk/data/schema.js';
import { SchemaBuilder } from '../../sdk/data/schema-builder.js';
import { Struct } from '../../sdk/data/struct.js';
import { DataError } from '../../sdk/errors.js';
import type { Transform, TransformPlugin } from '../../sdk/transform.js';
import { MYSQL_CONNECTOR_VERSION } from '../version.js';
import { deleteBehaviourOf, extractNewRecordStateSpec, type DeleteBehaviour } from './extract-new-record-state-config.js';
import { parseMetadataReferences, resolveReference, type MetadataReference, type ResolvedReference } from './metadata-reference.js';

const DELETED_FIELD = '__deleted';
const ENVELOPE_SUFFIX = '.Envelope';

function isEnvelope(schema: Schema | null): schema is Schema {
  return schema !== null && schema.type === 'STRUCT' && schema.name !== null && schema.name.endsWith(ENVELOPE_SUFFIX);
}

/** A struct schema with `basics`' name, version, doc and parameters and the given fields (required, as Kafka's SchemaUtil copies). */
function structLike(basics: Schema, fields: Iterable<readonly [string, Schema]>): Schema {
  const builder = SchemaBuilder.struct();
  for (const [name, schema] of fields) builder.field(name, schema);
  return new Schema({
    type: 'STRUCT', name: basics.name, version: basics.version, doc: basics.doc, parameters: basics.parameters, fields: builder.build().fields,
  });
}

function fieldsOf(schema: Schema): (readonly [string, Schema])[] {
  return schema.fields.map((f) => [f.name, f.schema] as const);
}

/** `source`'s fields copied into a struct of `schema` (which has them all), with or without defaults. */
function copyInto(schema: Schema, source: Struct, withDefaults: boolean): Struct {
  const out = new Struct(schema);
  for (const f of source.schema.fields) {
    if (schema.field(f.name) !== null) out.put(f.name, withDefaults ? source.get(f) : source.getWithoutDefault(f));
  }
  return out;
}

function cached<K extends object, V>(cache: WeakMap<K, V>, key: K, build: () => V): V {
  let value = cache.get(key);
  if (value === undefined) {
    value = build();
    cache.set(key, value);
  }
  return value;
}

function rowOf(envelope: Struct, image: 'before' | 'after'): { schema: Schema; row: Struct | null } {
  const field = envelope.schema.field(image);
  if (field === null) throw new DataError(`Unknown field: ${image} (the envelope ${envelope.schema.name ?? ''} has no ${image} image)`);
  const row = envelope.getWithoutDefault(field);
  if (row !== null && !(row instanceof Struct)) throw new DataError(`The ${image} image of ${envelope.schema.name ?? 'the envelope'} is not a Struct`);
  return { schema: field.schema, row };
}

class ExtractNewRecordState {
  #behaviour: DeleteBehaviour = { deletes: 'null-value', keepTombstones: false };
  #routeByField: string | null = null;
  #fields: readonly MetadataReference[] = [];
  #headers: readonly MetadataReference[] = [];
  #dropFieldsHeader: string | null = null;
  #dropFromKey = false;
  #dropOnlyOptional = true;
  #replaceNullWithDefault = true;
  #resolved = new WeakMap<Schema, { fields: ResolvedReference[]; headers: ResolvedReference[] }>();
  #flagged = new WeakMap<Schema, Schema>();
  #extended = new WeakMap<Schema, WeakMap<Schema, Schema>>();
  #trimmed = new WeakMap<Schema, Map<string, Schema>>();

  configure(raw: RawConfig): void {
    const c = extractNewRecordStateSpec.parse(raw);
    this.#behaviour = deleteBehaviourOf(c, raw);
    this.#routeByField = c.routeByField.trim() === '' ? null : c.routeByField;
    this.#fields = parseMetadataReferences(c.addFields, c.addFieldsPrefix, true);
    this.#headers = parseMetadataReferences(c.addHeaders, c.addHeadersPrefix);
    this.#dropFieldsHeader = c.dropFieldsHeaderName === null || c.dropFieldsHeaderName.trim() === '' ? null : c.dropFieldsHeaderName;
    this.#dropFromKey = c.dropFieldsFromKey;
    this.#dropOnlyOptional = c.dropFieldsKeepSchemaCompatible;
    this.#replaceNullWithDefault = c.replaceNullWithDefault;
  }

  apply<R extends ConnectRecord>(record: R): R | null {
    if (record.value === null || record.value === undefined) return this.#tombstone(record);
    if (!isEnvelope(record.valueSchema)) return record;
    if (!(record.value instanceof Struct)) throw new DataError(`The value of an envelope schema ${record.valueSchema.name ?? ''} must be a Struct`);
    const envelope = record.value;
    const base = this.#headers.length === 0 ? record : { ...record, headers: [...record.headers, ...this.#headersFrom(envelope)] };
    const after = rowOf(envelope, 'after');
    if (after.row !== null) return this.#changed(base, envelope, after.schema, after.row);
    const before = rowOf(envelope, 'before');
    if (before.row === null) return null;
    return this.#deleted(base, envelope, after.schema, before.schema, before.row);
  }

  #tombstone<R extends ConnectRecord>(record: R): R | null {
    if (!this.#behaviour.keepTombstones) return null;
    const op = this.#headers.filter((r) => r.field === 'op');
    if (op.length === 0) return record;
    return { ...record, headers: [...record.headers, ...op.map((r): ConnectHeader => ({ key: r.name, schema: Schema.STRING_SCHEMA, value: 'd' }))] };
  }

  #changed<R extends ConnectRecord>(record: R, envelope: Struct, schema: Schema, row: Struct): R {
    let out: R = this.#behaviour.deletes === 'rewrite' ? this.#flag(record, schema, row, 'false') : { ...record, valueSchema: schema, value: row };
    if (this.#routeByField !== null) out = this.#route(out, out.value as Struct);
    out = this.#addFields(out, envelope);
    return this.#dropFields(out);
  }

  #deleted<R extends ConnectRecord>(record: R, envelope: Struct, afterSchema: Schema, beforeSchema: Schema, before: Struct): R | null {
    let out: R;
    switch (this.#behaviour.deletes) {
      case 'drop': return null;
      case 'null-value': out = { ...record, valueSchema: afterSchema, value: null }; break;
      case 'tombstone': out = { ...record, valueSchema: null, value: null }; break;
      case 'rewrite': out = this.#flag(record, beforeSchema, before, 'true'); break;
    }
    if (this.#routeByField !== null) out = this.#route(out, before);
    out = this.#dropFields(out);
    return out.value === null ? out : this.#addFields(out, envelope);
  }

  /** The row with `__deleted` appended (Kafka's InsertField with a static value). */
  #flag<R extends ConnectRecord>(record: R, schema: Schema, row: Struct, deleted: 'true' | 'false'): R {
    const flagged = cached(this.#flagged, schema, () => structLike(schema, [...fieldsOf(schema), [DELETED_FIELD, Schema.OPTIONAL_STRING_SCHEMA]]));
    const value = copyInto(flagged, row, this.#replaceNullWithDefault).put(DELETED_FIELD, deleted);
    return { ...record, valueSchema: flagged, value };
  }

  #route<R extends ConnectRecord>(record: R, row: Struct): R {
    const name = this.#routeByField!;
    const field = row.schema.field(name);
    if (field === null) throw new DataError(`route.by.field: the row has no field ${name}`);
    if (field.schema.type !== 'STRING') throw new DataError(`route.by.field: field ${name} is ${field.schema.type}, not STRING`);
    const topic = row.get(field) as string | null;
    return topic === null || topic.trim() === '' ? record : { ...record, topic };
  }

  #resolve(envelopeSchema: Schema): { fields: ResolvedReference[]; headers: ResolvedReference[] } {
    return cached(this.#resolved, envelopeSchema, () => {
      const found = (refs: readonly MetadataReference[]) => refs.map((r) => resolveReference(r, envelopeSchema)).filter((r) => r !== null);
      return { fields: found(this.#fields), headers: found(this.#headers) };
    });
  }

  #headersFrom(envelope: Struct): ConnectHeader[] {
    return this.#resolve(envelope.schema).headers.map((r) => ({ key: r.name, schema: r.schema, value: r.read(envelope) }));
  }

  #addFields<R extends ConnectRecord>(record: R, envelope: Struct): R {
    if (this.#fields.length === 0) return record;
    if (!(record.value instanceof Struct)) throw new DataError('add.fields needs a Struct value');
    const row = record.value;
    const refs = this.#resolve(envelope.schema).fields;
    const perEnvelope = cached(this.#extended, row.schema, () => new WeakMap<Schema, Schema>());
    const schema = cached(perEnvelope, envelope.schema, () => structLike(row.schema, [...fieldsOf(row.schema), ...refs.map((r) => [r.name, r.schema] as const)]));
    const value = copyInto(schema, row, false);
    for (const r of refs) value.put(r.name, r.read(envelope));
    return { ...record, valueSchema: schema, value };
  }

  /** Removes the fields the drop-fields header names (Kafka's ReplaceField with `exclude`). */
  #dropFields<R extends ConnectRecord>(record: R): R {
    if (this.#dropFieldsHeader === null) return record;
    const header = record.headers.find((h) => h.key === this.#dropFieldsHeader);
    if (header === undefined || header.value === null || header.value === undefined) return record;
    if (!Array.isArray(header.value) || header.value.some((n) => typeof n !== 'string')) {
      throw new DataError(`Header ${this.#dropFieldsHeader} (drop.fields.header.name) must hold a list of field names`);
    }
    const names = header.value as string[];
    if (names.length === 0) return record;
    let out = record;
    if (this.#dropFromKey && out.key instanceof Struct) {
      const key = this.#without(out.key, names);
      out = { ...out, keySchema: key.schema, key };
    }
    if (out.value instanceof Struct) {
      const value = this.#without(out.value, names);
      out = { ...out, valueSchema: value.schema, value };
    }
    return out;
  }

  #without(struct: Struct, names: readonly string[]): Struct {
    const dropped = struct.schema.fields
      .filter((f) => names.includes(f.name) && (!this.#dropOnlyOptional || f.schema.optional))
      .map((f) => f.name);
    if (dropped.length === 0) return struct;
    const byList = cached(this.#trimmed, struct.schema, () => new Map<string, Schema>());
    const listKey = dropped.join(',');
    let schema = byList.get(listKey);
    if (schema === undefined) {
      schema = structLike(struct.schema, fieldsOf(struct.schema).filter(([name]) => !dropped.includes(name)));
      byList.set(listKey, schema);
    }
    return copyInto(schema, struct, true);
  }
}

export const extractNewRecordStatePlugin: TransformPlugin = Object.freeze({
  className: 'io.debezium.transforms.ExtractNewRecordState',
  aliases: Object.freeze(['ExtractNewRecordState']),
  version: MYSQL_CONNECTOR_VERSION,
  configSpec: extractNewRecordStateSpec,
  description: 'Flattens Debezium change events to the row after the change, with Debezium\'s handling of deletes, '
    + 'tombstones and truncates, optional metadata fields and headers, topic routing by a column and field dropping.',
  create<R extends ConnectRecord>(): Transform<R> {
    return new ExtractNewRecordState();
  },
});
