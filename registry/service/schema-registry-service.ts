/**
 * Confluent Schema Registry's behaviour over the `_schemas` state (reference schema-registry.md
 * §1.3, §1.4): registration with identity and compatibility, lookup, versions, soft and hard
 * deletes, config and modes. Answers are the REST entities (7.x shapes: `schemaType` left out
 * for Avro, `{"id":N}` for a registration); failures are RegistryErrors with Confluent's codes.
 *
 * Writes run one at a time through one queue (Confluent holds one lock for all subjects): each
 * first reads `_schemas` to its end, decides on that state, writes, and returns only once its
 * records are applied locally, so a client reads its own writes. Only the leader writes: the
 * REST layer forwards writes reaching a follower.
 *
 * Only the default context (`.`) is kept; a subject written `:.:name` is `name`.
 */
import type { SchemasStore, StoreRecord } from '../store/schemas-store.js';
import type { StoredSchema, StoredVersion } from '../store/registry-state.js';
import {
  encodeConfigValue, encodeDeleteSubjectValue, encodeModeValue, encodeSchemaValue, type ConfigValue, type SchemaReference, type SchemaType,
} from '../store/schemas-topic-codec.js';
import {
  RegistryError, incompatibleSchema, leaderNotKnown, invalidCompatibilityLevel, invalidMode, invalidSchema, invalidSubject, invalidVersion,
  operationNotPermitted, referenceExists, schemaNotFound, subjectConfigNotFound, subjectModeNotFound, subjectNotFound,
  subjectNotSoftDeleted, subjectSoftDeleted, versionNotFound, versionNotSoftDeleted, versionSoftDeleted,
} from './registry-errors.js';
import { COMPATIBILITY_LEVELS, type CompatibilityLevel, type ProvidedSchema, type ReferenceLookup, type SchemaProvider } from './schema-provider.js';

export const SCHEMA_TYPES: readonly SchemaType[] = ['JSON', 'PROTOBUF', 'AVRO'];
export const MODES = ['READWRITE', 'READONLY', 'READONLY_OVERRIDE', 'IMPORT', 'FORWARD'] as const;
const MAX_VERSION = 2 ** 31 - 1;

export interface RegisterSchemaRequest {
  readonly schema?: string;
  readonly schemaType?: string;
  readonly references?: readonly SchemaReference[];
  readonly version?: number;
  readonly id?: number;
}

/** The subject-version view (Confluent's `Schema` entity). */
export interface SchemaEntity {
  subject: string;
  version: number;
  id: number;
  schemaType?: SchemaType;
  references?: SchemaReference[];
  schema: string;
}

/** The by-id view (Confluent's `SchemaString`). */
export interface SchemaStringEntity {
  schemaType?: SchemaType;
  schema: string;
  references?: SchemaReference[];
  maxId?: number;
}

export interface ConfigEntity {
  compatibilityLevel?: string;
  normalize?: boolean;
}

export interface ConfigUpdate {
  compatibility?: string | null;
  compatibilityLevel?: string | null;
  normalize?: boolean | null;
}

export interface CompatibilityAnswer {
  is_compatible: boolean;
  messages?: string[];
}

export interface ListOptions {
  readonly deleted?: boolean;
  readonly deletedOnly?: boolean;
  /** Versions: soft-deleted ones as negative numbers (8.2+). */
  readonly deletedAsNegative?: boolean;
  readonly subjectPrefix?: string;
  readonly latestOnly?: boolean;
  readonly offset?: number;
  readonly limit?: number;
}

/** `latest`, `-1` or a version number, as the path gives it. */
export type VersionParam = string;

export interface ServiceOptions {
  readonly store: SchemasStore;
  readonly provider: SchemaProvider;
  /** schema.compatibility.level: the level when neither subject nor global config sets one. */
  readonly defaultCompatibility?: CompatibilityLevel;
  /** Whether this instance may write now (it leads); checked again when a queued write runs. Always true when absent. */
  readonly mayWrite?: () => boolean;
}

