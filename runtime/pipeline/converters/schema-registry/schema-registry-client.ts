/**
 * A client of Confluent's Schema Registry REST API, shared by the registry converters (Avro,
 * JSON Schema, Protobuf). It calls what Confluent's serializers and converters call:
 *
 *   register(subject, schema)   POST /subjects/{s}/versions          → id
 *   lookup(subject, schema)     POST /subjects/{s}                   → id and version
 *   schemaById(id, subject?)    GET  /schemas/ids/{id}               → schema
 *   latest(subject)             GET  /subjects/{s}/versions/latest   → schema, id and version
 *   subjectVersion(subject, v)  GET  /subjects/{s}/versions/{v}      → schema, id (schema references)
 *
 * Caches, as Confluent's CachedSchemaRegistryClient keeps them: schema by id forever; id and
 * version per subject and schema (up to `maxSchemasPerSubject` each per subject, oldest dropped);
 * latest per subject for `latestCacheTtlMs` (-1: until the process ends). The `cached*` methods
 * answer from the caches alone, so a converter can take a synchronous path once warm. Concurrent
 * identical requests share one HTTP call.
 *
 * Errors are SchemaRegistryErrors carrying the registry's `error_code` and message. HTTP 408, 429
 * and 5xx are retried up to `maxRetries` times with doubling waits; a registry that cannot be
 * reached is tried at the next URL, and fails retriable when none answers.
 */
import { SchemaRegistryError, UNPARSEABLE_ERROR_CODE } from './schema-registry-error.js';

export type SchemaType = 'AVRO' | 'JSON' | 'PROTOBUF';

export interface SchemaReference {
  readonly name: string;
  readonly subject: string;
  readonly version: number;
}

/** A schema as the registry stores it. */
export interface RegistrySchema {
  readonly schemaType: SchemaType;
  readonly schema: string;
  readonly references: readonly SchemaReference[];
}

/** A subject version. */
export interface RegisteredSchema extends RegistrySchema {
  readonly subject: string;
  readonly id: number;
  readonly version: number;
}

export interface SchemaRegistryClientOptions {
  /** Base URLs without credentials or trailing slash; the first that answers is used. */
  readonly urls: readonly string[];
  readonly credentials: { readonly user: string; readonly password: string } | null;
  readonly requestTimeoutMs: number;
  readonly maxRetries: number;
  readonly retryWaitMs: number;
  readonly retryMaxWaitMs: number;
  readonly latestCacheSize: number;
  /** -1: no expiry. */
  readonly latestCacheTtlMs: number;
  readonly maxSchemasPerSubject: number;
}

const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';
const ACCEPT = 'application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5';

export class SchemaRegistryClient {
  private readonly byId = new Map<number, RegistrySchema>();
  private readonly ids = new Map<string, Map<string, number>>();
  private readonly versions = new Map<string, Map<string, number>>();
  private readonly latests = new Map<string, { readonly value: RegisteredSchema; readonly at: number }>();
  private readonly inFlight = new Map<string, Promise<unknown>>();
  private readonly subjectVersions = new Map<string, RegisteredSchema>();
  private readonly authorization: string | null;

  constructor(private readonly options: SchemaRegistryClientOptions) {
    const c = options.credentials;
    this.authorization = c === null ? null : `Basic ${Buffer.from(`${c.user}:${c.password}`, 'utf8').toString('base64')}`;
  }

  /** The id of `schema` under `subject`, registering it when new (a new version if compatible). */
  async register(subject: string, schema: RegistrySchema, normalize = false): Promise<number> {
    const known = this.cachedId(subject, schema);
    if (known !== undefined) return known;
    const body = await this.shared(`register\u0000${subject}\u0000${keyOf(schema)}`, () =>
      this.request('POST', `/subjects/${encodeURIComponent(subject)}/versions?normalize=${normalize}`, requestBody(schema)));
    const id = numberOf(body, 'id');
    remember(this.ids, subject, keyOf(schema), id, this.options.maxSchemasPerSubject);
    if (!this.byId.has(id)) this.byId.set(id, schema);
    return id;
  }

