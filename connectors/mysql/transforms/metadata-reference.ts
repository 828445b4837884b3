/**
 * Entries of `add.fields` / `add.headers`: which piece of a Debezium change event to copy and
 * under what name.
 *
 *   op            envelope.op                       -> <prefix>op
 *   table         envelope.source.table             -> <prefix>table
 *   source.ts_ms  envelope.source.ts_ms             -> <prefix>source_ts_ms
 *   id            envelope.transaction.id           -> <prefix>id
 *   db:DATABASE   envelope.source.db                -> <prefix>DATABASE
 *
 * A bare name is looked up where Debezium puts it: op and ts_ms/ts_us/ts_ns on the envelope, id,
 * total_order and data_collection_order in its transaction block, everything else in its source
 * block. A name missing from that block is looked up on the envelope itself (a field another
 * transform added there); a name found in neither place is left out. Values are read as stored,
 * without schema defaults, and their schemas made optional (a transaction block is null during
 * snapshots, so its fields are then null).
 */
import { Schema } from '../../sdk/data/schema.js';
import { Struct } from '../../sdk/data/struct.js';
import { DataError } from '../../sdk/errors.js';

export interface MetadataReference {
  /** The envelope field holding `field` (`source`, `transaction`), or null for the envelope itself. */
  readonly struct: string | null;
  readonly field: string;
  /** The name written: the prefix and the derived or chosen name. */
  readonly name: string;
  /** The entry as configured, for messages. */
  readonly entry: string;
}

/** A reference found in one envelope schema: the schema to write and how to read the value. */
export interface ResolvedReference {
  readonly name: string;
  readonly schema: Schema;
  read(envelope: Struct): unknown;
}

const ON_ENVELOPE: ReadonlySet<string> = new Set(['op', 'ts_ms', 'ts_us', 'ts_ns']);
const IN_TRANSACTION: ReadonlySet<string> = new Set(['id', 'total_order', 'data_collection_order']);

function blockOf(field: string): string | null {
  if (ON_ENVELOPE.has(field)) return null;
  return IN_TRANSACTION.has(field) ? 'transaction' : 'source';
}

function parseEntry(entry: string, prefix: string): MetadataReference {
  const [path, rename, ...extra] = entry.split(':');
  if (extra.length > 0) throw new Error(`'${entry}' has more than one ':'`);
  const parts = path!.split('.');
  if (parts.length > 2 || parts.some((p) => p === '')) throw new Error(`'${entry}' must be a field or struct.field, optionally followed by :name`);
  if (rename !== undefined && rename === '') throw new Error(`'${entry}' names no new name after ':'`);
  const [first, second] = parts as [string, string | undefined];
  const field = second ?? first;
  const struct = second === undefined ? blockOf(first) : first;
  const derived = second === undefined ? field : `${first}_${second}`;
  return { struct, field, name: prefix + (rename ?? derived), entry };
}

/**
 * The references of a list of entries. Throws an Error saying which entry is malformed, or, with
 * `uniqueNames`, which two entries would write the same name.
 */
export function parseMetadataReferences(entries: readonly string[], prefix: string, uniqueNames = false): MetadataReference[] {
  const references = entries.map((entry) => parseEntry(entry, prefix));
  // Names only clash when their unprefixed parts do, so validation can check without the prefix.
  if (uniqueNames) {
    const seen = new Map<string, string>();
    for (const r of references) {
      const other = seen.get(r.name);
      if (other !== undefined) throw new Error(`'${other}' and '${r.entry}' would both write the field ${r.name}`);
      seen.set(r.name, r.entry);
    }
  }
  return references;
}

function optional(schema: Schema): Schema {
  if (schema.optional && schema.defaultValue === null) return schema;
  return new Schema({ type: schema.type, optional: true, name: schema.name, version: schema.version, doc: schema.doc, parameters: schema.parameters });
}

/** The reference as found in `envelopeSchema`, or null when the event has no such field. */
export function resolveReference(reference: MetadataReference, envelopeSchema: Schema): ResolvedReference | null {
  const { struct, field } = reference;
  const block = struct === null ? envelopeSchema : envelopeSchema.field(struct)?.schema;
  const inBlock = block?.type === 'STRUCT' ? block.field(field) : null;
  const found = inBlock ?? envelopeSchema.field(field);
  if (found === null) return null;
  if (found.schema.type === 'STRUCT' || found.schema.type === 'ARRAY' || found.schema.type === 'MAP') {
    throw new DataError(`'${reference.entry}' names the ${found.schema.type.toLowerCase()} ${found.name}; name one of its fields instead, e.g. ${found.name}.<field>`);
  }
  const read = inBlock === null || struct === null
    ? (envelope: Struct) => envelope.getWithoutDefault(found)
    : (envelope: Struct) => {
      const holder = envelope.getWithoutDefault(struct);
      return holder instanceof Struct ? holder.getWithoutDefault(found) : null;
    };
  return { name: reference.name, schema: optional(found.schema), read };
}