function entityOf(v: StoredVersion): SchemaEntity {
  return {
    subject: v.subject, version: v.version, id: v.id,
    ...(v.schemaType === 'AVRO' ? {} : { schemaType: v.schemaType }),
    ...(v.references.length > 0 ? { references: v.references.map((r) => ({ ...r })) } : {}),
    schema: v.schema,
  };
}

function page<T>(items: T[], options: ListOptions): T[] {
  const offset = Math.max(0, options.offset ?? 0);
  const limit = options.limit === undefined || options.limit < 0 ? undefined : options.limit;
  return items.slice(offset, limit === undefined ? undefined : offset + limit);
}

/** Strips the default context prefix `:.:`; other contexts keep their qualified name. */
export function unqualified(subject: string): string {
  return subject.startsWith(':.:') ? subject.slice(3) : subject;
}

export function checkSubjectName(subject: string): string {
  const name = unqualified(subject);
  // eslint-disable-next-line no-control-regex
  if (name === '' || /[\u0000-\u001f\u007f-\u009f]/.test(name) || name === '__GLOBAL' || name === '__EMPTY') throw invalidSubject(subject);
  return name;
}

function parseLevel(value: unknown): CompatibilityLevel {
  const upper = typeof value === 'string' ? value.trim().toUpperCase() : '';
  const level = COMPATIBILITY_LEVELS.find((l) => l === upper);
  if (!level) throw invalidCompatibilityLevel();
  return level;
}

export class SchemaRegistryService {
  readonly #store: SchemasStore;
  readonly #provider: SchemaProvider;
  readonly #defaultLevel: CompatibilityLevel;
  readonly #mayWrite: () => boolean;
  #queue: Promise<unknown> = Promise.resolve();
  readonly #parsed = new Map<number, ProvidedSchema>();

  constructor(options: ServiceOptions) {
    this.#store = options.store;
    this.#provider = options.provider;
    this.#defaultLevel = options.defaultCompatibility ?? 'BACKWARD';
    this.#mayWrite = options.mayWrite ?? (() => true);
  }

