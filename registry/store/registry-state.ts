/**
 * The registry's state rebuilt from the `_schemas` topic (reference schema-registry.md §2.4):
 * every record is applied in offset order, on replay at start-up and as later writes arrive,
 * by every instance alike.
 *
 * Invariants:
 * - A schema id maps to one (type, canonical text, references) for as long as any version
 *   (live or soft-deleted) carries it; a SCHEMA record giving a known id a different schema is
 *   rejected (skipped), as Confluent's reader rejects "a schema with duplicate ID".
 * - The same (type, canonical text, references) has one id: `idOf(identity)`.
 * - `maxId` is the highest id ever applied; new ids are `maxId + 1`.
 * - The exact key bytes last read for each logical key are kept (`keyBytes`), so overwrites
 *   and tombstones replace them under compaction whatever byte form another writer used.
 */
import {
  decodeConfigValue, decodeDeleteSubjectValue, decodeKey, decodeModeValue, decodeSchemaValue, logicalKey,
  type ConfigValue, type SchemaReference, type SchemaType, type SchemaValue,
} from './schemas-topic-codec.js';

export type StoredVersion = SchemaValue;

export interface StoredSchema {
  readonly schemaType: SchemaType;
  readonly schema: string;
  readonly references: readonly SchemaReference[];
}

/** Why a record was skipped (for the reader's log); undefined when applied. */
export type ApplyProblem = string | undefined;

export function schemaIdentity(s: StoredSchema): string {
  return JSON.stringify([s.schemaType, s.schema, s.references.map((r) => [r.name, r.subject, r.version])]);
}

const GLOBAL = '\u0000global';

export class RegistryState {
  readonly #subjects = new Map<string, Map<number, StoredVersion>>();
  readonly #ids = new Map<number, { schema: StoredSchema; users: Set<string> }>();
  readonly #identities = new Map<string, number>();
  readonly #configs = new Map<string, ConfigValue>();
  readonly #modes = new Map<string, string>();
  readonly #keyBytes = new Map<string, Buffer>();
  #maxId = 0;

  get maxId(): number {
    return this.#maxId;
  }

