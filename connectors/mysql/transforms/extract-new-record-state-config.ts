/**
 * The keys of Debezium's `io.debezium.transforms.ExtractNewRecordState`, declared once: they drive
 * `configure`, the REST validate endpoint and the generated reference in connectors/mysql/README.md.
 *
 * Defaults follow Debezium 3.x: `delete.tombstone.handling.mode=tombstone`. The keys Debezium 2.x
 * used instead (`drop.tombstones`, `delete.handling.mode`) are still accepted and mean what they
 * meant there, but only while `delete.tombstone.handling.mode` is not set (see `deleteBehaviourOf`).
 */
import type { RawConfig } from '../../sdk/connector.js';
import { boolean, choice, defineConfig, list, string, type ParsedConfig } from '../../sdk/config/config-spec.js';
import { validator } from '../../sdk/config/validators.js';
import { parseMetadataReferences } from './metadata-reference.js';

export const DELETE_TOMBSTONE_HANDLING_MODES = ['drop', 'tombstone', 'rewrite', 'rewrite-with-tombstone', 'delete-to-tombstone'] as const;
export type DeleteTombstoneHandlingMode = (typeof DELETE_TOMBSTONE_HANDLING_MODES)[number];

const HANDLING_KEY = 'delete.tombstone.handling.mode';

/** Entries must parse; for add.fields no two may write the same field. */
function metadataEntries(uniqueNames: boolean) {
  return validator((entries: readonly string[]) => {
    try {
      parseMetadataReferences(entries, '', uniqueNames);
      return undefined;
    } catch (err) {
      return (err as Error).message;
    }
  }, 'entries field, struct.field, field:name or struct.field:name');
}

const LEGACY_KEYS = ['drop.tombstones', 'delete.handling.mode'] as const;

export const extractNewRecordStateSpec = defineConfig({
  [HANDLING_KEY]: choice({
    values: DELETE_TOMBSTONE_HANDLING_MODES,
    caseInsensitive: true,
    default: 'tombstone',
    importance: 'MEDIUM',
    width: 'MEDIUM',
    doc: 'What becomes of delete events and of the tombstones that follow them. drop: both are removed. '
      + 'tombstone: the delete event is kept with a null value (its value schema stays the row schema) and the '
      + 'tombstone is removed. rewrite: the delete event carries the deleted row (its before image) with '
      + '__deleted="true", inserts and updates get __deleted="false", and the tombstone is removed. '
      + 'rewrite-with-tombstone: as rewrite, but the tombstone is kept. delete-to-tombstone: the delete event '
      + 'becomes a real tombstone (null value and null value schema) and the original tombstone is removed.',
  }),
  'route.by.field': string({
    default: '', importance: 'LOW', width: 'LONG',
    doc: 'A string column of the row whose value becomes the record\'s topic (taken from the before image for '
      + 'deletes). Empty keeps the topic; so does a null or blank column value.',
  }),
  'add.fields.prefix': string({
    default: '__', importance: 'LOW', width: 'SHORT',
    doc: 'Put in front of every field name add.fields adds.',
  }),
  'add.fields': list({
    default: [], omitEmpty: true, importance: 'LOW', width: 'LONG', validator: metadataEntries(true),
    doc: 'Change event metadata to append to the flattened value, as a comma-separated list. op, ts_ms, ts_us '
      + 'and ts_ns are read from the envelope, id, total_order and data_collection_order from its transaction '
      + 'block, any other name from its source block (db, table, file, pos, gtid, ts_ms, ...); struct.field '
      + 'names the block explicitly (source.ts_ms). A field is named by the prefix and the name (__table), or by '
      + 'the prefix, the block, an underscore and the name when the block is given (__source_ts_ms); field:name '
      + 'chooses what follows the prefix (case kept). Names the event does not have are left out. Deletes get '
      + 'these fields only in the rewrite modes.',
  }),
  'add.headers.prefix': string({
    default: '__', importance: 'LOW', width: 'SHORT',
    doc: 'Put in front of every header name add.headers adds.',
  }),
  'add.headers': list({
    default: [], omitEmpty: true, importance: 'LOW', width: 'LONG', validator: metadataEntries(false),
    doc: 'Change event metadata to add as headers, named and looked up as add.fields does. Kept tombstones get '
      + 'only the op header, with the value "d".',
  }),
  'drop.fields.header.name': string({
    default: null, importance: 'LOW', width: 'SHORT',
    doc: 'A header holding a list of field names to remove from the flattened value (set by an earlier transform). '
      + 'Unset removes nothing.',
  }),
  'drop.fields.from.key': boolean({
    default: false, importance: 'LOW', width: 'SHORT',
    doc: 'Whether the fields named in drop.fields.header.name are removed from the key as well.',
  }),
  'drop.fields.keep.schema.compatible': boolean({
    default: true, importance: 'LOW', width: 'SHORT',
    doc: 'true removes only the named fields that are optional, so the resulting schemas stay compatible with the '
      + 'full ones; false removes every named field.',
  }),
  'replace.null.with.default': boolean({
    default: true, importance: 'LOW', width: 'SHORT',
    doc: 'In the rewrite modes, whether a null column whose schema has a default is written as that default.',
  }),
  'drop.tombstones': boolean({
    default: true, importance: 'LOW', width: 'SHORT', deprecated: HANDLING_KEY,
    doc: 'Debezium 2.x: false keeps tombstones. Used only while delete.tombstone.handling.mode is not set.',
  }),
  'delete.handling.mode': choice({
    values: ['drop', 'rewrite', 'none'], caseInsensitive: true, default: 'drop', importance: 'LOW', width: 'MEDIUM',
    deprecated: HANDLING_KEY,
    doc: 'Debezium 2.x: drop removes delete events, none keeps them with a null value, rewrite keeps the deleted row '
      + 'with __deleted as the rewrite mode does. Used only while delete.tombstone.handling.mode is not set.',
  }),
});

