/**
 * What every Schema Registry converter does the same way, whatever the format (JSON Schema,
 * Protobuf): a subclass says how a Connect schema becomes a registry schema and bytes, and how a
 * registered schema reads bytes back; this class does the rest as Confluent's converters do.
 *
 * Writing: the subject from the subject name strategy; the id from the registry — registered
 * (`auto.register.schemas`, the default), the schema `use.schema.id` names, the subject's latest
 * version (`use.latest.version`), or looked up — then the 5-byte prefix (magic byte 0, id) and the
 * subclass's payload.
 *
 * Reading: null bytes → SchemaAndValue.NULL; otherwise the magic byte and id, the registered schema
 * by id, the subject version of that schema (`POST /subjects/{s}`, as Confluent's converters ask;
 * it becomes the Connect schema version), the schemas its references name (transitively, by
 * subject and version), and the subclass's reader for the payload.
 *
 * Both directions answer synchronously once the schema, id and reader are cached (a subclass keeps
 * one FormatWriter per Connect schema, so the warm path is a lookup by that object), and with a
 * Promise while the registry is asked. Bad bytes and registry refusals (e.g. 409 for an
 * incompatible schema) are DataErrors naming the topic and carrying the registry's message and
 * error code; a registry that cannot be reached or answers 5xx is a RetriableError.
 */
import type { Converter, ConverterConfigs, RecordHeaders } from '../../../../connectors/sdk/converter.js';
import type { Schema } from '../../../../connectors/sdk/data/schema.js';
import { SchemaAndValue } from '../../../../connectors/sdk/data/schema-and-value.js';
import { validateValue } from '../../../../connectors/sdk/data/validate-value.js';
import { DataError, RetriableError } from '../../../../connectors/sdk/errors.js';
import { SchemaRegistryClient, type RegistrySchema } from './schema-registry-client.js';
import type { ParsedSerdeConfig, SerdeSettings } from './schema-registry-config.js';
import { serdeSettings } from './schema-registry-config.js';
import { SchemaRegistryError } from './schema-registry-error.js';
import { frame, framingProblem, unframe } from './wire-format.js';

/** How one Connect schema is written. */
export interface FormatWriter {
  readonly registrySchema: RegistrySchema;
  /** The name RecordNameStrategy uses; null when the schema has none. */
  readonly recordName: string | null;
  /** The payload after the 5-byte prefix; null for no record value at all (a tombstone). */
  encode(value: unknown): Buffer | null;
}

/** The id values of a writer go under, and the writer that writes them for that id. */
interface Target {
  readonly id: number;
  readonly writer: FormatWriter;
}

/** How values written in one registered schema are read. */
export interface FormatReader {
  /** The Connect data of the payload after the 5-byte prefix. */
  decode(payload: Buffer): SchemaAndValue;
}

export abstract class RegistryConverter implements Converter {
  protected isKey = false;
  protected serde!: SerdeSettings;
  protected client!: SchemaRegistryClient;
  /** Readers by schema id (with the subject version applied). */
  private readonly readers = new Map<number, FormatReader>();
  /** Where each writer's values go, per subject, once the registry answered: the warm path, a lookup by writer object. */
  private readonly targets = new WeakMap<FormatWriter, Map<string, Target>>();
  /** Whether `fromConnectData` validates each value against its schema first (a format whose writer checks values as it converts them says no). */
  protected readonly validatesValues: boolean = true;

  /** The format as messages name it: "JSON Schema", "Protobuf". */
  protected abstract readonly formatName: string;
  protected abstract readonly schemaType: RegistrySchema['schemaType'];

  /** Applies the format's own settings; `parsed` is the converter's whole parsed config. */
  protected abstract configureFormat(parsed: ParsedSerdeConfig & Record<string, unknown>): void;
  /** The config spec's `parse`. */
  protected abstract parseConfig(configs: ConverterConfigs): ParsedSerdeConfig & Record<string, unknown>;
  /** The writer of a Connect schema (cached by the subclass); throws DataError for schemas the format cannot hold. */
  protected abstract writerFor(schema: Schema): FormatWriter;
  /** The name RecordNameStrategy uses for a registered schema of this format (`payload`: a record written in it, after the prefix). */
  protected abstract recordNameOf(registered: RegistrySchema, payload: Buffer): string | null;
  /**
   * The reader of a registered schema under the given subject version; `references` holds the
   * schemas its references name (transitively), by reference name (for Protobuf, the import path).
   */
  protected abstract readerFor(registered: RegistrySchema, version: number, references: ReadonlyMap<string, RegistrySchema>): FormatReader;
  /** The bytes for a null value under `schema` (Confluent's converters differ): null for a tombstone. */
  protected abstract nullValue(topic: string, schema: Schema | null): Buffer | null | Promise<Buffer | null>;