  /** The id and version under which `subject` holds `schema`; 40401/40403 when it holds none. */
  async lookup(subject: string, schema: RegistrySchema, normalize = false): Promise<{ id: number; version: number }> {
    const key = keyOf(schema);
    const id = this.ids.get(subject)?.get(key);
    const version = this.versions.get(subject)?.get(key);
    if (id !== undefined && version !== undefined) return { id, version };
    const body = await this.shared(`lookup\u0000${subject}\u0000${key}`, () =>
      this.request('POST', `/subjects/${encodeURIComponent(subject)}?normalize=${normalize}&deleted=false`, requestBody(schema)));
    const found = { id: numberOf(body, 'id'), version: numberOf(body, 'version') };
    remember(this.ids, subject, key, found.id, this.options.maxSchemasPerSubject);
    remember(this.versions, subject, key, found.version, this.options.maxSchemasPerSubject);
    return found;
  }

  /** The schema with registry id `id`; 40403 when there is none. */
  async schemaById(id: number, subject?: string): Promise<RegistrySchema> {
    const known = this.byId.get(id);
    if (known !== undefined) return known;
    const query = subject === undefined ? '' : `&subject=${encodeURIComponent(subject)}`;
    const body = await this.shared(`id\u0000${id}`, () => this.request('GET', `/schemas/ids/${id}?fetchMaxId=false${query}`));
    const schema = schemaOf(body);
    this.byId.set(id, schema);
    return schema;
  }

  /** The subject's latest version (cached for `latestCacheTtlMs`). */
  async latest(subject: string): Promise<RegisteredSchema> {
    const cached = this.cachedLatest(subject);
    if (cached !== undefined) return cached;
    const body = await this.shared(`latest\u0000${subject}`, () => this.request('GET', `/subjects/${encodeURIComponent(subject)}/versions/latest`));
    const value: RegisteredSchema = { ...schemaOf(body), subject, id: numberOf(body, 'id'), version: numberOf(body, 'version') };
    if (this.options.latestCacheSize > 0) {
      this.latests.delete(subject);
      this.latests.set(subject, { value, at: Date.now() });
      if (this.latests.size > this.options.latestCacheSize) this.latests.delete(this.latests.keys().next().value as string);
    }
    if (!this.byId.has(value.id)) this.byId.set(value.id, value);
    return value;
  }

  /** A subject version by number, as a schema reference names it (cached: versions do not change). */
  async subjectVersion(subject: string, version: number): Promise<RegisteredSchema> {
    const key = `${subject}\u0000${version}`;
    const known = this.subjectVersions.get(key);
    if (known !== undefined) return known;
    const body = await this.shared(`version\u0000${key}`, () => this.request('GET', `/subjects/${encodeURIComponent(subject)}/versions/${version}`));
    const value: RegisteredSchema = { ...schemaOf(body), subject, id: numberOf(body, 'id'), version: numberOf(body, 'version') };
    this.subjectVersions.set(key, value);
    return value;
  }

  cachedId(subject: string, schema: RegistrySchema): number | undefined {
    return this.ids.get(subject)?.get(keyOf(schema));
  }

  cachedVersion(subject: string, schema: RegistrySchema): number | undefined {
    return this.versions.get(subject)?.get(keyOf(schema));
  }

  cachedSchemaById(id: number): RegistrySchema | undefined {
    return this.byId.get(id);
  }

  cachedLatest(subject: string): RegisteredSchema | undefined {
    const entry = this.latests.get(subject);
    if (entry === undefined) return undefined;
    if (this.options.latestCacheTtlMs >= 0 && Date.now() - entry.at > this.options.latestCacheTtlMs) {
      this.latests.delete(subject);
      return undefined;
    }
    return entry.value;
  }

