/**
 * The progress of an incremental snapshot in the source offset, under Debezium's key names, so
 * that a restarted task continues it:
 * - `incremental_snapshot_collections`: the tables still to read, the one in progress first, as
 *   Debezium writes it (a JSON list of objects with `incremental_snapshot_collections_id`,
 *   `_additional_condition`, `_surrogate_key`, `_correlation_id`);
 * - `incremental_snapshot_primary_key`: the key after which the next chunk starts (the last row
 *   emitted), in ferry's readable form (key-values.ts);
 * - `incremental_snapshot_maximum_key`: the largest key of the table in progress when it started;
 * - `incremental_snapshot_correlation_id`: the id of the signal that asked for the snapshot.
 *
 * Debezium's key fields are Java-serialized; an offset carrying them is read with the keys
 * dropped (the table in progress is read again from its beginning: duplicates, never a gap).
 */
import { decodeKey, encodeKey, isJavaSerialized, type KeyValues } from './key-values.js';

export const COLLECTIONS_KEY = 'incremental_snapshot_collections';
export const PRIMARY_KEY_KEY = 'incremental_snapshot_primary_key';
export const MAXIMUM_KEY_KEY = 'incremental_snapshot_maximum_key';
export const CORRELATION_ID_KEY = 'incremental_snapshot_correlation_id';

const ID = `${COLLECTIONS_KEY}_id`;
const CONDITION = `${COLLECTIONS_KEY}_additional_condition`;
const SURROGATE = `${COLLECTIONS_KEY}_surrogate_key`;
const CORRELATION = `${COLLECTIONS_KEY}_correlation_id`;

export interface SnapshotCollection {
  /** `db.table`. */
  readonly id: string;
  /** An SQL condition rows must satisfy (`additional-conditions`), or null. */
  readonly additionalCondition: string | null;
  /** The column to chunk by instead of the primary key (`surrogate-key`), or null. */
  readonly surrogateKey: string | null;
  readonly correlationId: string | null;
}

export interface IncrementalProgress {
  /** Tables still to read; the first is in progress. Empty: no incremental snapshot runs. */
  readonly collections: readonly SnapshotCollection[];
  /** The next chunk starts after this key (null: from the table's first row). */
  readonly lastKey: KeyValues | null;
  /** The table's largest key when its snapshot started (null: not read yet). */
  readonly maximumKey: KeyValues | null;
  readonly correlationId: string | null;
}

export const NO_PROGRESS: IncrementalProgress = { collections: [], lastKey: null, maximumKey: null, correlationId: null };

/** The offset keys of `progress` (none when no snapshot runs). */
export function encodeProgress(progress: IncrementalProgress): Record<string, string> {
  if (progress.collections.length === 0) return {};
  const map: Record<string, string> = {
    [COLLECTIONS_KEY]: JSON.stringify(progress.collections.map((c) => ({
      [ID]: c.id, [CONDITION]: c.additionalCondition, [SURROGATE]: c.surrogateKey, [CORRELATION]: c.correlationId,
    }))),
  };
  if (progress.lastKey !== null) map[PRIMARY_KEY_KEY] = encodeKey(progress.lastKey);
  if (progress.maximumKey !== null) map[MAXIMUM_KEY_KEY] = encodeKey(progress.maximumKey);
  if (progress.correlationId !== null) map[CORRELATION_ID_KEY] = progress.correlationId;
  return map;
}

export interface DecodedProgress {
  readonly progress: IncrementalProgress;
  /** Why part of the stored state could not be used (the caller logs it), or null. */
  readonly warning: string | null;
}

const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** Reads the keys back from a stored offset (Debezium's or ferry's). Throws on a malformed collection list. */
export function decodeProgress(offset: Readonly<Record<string, string>>): DecodedProgress {
  const list = offset[COLLECTIONS_KEY];
  if (list === undefined || list === '') return { progress: NO_PROGRESS, warning: null };
  let parsed: unknown;
  try {
    parsed = JSON.parse(list);
  } catch {
    throw new Error(`The stored offset's ${COLLECTIONS_KEY} is not JSON: ${list.slice(0, 200)}`);
  }
  if (!Array.isArray(parsed)) throw new Error(`The stored offset's ${COLLECTIONS_KEY} is not a list: ${list.slice(0, 200)}`);
  const collections = parsed.map((entry): SnapshotCollection => {
    const o = (entry ?? {}) as Record<string, unknown>;
    const id = text(o[ID]);
    if (id === null) throw new Error(`The stored offset's ${COLLECTIONS_KEY} has an entry without ${ID}: ${JSON.stringify(entry)}`);
    return { id, additionalCondition: text(o[CONDITION]), surrogateKey: text(o[SURROGATE]), correlationId: text(o[CORRELATION]) };
  });
  const warnings: string[] = [];
  const key = (name: string): KeyValues | null => {
    const value = offset[name];
    if (value === undefined || value === '') return null;
    if (isJavaSerialized(value)) {
      warnings.push(`${name} is in Debezium's Java-serialized form`);
      return null;
    }
    try {
      return decodeKey(value);
    } catch (error) {
      warnings.push(`${name} cannot be read (${(error as Error).message})`);
      return null;
    }
  };
  const lastKey = key(PRIMARY_KEY_KEY);
  const maximumKey = key(MAXIMUM_KEY_KEY);
  const usable = warnings.length === 0;
  return {
    progress: {
      collections,
      // Both keys or neither: a restart point without its bound (or the reverse) is not trusted.
      lastKey: usable ? lastKey : null,
      maximumKey: usable ? maximumKey : null,
      correlationId: text(offset[CORRELATION_ID_KEY]),
    },
    warning: usable ? null : `${warnings.join('; ')}: the incremental snapshot of ${collections[0]!.id} starts again from its first row`,
  };
}