  /** Throws ConfigError for invalid settings (schema.registry.url is required). */
  configure(configs: ConverterConfigs, isKey: boolean): void {
    const parsed = this.parseConfig(configs);
    this.isKey = isKey;
    this.serde = serdeSettings(parsed, isKey);
    this.client = new SchemaRegistryClient(this.serde.client);
    this.readers.clear();
    this.configureFormat(parsed);
  }

  fromConnectData(topic: string, _headers: RecordHeaders, schema: Schema | null, value: unknown): Buffer | null | Promise<Buffer | null> {
    if (value === null || value === undefined) return this.nullValue(topic, schema);
    if (schema === null) {
      throw this.failure(topic, 'serialize', new DataError(`The ${this.formatName} converter needs a Connect schema, and this ${this.isKey ? 'key' : 'value'} has none`));
    }
    if (this.validatesValues) this.wrapped(topic, 'serialize', () => validateValue(schema, value));
    return this.write(topic, schema, value);
  }

  /**
   * How values of `writer` are written under another registered schema (`use.schema.id`,
   * `use.latest.version`). The default writes them unchanged, which suits self-describing payloads
   * (JSON); a binary format must re-encode them in `target`, or refuse when it cannot.
   */
  protected retarget(writer: FormatWriter, _target: RegistrySchema, _id: number): FormatWriter {
    return writer;
  }

  /** Frames `value` (valid for `schema`, or null) under `schema`, asking the registry for the id when it is not cached. */
  protected write(topic: string, schema: Schema, value: unknown): Buffer | null | Promise<Buffer | null> {
    const writer = this.wrapped(topic, 'serialize', () => this.writerFor(schema));
    const subject = this.wrapped(topic, 'serialize', () => this.serde.subjectNameStrategy(topic, this.isKey, writer.recordName));
    const encode = (target: Target): Buffer | null => {
      const payload = this.wrapped(topic, 'serialize', () => target.writer.encode(value));
      return payload === null ? null : frame(target.id, payload);
    };
    const known = this.targets.get(writer)?.get(subject);
    if (known !== undefined) return encode(known);
    const plainRegister = this.serde.autoRegisterSchemas && this.serde.useSchemaId < 0 && !this.serde.useLatestVersion;
    const cachedId = plainRegister ? this.client.cachedId(subject, writer.registrySchema) : undefined;
    if (cachedId !== undefined) return encode({ id: cachedId, writer });
    return this.targetFor(subject, writer)
      .then((target) => {
        if (this.targetsStay()) {
          let bySubject = this.targets.get(writer);
          if (bySubject === undefined) this.targets.set(writer, bySubject = new Map());
          bySubject.set(subject, target);
        }
        return encode(target);
      })
      .catch((err: unknown) => {
        throw this.failure(topic, 'serialize', err);
      });
  }

  /** Whether a target, once known, holds for good (not under a latest version that expires). */
  private targetsStay(): boolean {
    return !this.serde.useLatestVersion || this.serde.useSchemaId >= 0 || this.serde.client.latestCacheTtlMs < 0;
  }

  toConnectData(topic: string, _headers: RecordHeaders, bytes: Buffer | null): SchemaAndValue | Promise<SchemaAndValue> {
    if (bytes === null || bytes === undefined) return SchemaAndValue.NULL;
    const problem = framingProblem(bytes);
    if (problem !== null) throw new DataError(`${this.failurePrefix(topic, 'deserialize')}: ${problem}`);
    const { schemaId, payload } = unframe(bytes);
    const reader = this.readers.get(schemaId);
    if (reader !== undefined) return this.wrapped(topic, 'deserialize', () => reader.decode(payload));
    return this.loadReader(topic, schemaId, payload)
      .then((loaded) => loaded.decode(payload))
      .catch((err: unknown) => {
        throw this.failure(topic, 'deserialize', err);
      });
  }

  close(): void {
    this.readers.clear();
  }