export type ExtractNewRecordStateConfig = ParsedConfig<typeof extractNewRecordStateSpec>;

/** How deletes and tombstones are treated, whichever keys said so. */
export interface DeleteBehaviour {
  /** drop; null-value (the row schema stays); tombstone (no schema either); rewrite (before image + `__deleted`). */
  readonly deletes: 'drop' | 'null-value' | 'tombstone' | 'rewrite';
  /** Whether tombstones arriving from the connector are passed on. */
  readonly keepTombstones: boolean;
}

const MODES: Readonly<Record<DeleteTombstoneHandlingMode, DeleteBehaviour>> = {
  'drop': { deletes: 'drop', keepTombstones: false },
  'tombstone': { deletes: 'null-value', keepTombstones: false },
  'rewrite': { deletes: 'rewrite', keepTombstones: false },
  'rewrite-with-tombstone': { deletes: 'rewrite', keepTombstones: true },
  'delete-to-tombstone': { deletes: 'tombstone', keepTombstones: false },
};

const LEGACY_DELETES = { drop: 'drop', none: 'null-value', rewrite: 'rewrite' } as const;

function isSet(raw: RawConfig, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(raw, key) && raw[key] !== undefined && raw[key] !== null;
}

/**
 * `delete.tombstone.handling.mode` when it is set or when neither legacy key is; otherwise the
 * legacy pair, each at its Debezium 2.x default when unset (so `drop.tombstones=false` alone still
 * drops delete events, as it did there).
 */
export function deleteBehaviourOf(config: ExtractNewRecordStateConfig, raw: RawConfig): DeleteBehaviour {
  if (isSet(raw, HANDLING_KEY) || !LEGACY_KEYS.some((key) => isSet(raw, key))) return MODES[config.deleteTombstoneHandlingMode];
  return { deletes: LEGACY_DELETES[config.deleteHandlingMode], keepTombstones: !config.dropTombstones };
}
