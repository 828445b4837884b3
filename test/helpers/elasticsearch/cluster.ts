/**
 * The cluster's metadata: indices, data streams and templates, and how a name resolves for reads and
 * writes. Index creation: https://www.elastic.co/guide/en/elasticsearch/reference/current/indices-create-index.html
 * (`resource_already_exists_exception` when it exists); automatic creation on writes
 * (`action.auto_create_index`, on by default): https://www.elastic.co/guide/en/elasticsearch/reference/current/docs-index_.html#index-creation
 * — a name matching a data stream template creates the data stream instead.
 */
import { EsError, illegalArgument, indexFields, indexNotFound } from './errors.js';
import { DataStream, validateDataStreamName } from './data-streams.js';
import { EsIndex } from './index-store.js';
import { validateIndexName } from './index-names.js';
import { mergeMappings, validateMappings, type Mappings } from './mapping.js';
import type { ModeProfile } from './modes.js';
import { TemplateRegistry } from './templates.js';

export interface WriteTarget {
  readonly index: EsIndex;
  readonly dataStream?: DataStream;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export class Cluster {
  readonly indices = new Map<string, EsIndex>();
  readonly dataStreams = new Map<string, DataStream>();
  readonly templates: TemplateRegistry;

  constructor(readonly profile: ModeProfile) {
    this.templates = new TemplateRegistry(profile.builtInDataStreamTemplates);
  }

  /** `PUT /<index>` with an optional `{ mappings, settings, aliases }` body. */
  createIndex(name: string, body: unknown): EsIndex {
    validateIndexName(name);
    this.refuseExisting(name);
    const matched = this.templates.match(name);
    if (matched?.template.data_stream !== undefined) {
      throw illegalArgument(`cannot create index with name [${name}], because it matches with template [${matched.name}] that creates data streams only, use create data stream api instead`);
    }
    const request = isObject(body) ? body : {};
    for (const key of Object.keys(request)) {
      if (!['mappings', 'settings', 'aliases'].includes(key)) {
        throw new EsError(400, 'parse_exception', `unknown key [${key}] for create index`);
      }
    }
    let mappings: Mappings = matched === undefined ? {} : this.templates.mappingsOf(matched.template);
    if (request.mappings !== undefined) mappings = mergeMappings(mappings, validateMappings(request.mappings));
    const settings = { ...(matched?.template.template?.settings ?? {}), ...(isObject(request.settings) ? request.settings : {}) };
    const index = new EsIndex(name, mappings, settings);
    this.indices.set(name, index);
    return index;
  }

  private refuseExisting(name: string): void {
    const existing = this.indices.get(name);
    if (existing !== undefined) {
      throw new EsError(400, 'resource_already_exists_exception', `index [${name}/${existing.uuid}] already exists`, indexFields(name, existing.uuid));
    }
    if (this.dataStreams.has(name)) {
      throw new EsError(400, 'resource_already_exists_exception', `data stream [${name}] already exists`);
    }
  }

  /** `PUT /_data_stream/<name>`. */
  createDataStream(name: string): DataStream {
    validateIndexName(name);
    validateDataStreamName(name);
    if (this.dataStreams.has(name)) throw new EsError(400, 'resource_already_exists_exception', `data_stream [${name}] already exists`);
    if (this.indices.has(name)) throw illegalArgument(`data stream [${name}] conflicts with index`);
    const matched = this.templates.match(name);
    if (matched === undefined || matched.template.data_stream === undefined) {
      throw illegalArgument(`no matching index template found for data stream [${name}]`);
    }
    const stream = new DataStream(name, matched.name);
    const mappings = mergeMappings(this.templates.mappingsOf(matched.template), { properties: { '@timestamp': { type: 'date' } } });
    const backing = new EsIndex(stream.backingIndexName(1), mappings, { ...(matched.template.template?.settings ?? {}) }, name);
    stream.backingIndices.push(backing);
    this.indices.set(backing.name, backing);
    this.dataStreams.set(name, stream);
    return stream;
  }

  deleteDataStream(name: string): void {
    const stream = this.dataStreams.get(name);
    if (stream === undefined) throw indexNotFound(name);
    for (const backing of stream.backingIndices) this.indices.delete(backing.name);
    this.dataStreams.delete(name);
  }

  deleteIndex(name: string): void {
    const index = this.indices.get(name);
    if (index === undefined) throw indexNotFound(name);
    if (index.dataStream !== undefined && this.dataStreams.get(index.dataStream)?.writeIndex === index) {
      throw illegalArgument(`index [${name}] is the write index for data stream [${index.dataStream}] and cannot be deleted`);
    }
    this.indices.delete(name);
  }

  /** The indices a read of `name` covers (an index, a data stream, `_all` or a `*` pattern). */
  resolveRead(name: string): EsIndex[] {
    const result: EsIndex[] = [];
    for (const part of name === '_all' ? ['*'] : name.split(',')) {
      if (part.includes('*')) {
        const pattern = new RegExp(`^${part.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
        for (const index of this.indices.values()) if (pattern.test(index.name) && !index.name.startsWith('.')) result.push(index);
        for (const stream of this.dataStreams.values()) if (pattern.test(stream.name)) result.push(...stream.backingIndices);
        continue;
      }
      const index = this.indices.get(part);
      if (index !== undefined) {
        result.push(index);
        continue;
      }
      const stream = this.dataStreams.get(part);
      if (stream === undefined) throw indexNotFound(part);
      result.push(...stream.backingIndices);
    }
    return result;
  }

  /** Where a write to `name` goes, creating the index or data stream when allowed. */
  resolveWrite(name: string, autoCreate: boolean): WriteTarget {
    const index = this.indices.get(name);
    if (index !== undefined) return { index };
    const stream = this.dataStreams.get(name);
    if (stream !== undefined) return { index: stream.writeIndex, dataStream: stream };
    if (!autoCreate) throw indexNotFound(name);
    validateIndexName(name);
    const matched = this.templates.match(name);
    if (matched?.template.data_stream !== undefined) {
      const created = this.createDataStream(name);
      return { index: created.writeIndex, dataStream: created };
    }
    return { index: this.createIndex(name, undefined) };
  }
}