  /** The id to write under and the writer for it, asking the registry as the settings say. */
  private async targetFor(subject: string, writer: FormatWriter): Promise<Target> {
    const registrySchema = writer.registrySchema;
    if (this.serde.useSchemaId >= 0) {
      const byId = await this.client.schemaById(this.serde.useSchemaId);
      if (byId.schemaType !== this.schemaType) throw new DataError(`Schema ${this.serde.useSchemaId} (use.schema.id) is a ${byId.schemaType} schema, not ${this.schemaType}`);
      return { id: this.serde.useSchemaId, writer: byId.schema === registrySchema.schema ? writer : this.retarget(writer, byId, this.serde.useSchemaId) };
    }
    if (this.serde.useLatestVersion) {
      const latest = await this.client.latest(subject);
      if (latest.schemaType !== this.schemaType) throw new DataError(`The latest version of subject ${subject} is a ${latest.schemaType} schema, not ${this.schemaType}`);
      return { id: latest.id, writer: latest.schema === registrySchema.schema ? writer : this.retarget(writer, latest, latest.id) };
    }
    if (this.serde.autoRegisterSchemas) return { id: await this.client.register(subject, registrySchema, this.serde.normalizeSchemas), writer };
    return { id: (await this.client.lookup(subject, registrySchema, this.serde.normalizeSchemas)).id, writer };
  }

  /** `payload` is the first record read with this id (Protobuf names its message in it). */
  private async loadReader(topic: string, schemaId: number, payload: Buffer): Promise<FormatReader> {
    const what = `${this.formatName} ${this.isKey ? 'key' : 'value'} schema`;
    const registered = await registryCall(() => this.client.schemaById(schemaId), `Error retrieving ${what} for id ${schemaId}`);
    if (registered.schemaType !== this.schemaType) throw new DataError(`Schema ${schemaId} is a ${registered.schemaType} schema, not ${this.schemaType}`);
    const subject = this.serde.subjectNameStrategy(topic, this.isKey, this.recordNameOf(registered, payload));
    const { version } = await registryCall(() => this.client.lookup(subject, registered), `Error retrieving the version of schema ${schemaId} under subject ${subject}`);
    const reader = this.readerFor(registered, version, await this.referencedSchemas(registered));
    this.readers.set(schemaId, reader);
    return reader;
  }

  /** The schemas `registered` references, and theirs, by reference name. */
  private async referencedSchemas(registered: RegistrySchema): Promise<Map<string, RegistrySchema>> {
    const found = new Map<string, RegistrySchema>();
    const pending = [...registered.references];
    for (let ref = pending.shift(); ref !== undefined; ref = pending.shift()) {
      if (found.has(ref.name)) continue;
      const { subject, version } = ref;
      const schema = await registryCall(() => this.client.subjectVersion(subject, version), `Error retrieving schema reference ${ref!.name} (subject ${subject}, version ${version})`);
      found.set(ref.name, schema);
      pending.push(...schema.references);
    }
    return found;
  }

  protected wrapped<T>(topic: string, direction: 'serialize' | 'deserialize', run: () => T): T {
    try {
      return run();
    } catch (err) {
      throw this.failure(topic, direction, err);
    }
  }

  private failurePrefix(topic: string, direction: 'serialize' | 'deserialize'): string {
    return direction === 'serialize'
      ? `Failed to serialize ${this.formatName} data from topic ${topic}`
      : `Failed to deserialize data for topic ${topic} to ${this.formatName}`;
  }

  /** The error a task sees: a DataError naming the topic, or a RetriableError when the registry could not answer. */
  protected failure(topic: string, direction: 'serialize' | 'deserialize', err: unknown): Error {
    const what = this.failurePrefix(topic, direction);
    const message = err instanceof Error ? err.message : String(err);
    if (message.startsWith(what)) return err as Error;
    if (err instanceof SchemaRegistryError && err.retriable) return new RetriableError(`${what}: ${message}`, { cause: err });
    return new DataError(`${what}: ${message}`, { cause: err });
  }
}

/** A registry call whose refusal (not a retriable failure) becomes a DataError saying what was asked. */
async function registryCall<T>(call: () => Promise<T>, asked: string): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof SchemaRegistryError && !err.retriable) throw new DataError(`${asked}: ${err.message}`, { cause: err });
    throw err;
  }
}