  get #state() {
    return this.#store.state;
  }

  /**
   * Runs a write after every earlier one, on a state read to the end of `_schemas`, only while
   * this instance leads (a leadership lost while the write waited in the queue answers 50004).
   */
  #write<T>(operation: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(async () => {
      if (!this.#mayWrite()) throw leaderNotKnown();
      await this.#store.catchUp();
      return operation();
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }

  // ------------------------------------------------------------------ schemas by id

  schemaTypes(): SchemaType[] {
    return [...SCHEMA_TYPES];
  }

  schemaById(id: number, options: { fetchMaxId?: boolean } = {}): SchemaStringEntity {
    const schema = this.#state.schemaById(id);
    if (!schema) throw schemaNotFound(id);
    return {
      ...(schema.schemaType === 'AVRO' ? {} : { schemaType: schema.schemaType }),
      schema: schema.schema,
      ...(schema.references.length > 0 ? { references: schema.references.map((r) => ({ ...r })) } : {}),
      ...(options.fetchMaxId ? { maxId: this.#state.maxId } : {}),
    };
  }

  #versionsWithId(id: number, options: ListOptions): StoredVersion[] {
    if (!this.#state.schemaById(id)) throw schemaNotFound(id);
    return this.#state.versionsWithId(id).filter((v) => options.deleted || !v.deleted);
  }

  subjectsForId(id: number, options: ListOptions = {}): string[] {
    return page([...new Set(this.#versionsWithId(id, options).map((v) => v.subject))], options);
  }

  versionsForId(id: number, options: ListOptions = {}): { subject: string; version: number }[] {
    return page(this.#versionsWithId(id, options).map((v) => ({ subject: v.subject, version: v.version })), options);
  }

  listSchemas(options: ListOptions = {}): SchemaEntity[] {
    const prefix = options.subjectPrefix === undefined ? '' : unqualified(options.subjectPrefix);
    const out: SchemaEntity[] = [];
    for (const subject of this.#state.subjectNames()) {
      if (!subject.startsWith(prefix)) continue;
      const versions = this.#state.versions(subject).filter((v) => options.deleted || !v.deleted);
      for (const v of options.latestOnly ? versions.slice(-1) : versions) out.push(entityOf(v));
    }
    return page(out, options);
  }

  // ------------------------------------------------------------------ subjects and versions

  listSubjects(options: ListOptions = {}): string[] {
    const prefix = options.subjectPrefix === undefined || options.subjectPrefix === ':*:' ? '' : unqualified(options.subjectPrefix);
    const names = this.#state.subjectNames().filter((s) => s.startsWith(prefix)).filter((s) => {
      const live = this.#state.liveVersions(s).length > 0;
      if (options.deletedOnly) return !live;
      return live || options.deleted === true;
    });
    return page(names, options);
  }

  listVersions(subject: string, options: ListOptions = {}): number[] {
    const name = unqualified(subject);
    const all = this.#state.versions(name);
    const lookDeleted = options.deleted || options.deletedOnly || options.deletedAsNegative;
    if (all.length === 0 || (!lookDeleted && all.every((v) => v.deleted))) throw subjectNotFound(name);
    if (options.deletedAsNegative) return page(all.map((v) => (v.deleted ? -v.version : v.version)), options);
    const chosen = all.filter((v) => (options.deletedOnly ? v.deleted : options.deleted || !v.deleted));
    return page(chosen.map((v) => v.version), options);
  }

  /** Parses a path version: `latest` (any case), `-1`, or 1..2^31-1; undefined means latest. */
  static parseVersion(param: VersionParam): number | undefined {
    const text = param.trim();
    if (text.toLowerCase() === 'latest' || text === '-1') return undefined;
    if (!/^\d+$/.test(text)) throw invalidVersion(param);
    const n = Number(text);
    if (n < 1 || n > MAX_VERSION) throw invalidVersion(param);
    return n;
  }

  #resolveVersion(subject: string, param: VersionParam, includeDeleted: boolean): StoredVersion {
    const number = SchemaRegistryService.parseVersion(param);
    const all = this.#state.versions(subject);
    const visible = all.filter((v) => includeDeleted || !v.deleted);
    if (visible.length === 0) throw subjectNotFound(subject);
    const found = number === undefined ? visible.at(-1) : visible.find((v) => v.version === number);
    if (!found) throw versionNotFound(number ?? param);
    return found;
  }

  getVersion(subject: string, param: VersionParam, options: { deleted?: boolean } = {}): SchemaEntity {
    return entityOf(this.#resolveVersion(unqualified(subject), param, options.deleted === true));
  }

  referencedBy(subject: string, param: VersionParam, options: ListOptions = {}): number[] {
    const version = this.#resolveVersion(unqualified(subject), param, true);
    const ids = this.#state.referencedBy(version.subject, version.version).filter((v) => options.deleted || !v.deleted).map((v) => v.id);
    return page([...new Set(ids)].sort((a, b) => a - b), options);
  }

  // ------------------------------------------------------------------ parsing

  #schemaTypeOf(request: RegisterSchemaRequest): SchemaType {
    const type = (request.schemaType ?? 'AVRO').toUpperCase();
    const known = SCHEMA_TYPES.find((t) => t === type);
    if (!known) throw invalidSchema(`Invalid schema type ${request.schemaType}; valid types are ${SCHEMA_TYPES.join(', ')}`);
    return known;
  }

  /** Looks references up in the store: live versions only when registering, soft-deleted ones too for stored schemas. */
  #lookup(includeDeleted: boolean): ReferenceLookup {
    return (ref) => {
      const version = this.#state.version(ref.subject, ref.version);
      return version && (includeDeleted || !version.deleted)
        ? { schemaType: version.schemaType, schema: version.schema, references: version.references }
        : undefined;
    };
  }

  /** Parses with the provider; an invalid schema is 42201 with the provider's message. */
  #parse(schemaType: SchemaType, text: string, references: readonly SchemaReference[], includeDeleted: boolean, normalize = false): ProvidedSchema {
    try {
      return this.#provider.parse(schemaType, text, references, this.#lookup(includeDeleted), normalize);
    } catch (err) {
      if (err instanceof Error && (err as { errorCode?: unknown }).errorCode === 42201) throw invalidSchema(err.message);
      throw err;
    }
  }

  /** Whether a subject's schemas are normalized without being asked: its config's `normalize`, else the global one's. */
  #normalizes(subject: string): boolean {
    return this.#state.config(subject)?.normalize ?? this.#state.config(null)?.normalize ?? false;
  }

  /**
   * Parses a request's schema: the provider's parse and the identity it would be stored under,
   * normalized (Confluent's normal form) when asked or configured for the subject.
   */
  #parseRequest(request: RegisterSchemaRequest, subject: string, normalize = false): { stored: StoredSchema; parsed: ProvidedSchema } {
    const schemaType = this.#schemaTypeOf(request);
    if (typeof request.schema !== 'string' || request.schema.trim() === '') throw invalidSchema(`Invalid schema of type ${schemaType}, details: Empty schema`);
    const references = (request.references ?? []).map((r) => ({ name: r.name, subject: r.subject, version: r.version }));
    for (const ref of references) {
      if (!this.#lookup(false)(ref)) {
        throw invalidSchema(`Invalid schema of type ${schemaType}, details: the reference ${ref.name} names ${ref.subject} version ${ref.version}, which does not exist`);
      }
    }
    const parsed = this.#parse(schemaType, request.schema, references, false, normalize || this.#normalizes(subject));
    return { stored: { schemaType, schema: parsed.canonicalText, references: [...parsed.references ?? references] }, parsed };
  }

  /** A stored version parsed again (cached by id), for compatibility checks. */
  #parsedVersion(version: StoredVersion): ProvidedSchema {
    let parsed = this.#parsed.get(version.id);
    if (!parsed) {
      parsed = this.#parse(version.schemaType, version.schema, version.references, true);
      this.#parsed.set(version.id, parsed);
    }
    return { ...parsed, version: version.version };
  }

  // ------------------------------------------------------------------ compatibility

  /** The level in force for a subject: subject config, then global config, then the server default. */
  effectiveLevel(subject: string): CompatibilityLevel {
    const level = this.#state.config(subject)?.compatibilityLevel ?? this.#state.config(null)?.compatibilityLevel;
    const known = COMPATIBILITY_LEVELS.find((l) => l === level);
    return known ?? this.#defaultLevel;
  }

  /** Confluent's messages for every incompatibility of `candidate` with the earlier versions `previous` (oldest first). */
  #incompatibilities(candidate: { parsed: ProvidedSchema }, previous: readonly StoredVersion[], level: CompatibilityLevel): string[] {
    if (level === 'NONE' || previous.length === 0) return [];
    return this.#provider.check(candidate.parsed, previous.map((v) => this.#parsedVersion(v)), level);
  }

  testCompatibility(
    subject: string, param: VersionParam | undefined, request: RegisterSchemaRequest, options: { verbose?: boolean; normalize?: boolean } = {},
  ): CompatibilityAnswer {
    const name = unqualified(subject);
    let candidate;
    try {
      candidate = this.#parseRequest(request, name, options.normalize);
    } catch (err) {
      if (options.verbose && err instanceof RegistryError && err.errorCode === 42201) return { is_compatible: false, messages: [err.message] };
      throw err;
    }
    let previous: StoredVersion[];
    if (param === undefined) {
      previous = this.#state.liveVersions(name);
    } else {
      const number = SchemaRegistryService.parseVersion(param);
      const live = this.#state.liveVersions(name);
      if (number === undefined) {
        previous = live.slice(-1);
      } else {
        const found = live.find((v) => v.version === number);
        if (!found) throw versionNotFound(number);
        previous = [found];
      }
    }
    const messages = this.#incompatibilities(candidate, previous, this.effectiveLevel(name));
    return { is_compatible: messages.length === 0, ...(options.verbose ? { messages } : {}) };
  }

  // ------------------------------------------------------------------ lookup and register

  lookup(subject: string, request: RegisterSchemaRequest, options: { deleted?: boolean; normalize?: boolean } = {}): SchemaEntity {
    const name = unqualified(subject);
    const versions = this.#state.versions(name).filter((v) => options.deleted || !v.deleted);
    if (versions.length === 0) throw subjectNotFound(name);
    const { stored } = this.#parseRequest(request, name, options.normalize);
    const id = this.#state.idOf(stored);
    const match = id === undefined ? undefined : versions.filter((v) => v.id === id).at(-1);
    if (!match) throw schemaNotFound();
    return entityOf(match);
  }

  effectiveMode(subject: string | null): string {
    return (subject === null ? undefined : this.#state.mode(subject)) ?? this.#state.mode(null) ?? 'READWRITE';
  }

  #assertWritable(subject: string | null): void {
    const mode = this.effectiveMode(subject);
    if (mode === 'READONLY' || mode === 'READONLY_OVERRIDE') {
      throw operationNotPermitted(subject === null ? 'The registry is in read-only mode' : `Subject ${subject} in context . is in read-only mode`);
    }
  }

  register(subject: string, request: RegisterSchemaRequest, options: { normalize?: boolean } = {}): Promise<{ id: number }> {
    const name = checkSubjectName(subject);
    return this.#write(async () => {
      this.#assertWritable(name);
      const mode = this.effectiveMode(name);
      const importing = mode === 'IMPORT';
      if (request.id !== undefined && !importing) throw operationNotPermitted(`Subject ${name} in context . is not in import mode`);
      if (request.id === undefined && importing) throw operationNotPermitted(`Subject ${name} in context . is not in read-write mode`);
      const candidate = this.#parseRequest(request, name, options.normalize);
      const all = this.#state.versions(name);
      const live = all.filter((v) => !v.deleted);
      const knownId = this.#state.idOf(candidate.stored);
      const existing = knownId === undefined ? undefined : live.find((v) => v.id === knownId);
      if (existing && (request.id === undefined || request.id === existing.id)) return { id: existing.id };

      if (!importing && mode !== 'FORWARD') {
        const messages = this.#incompatibilities(candidate, live, this.effectiveLevel(name));
        if (messages.length > 0) throw incompatibleSchema(name, messages);
      }
      const next = (all.at(-1)?.version ?? 0) + 1;
      let version = next;
      if (request.version !== undefined && request.version !== next) {
        if (!importing) throw invalidSchema('Version is not one more than previous version');
        version = request.version;
      }
      let id = knownId ?? this.#state.maxId + 1;
      if (importing && request.id !== undefined) {
        const taken = this.#state.schemaById(request.id);
        if (taken && this.#state.idOf(taken) !== this.#state.idOf(candidate.stored)) {
          throw operationNotPermitted(`Overwrite new schema with id ${request.id} in context . is not permitted.`);
        }
        if (knownId !== undefined && knownId !== request.id) {
          throw new RegistryError(422, 42207, 'The ID of an imported schema does not match the existing ID');
        }
        id = request.id;
      }
      const records: StoreRecord[] = [];
      for (const old of all) {
        if (old.deleted && old.id === id && this.#state.referencedBy(old.subject, old.version).length === 0) {
          records.push({ key: { keytype: 'SCHEMA', subject: name, version: old.version }, value: null });
        }
      }
      records.push({
        key: { keytype: 'SCHEMA', subject: name, version },
        value: encodeSchemaValue({ subject: name, version, id, ...candidate.stored, deleted: false }),
      });
      await this.#store.write(records);
      return { id };
    });
  }

  // ------------------------------------------------------------------ deletes

  /** Referencing versions outside `subject` (whole-subject deletes allow references from the subject itself). */
  #assertNotReferenced(versions: readonly StoredVersion[], exceptSubject: string | null): void {
    for (const v of versions) {
      const refs = this.#state.referencedBy(v.subject, v.version).filter((r) => !r.deleted && r.subject !== exceptSubject);
      if (refs.length > 0) throw referenceExists(JSON.stringify(entityOf(v)));
    }
  }

  deleteSubject(subject: string, options: { permanent?: boolean } = {}): Promise<number[]> {
    const name = unqualified(subject);
    return this.#write(async () => {
      const all = this.#state.versions(name);
      if (all.length === 0) throw subjectNotFound(name);
      this.#assertWritable(name);
      const live = all.filter((v) => !v.deleted);
      if (!options.permanent) {
        if (live.length === 0) throw subjectSoftDeleted(name);
        this.#assertNotReferenced(live, name);
        await this.#store.write([{
          key: { keytype: 'DELETE_SUBJECT', subject: name },
          value: encodeDeleteSubjectValue(name, live.at(-1)!.version),
        }]);
        return live.map((v) => v.version);
      }
      if (live.length > 0) throw subjectNotSoftDeleted(name);
      this.#assertNotReferenced(all, name);
      const records: StoreRecord[] = [...all].reverse().map((v) => ({ key: { keytype: 'SCHEMA', subject: name, version: v.version }, value: null }));
      records.push(...this.#subjectSettingTombstones(name));
      await this.#store.write(records);
      return all.map((v) => v.version);
    });
  }

  #subjectSettingTombstones(subject: string): StoreRecord[] {
    const out: StoreRecord[] = [];
    if (this.#state.config(subject)) out.push({ key: { keytype: 'CONFIG', subject }, value: null });
    if (this.#state.mode(subject)) out.push({ key: { keytype: 'MODE', subject }, value: null });
    return out;
  }

  deleteVersion(subject: string, param: VersionParam, options: { permanent?: boolean } = {}): Promise<number> {
    const name = unqualified(subject);
    const number = SchemaRegistryService.parseVersion(param);
    return this.#write(async () => {
      const all = this.#state.versions(name);
      if (all.length === 0) throw subjectNotFound(name);
      this.#assertWritable(name);
      const candidates = options.permanent ? all : all.filter((v) => !v.deleted);
      const version = number === undefined ? candidates.at(-1) : all.find((v) => v.version === number);
      if (!version) throw versionNotFound(number ?? param);
      this.#assertNotReferenced([version], null);
      if (!options.permanent) {
        if (version.deleted) throw versionSoftDeleted(name, version.version);
        await this.#store.write([{
          key: { keytype: 'SCHEMA', subject: name, version: version.version },
          value: encodeSchemaValue({ ...version, deleted: true }),
        }]);
        return version.version;
      }
      if (!version.deleted) throw versionNotSoftDeleted(name, version.version);
      const records: StoreRecord[] = [{ key: { keytype: 'SCHEMA', subject: name, version: version.version }, value: null }];
      if (all.length === 1) records.push(...this.#subjectSettingTombstones(name));
      await this.#store.write(records);
      return version.version;
    });
  }

  // ------------------------------------------------------------------ config

  #configEntity(config: ConfigValue): ConfigEntity {
    return {
      ...(config.normalize !== undefined ? { normalize: config.normalize } : {}),
      ...(config.compatibilityLevel !== undefined ? { compatibilityLevel: config.compatibilityLevel } : {}),
    };
  }

  getConfig(subject: string | null, options: { defaultToGlobal?: boolean } = {}): ConfigEntity {
    const name = subject === null ? null : unqualified(subject);
    const own = this.#state.config(name);
    if (own) return this.#configEntity(own);
    if (name !== null && !options.defaultToGlobal) throw subjectConfigNotFound(name);
    const global = this.#state.config(null);
    return global ? this.#configEntity(global) : { compatibilityLevel: this.#defaultLevel };
  }

  putConfig(subject: string | null, update: ConfigUpdate): Promise<ConfigUpdate> {
    const name = subject === null ? null : checkSubjectName(subject);
    const levelGiven = 'compatibility' in update ? update.compatibility : update.compatibilityLevel;
    const level = levelGiven === undefined || levelGiven === null ? levelGiven : parseLevel(levelGiven);
    return this.#write(async () => {
      this.#assertWritable(name);
      const old: ConfigValue = this.#state.config(name) ?? {};
      const merged: Record<string, unknown> = { ...old };
      if (level === null) delete merged.compatibilityLevel;
      else if (level !== undefined) merged.compatibilityLevel = level;
      if (update.normalize === null) delete merged.normalize;
      else if (update.normalize !== undefined) merged.normalize = update.normalize;
      await this.#store.write([{ key: { keytype: 'CONFIG', subject: name }, value: encodeConfigValue(name, merged) }]);
      return {
        ...(typeof merged.normalize === 'boolean' ? { normalize: merged.normalize } : {}),
        ...(typeof merged.compatibilityLevel === 'string' ? { compatibility: merged.compatibilityLevel } : {}),
      };
    });
  }

  deleteConfig(subject: string | null): Promise<ConfigEntity> {
    const name = subject === null ? null : unqualified(subject);
    return this.#write(async () => {
      const own = this.#state.config(name);
      if (!own) {
        if (name !== null) throw subjectNotFound(name);
        return { compatibilityLevel: this.#defaultLevel };
      }
      this.#assertWritable(name);
      await this.#store.write([{ key: { keytype: 'CONFIG', subject: name }, value: null }]);
      return this.#configEntity(own);
    });
  }

  // ------------------------------------------------------------------ modes

  getMode(subject: string | null, options: { defaultToGlobal?: boolean } = {}): { mode: string } {
    const name = subject === null ? null : unqualified(subject);
    const own = this.#state.mode(name);
    if (own) return { mode: own };
    if (name !== null && !options.defaultToGlobal) throw subjectModeNotFound(name);
    return { mode: this.#state.mode(null) ?? 'READWRITE' };
  }

  putMode(subject: string | null, requested: unknown, options: { force?: boolean } = {}): Promise<{ mode: string }> {
    const name = subject === null ? null : checkSubjectName(subject);
    const mode = typeof requested === 'string' ? MODES.find((m) => m === requested.trim().toUpperCase()) : undefined;
    if (!mode || (mode === 'FORWARD' && name !== null)) throw invalidMode();
    return this.#write(async () => {
      if (mode === 'IMPORT' && !options.force) {
        const scope = name === null ? this.#state.subjectNames() : [name];
        if (scope.some((s) => this.#state.liveVersions(s).length > 0)) throw operationNotPermitted('Cannot import since found existing subjects');
      }
      await this.#store.write([{ key: { keytype: 'MODE', subject: name }, value: encodeModeValue(name, mode) }]);
      return { mode };
    });
  }

  deleteMode(subject: string | null): Promise<{ mode: string }> {
    const name = subject === null ? null : unqualified(subject);
    return this.#write(async () => {
      const own = this.#state.mode(name);
      if (!own) {
        if (name !== null) throw subjectNotFound(name);
        return { mode: 'READWRITE' };
      }
      await this.#store.write([{ key: { keytype: 'MODE', subject: name }, value: null }]);
      return { mode: own };
    });
  }
}