  /** Applies one `_schemas` record. */
  apply(keyBytes: Buffer | null, value: Buffer | null): ApplyProblem {
    if (!keyBytes) return 'record without a key';
    const key = decodeKey(keyBytes);
    if (!key) return `unknown key ${keyBytes.toString('utf8').slice(0, 200)}`;
    const logical = logicalKey(key);
    if (value === null) this.#keyBytes.delete(logical);
    else this.#keyBytes.set(logical, keyBytes);
    switch (key.keytype) {
      case 'SCHEMA': {
        if (value === null) {
          this.#removeVersion(key.subject, key.version);
          return undefined;
        }
        const decoded = decodeSchemaValue(value);
        if (!decoded) return `unreadable schema value for ${logical}`;
        return this.#putVersion({ ...decoded, subject: key.subject, version: key.version });
      }
      case 'CONFIG':
      case 'MODE': {
        const scope = key.subject ?? GLOBAL;
        const target: Map<string, unknown> = key.keytype === 'CONFIG' ? this.#configs : this.#modes;
        if (value === null) {
          target.delete(scope);
          return undefined;
        }
        if (key.keytype === 'CONFIG') {
          const config = decodeConfigValue(value);
          if (!config) return `unreadable config value for ${logical}`;
          this.#configs.set(scope, config);
        } else {
          const mode = decodeModeValue(value);
          if (!mode) return `unreadable mode value for ${logical}`;
          this.#modes.set(scope, mode.mode);
        }
        return undefined;
      }
      case 'DELETE_SUBJECT': {
        const deleted = value === null ? undefined : decodeDeleteSubjectValue(value);
        if (!deleted) return undefined;
        for (const version of this.#subjects.get(key.subject)?.values() ?? []) {
          if (version.version <= deleted.version && !version.deleted) this.#putVersion({ ...version, deleted: true });
        }
        return undefined;
      }
      case 'CLEAR_SUBJECT': {
        for (const version of [...this.#subjects.get(key.subject)?.values() ?? []]) {
          if (version.deleted) this.#removeVersion(version.subject, version.version);
        }
        return undefined;
      }
      case 'NOOP':
      case 'CONTEXT':
        return undefined;
    }
  }

  #putVersion(version: StoredVersion): ApplyProblem {
    const schema: StoredSchema = { schemaType: version.schemaType, schema: version.schema, references: version.references };
    const identity = schemaIdentity(schema);
    const known = this.#ids.get(version.id);
    if (known && schemaIdentity(known.schema) !== identity) return `Found a schema with duplicate ID ${version.id}`;
    const previous = this.#subjects.get(version.subject)?.get(version.version);
    if (previous && previous.id !== version.id) this.#removeVersion(version.subject, version.version);
    let versions = this.#subjects.get(version.subject);
    if (!versions) {
      versions = new Map();
      this.#subjects.set(version.subject, versions);
    }
    versions.set(version.version, version);
    const user = JSON.stringify([version.subject, version.version]);
    if (known) known.users.add(user);
    else this.#ids.set(version.id, { schema, users: new Set([user]) });
    if (!this.#identities.has(identity)) this.#identities.set(identity, version.id);
    this.#maxId = Math.max(this.#maxId, version.id);
    return undefined;
  }

  #removeVersion(subject: string, versionNumber: number): void {
    const versions = this.#subjects.get(subject);
    const version = versions?.get(versionNumber);
    if (!versions || !version) return;
    versions.delete(versionNumber);
    if (versions.size === 0) this.#subjects.delete(subject);
    const entry = this.#ids.get(version.id);
    if (!entry) return;
    entry.users.delete(JSON.stringify([subject, versionNumber]));
    if (entry.users.size > 0) return;
    this.#ids.delete(version.id);
    const identity = schemaIdentity(entry.schema);
    if (this.#identities.get(identity) === version.id) this.#identities.delete(identity);
  }

  /** The exact bytes last read for a logical key (see logicalKey), if any. */
  keyBytes(logical: string): Buffer | undefined {
    return this.#keyBytes.get(logical);
  }

  /** Every subject with at least one stored version (live or soft-deleted), sorted. */
  subjectNames(): string[] {
    return [...this.#subjects.keys()].sort();
  }

  /** The subject's stored versions (live and soft-deleted), ascending. */
  versions(subject: string): StoredVersion[] {
    return [...this.#subjects.get(subject)?.values() ?? []].sort((a, b) => a.version - b.version);
  }

  liveVersions(subject: string): StoredVersion[] {
    return this.versions(subject).filter((v) => !v.deleted);
  }

  version(subject: string, version: number): StoredVersion | undefined {
    return this.#subjects.get(subject)?.get(version);
  }

  schemaById(id: number): StoredSchema | undefined {
    return this.#ids.get(id)?.schema;
  }

  /** Every stored version carrying the id, by subject then version. */
  versionsWithId(id: number): StoredVersion[] {
    const users = [...this.#ids.get(id)?.users ?? []].map((u) => JSON.parse(u) as [string, number]);
    return users.map(([s, v]) => this.version(s, v)!).filter(Boolean)
      .sort((a, b) => (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : a.version - b.version));
  }

  idOf(schema: StoredSchema): number | undefined {
    return this.#identities.get(schemaIdentity(schema));
  }

  /** Every stored version whose references name this subject version. */
  referencedBy(subject: string, version: number): StoredVersion[] {
    const out: StoredVersion[] = [];
    for (const versions of this.#subjects.values()) {
      for (const v of versions.values()) {
        if (v.references.some((r) => r.subject === subject && r.version === version)) out.push(v);
      }
    }
    return out;
  }

  /** A subject's config (null: the global one). */
  config(subject: string | null): ConfigValue | undefined {
    return this.#configs.get(subject ?? GLOBAL);
  }

  mode(subject: string | null): string | undefined {
    return this.#modes.get(subject ?? GLOBAL);
  }
}