  private shared<T>(key: string, call: () => Promise<T>): Promise<T> {
    const pending = this.inFlight.get(key);
    if (pending !== undefined) return pending as Promise<T>;
    const started = call().finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, started);
    return started;
  }

  /** One API call with retries; resolves with the parsed JSON body. */
  private async request(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.attempt(method, path, body);
      } catch (err) {
        if (!(err instanceof SchemaRegistryError) || !err.retriable || err.status === 0 || attempt >= this.options.maxRetries) throw err;
        const wait = Math.min(this.options.retryWaitMs * 2 ** attempt, this.options.retryMaxWaitMs);
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  }

  private async attempt(method: 'GET' | 'POST', path: string, body: unknown): Promise<unknown> {
    const headers: Record<string, string> = { 'Accept': ACCEPT };
    if (body !== undefined) headers['Content-Type'] = CONTENT_TYPE;
    if (this.authorization !== null) headers['Authorization'] = this.authorization;
    let lastFailure: unknown;
    for (const base of this.options.urls) {
      let response: Response;
      try {
        response = await fetch(`${base}${path}`, {
          method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(this.options.requestTimeoutMs),
        });
      } catch (err) {
        lastFailure = err;
        continue;
      }
      const text = await response.text();
      if (response.status === 200 || response.status === 207) {
        try {
          return JSON.parse(text) as unknown;
        } catch (err) {
          throw new SchemaRegistryError(response.status, UNPARSEABLE_ERROR_CODE, `The schema registry at ${base} answered ${method} ${path} with a body that is not JSON`, { cause: err, retriable: false });
        }
      }
      throw errorOf(response.status, text);
    }
    const reason = lastFailure instanceof Error ? `${lastFailure.name}: ${(lastFailure.cause as Error | undefined)?.message ?? lastFailure.message}` : String(lastFailure);
    throw new SchemaRegistryError(0, 0, `Cannot reach the schema registry at ${this.options.urls.join(', ')} (${reason})`, { cause: lastFailure, retriable: true });
  }
}

function errorOf(status: number, text: string): SchemaRegistryError {
  try {
    const parsed = JSON.parse(text) as { error_code?: unknown; message?: unknown };
    if (typeof parsed.message === 'string') {
      return new SchemaRegistryError(status, typeof parsed.error_code === 'number' ? parsed.error_code : status, parsed.message);
    }
  } catch {
    // fall through: not a JSON error body
  }
  return new SchemaRegistryError(status, UNPARSEABLE_ERROR_CODE, `Unable to parse error message from schema registry: '${text.slice(0, 200)}' (HTTP ${status})`);
}

function requestBody(schema: RegistrySchema): Record<string, unknown> {
  const body: Record<string, unknown> = { schema: schema.schema };
  if (schema.schemaType !== 'AVRO') body['schemaType'] = schema.schemaType;
  if (schema.references.length > 0) body['references'] = schema.references;
  return body;
}

function keyOf(schema: RegistrySchema): string {
  return schema.references.length === 0
    ? `${schema.schemaType}\u0000${schema.schema}`
    : `${schema.schemaType}\u0000${schema.schema}\u0000${JSON.stringify(schema.references)}`;
}

function remember(cache: Map<string, Map<string, number>>, subject: string, key: string, value: number, max: number): void {
  let perSubject = cache.get(subject);
  if (perSubject === undefined) {
    perSubject = new Map();
    cache.set(subject, perSubject);
  }
  perSubject.set(key, value);
  if (perSubject.size > max) perSubject.delete(perSubject.keys().next().value as string);
}

function numberOf(body: unknown, key: string): number {
  const value = (body as Record<string, unknown> | null)?.[key];
  if (typeof value !== 'number') throw new SchemaRegistryError(200, UNPARSEABLE_ERROR_CODE, `The schema registry's answer has no numeric "${key}"`, { retriable: false });
  return value;
}

function schemaOf(body: unknown): RegistrySchema {
  const b = body as { schema?: unknown; schemaType?: unknown; references?: unknown } | null;
  if (typeof b?.schema !== 'string') throw new SchemaRegistryError(200, UNPARSEABLE_ERROR_CODE, 'The schema registry\'s answer has no "schema"', { retriable: false });
  const type = b.schemaType === 'JSON' || b.schemaType === 'PROTOBUF' ? b.schemaType : 'AVRO';
  return { schemaType: type, schema: b.schema, references: Array.isArray(b.references) ? (b.references as SchemaReference[]) : [] };
}
