/**
 * ReplaceField$Key / ReplaceField$Value: keeps only `include`d fields (all when empty), drops
 * `exclude`d ones (exclusion wins) and renames fields (`old:new`). Null keys/values pass through.
 *
 * `whitelist` and `blacklist` are Kafka 3.x's deprecated spellings of `include` and `exclude`
 * (removed in Kafka 4.0). They are still honoured, so a 3.x config cannot silently let through
 * fields it meant to drop; when both spellings are set the new one wins, as in 3.x.
 */
import type { ConnectRecord } from '../../../connectors/sdk/connect-record.js';
import type { RawConfig } from '../../../connectors/sdk/connector.js';
import type { Schema } from '../../../connectors/sdk/data/schema.js';
import { SchemaBuilder } from '../../../connectors/sdk/data/schema-builder.js';
import { Struct } from '../../../connectors/sdk/data/struct.js';
import { defineConfig, list, validators } from '../../../connectors/sdk/config/config-spec.js';
import { javaSplit } from './java-strings.js';
import { schemaOf, valueOf, withPart, type RecordPart } from './record-part.js';
import { requireMap, requireStruct } from './requirements.js';
import { SchemaUpdateCache } from './schema-update-cache.js';
import { copySchemaBasics } from './schema-util.js';
import { entriesOf, sameKindAs } from './schemaless-map.js';
import { fieldValue } from './struct-values.js';
import type { RecordTransform } from '../../../connectors/sdk/transform.js';
import { keyValuePlugins, replaceNullWithDefaultField } from './transform-plugin.js';

const PURPOSE = 'field replacement';

/** `old:new` pairs as a map; throws Error naming the first bad pair. */
export function parseRenameMappings(mappings: readonly string[]): Map<string, string> {
  const renames = new Map<string, string>();
  for (const mapping of mappings) {
    const parts = javaSplit(mapping, ':');
    if (parts.length !== 2) throw new Error(`Invalid rename mapping: ${mapping}`);
    renames.set(parts[0], parts[1]);
  }
  return renames;
}

const renameMappings = validators.validator((mappings: readonly string[]) => {
  parseRenameMappings(mappings);
}, 'list of colon-delimited pairs, e.g. foo:bar,abc:xyz');

export const replaceFieldSpec = defineConfig({
  'exclude': list({ doc: 'Fields to drop. Exclusion takes precedence over inclusion.', default: [] }),
  'include': list({ doc: 'Fields to keep; when set, every other field is dropped.', default: [] }),
  'renames': list({ doc: 'Field renames as old:new pairs, e.g. foo:bar,abc:xyz.', default: [], validator: renameMappings }),
  'replace.null.with.default': replaceNullWithDefaultField(),
  'blacklist': list({ doc: 'Deprecated spelling of exclude (Kafka 3.x); ignored when exclude is set.', default: null, importance: 'LOW', deprecated: 'exclude' }),
  'whitelist': list({ doc: 'Deprecated spelling of include (Kafka 3.x); ignored when include is set.', default: null, importance: 'LOW', deprecated: 'include' }),
});

function withDeprecatedSpellings(config: RawConfig): RawConfig {
  const out: Record<string, string> = { ...config };
  if (out['include'] === undefined && out['whitelist'] !== undefined) out['include'] = out['whitelist'];
  if (out['exclude'] === undefined && out['blacklist'] !== undefined) out['exclude'] = out['blacklist'];
  return out;
}

class ReplaceField implements RecordTransform {
  readonly #part: RecordPart;
  readonly #cache = new SchemaUpdateCache();
  #exclude: ReadonlySet<string> = new Set();
  #include: ReadonlySet<string> = new Set();
  #renames: ReadonlyMap<string, string> = new Map();
  #reverseRenames: ReadonlyMap<string, string> = new Map();
  #replaceNullWithDefault = true;

  constructor(part: RecordPart) {
    this.#part = part;
  }

  configure(config: RawConfig): void {
    const c = replaceFieldSpec.parse(withDeprecatedSpellings(config));
    this.#exclude = new Set(c.exclude);
    this.#include = new Set(c.include);
    this.#renames = parseRenameMappings(c.renames);
    this.#reverseRenames = new Map([...this.#renames].map(([from, to]) => [to, from]));
    this.#replaceNullWithDefault = c.replaceNullWithDefault;
  }

  apply<R extends ConnectRecord>(record: R): R {
    const value = valueOf(record, this.#part);
    if (value === null || value === undefined) return record;
    if (schemaOf(record, this.#part) === null) {
      const original = requireMap(value, PURPOSE);
      const updated = new Map<unknown, unknown>();
      for (const [name, fieldVal] of entriesOf(original)) {
        if (this.#keeps(String(name))) updated.set(this.#renamed(String(name)), fieldVal);
      }
      return withPart(record, this.#part, null, sameKindAs(original, updated));
    }
    const struct = requireStruct(value, PURPOSE);
    const schema = this.#cache.getOrBuild(struct.schema, (s) => this.#updatedSchema(s));
    const updated = new Struct(schema);
    for (const field of schema.fields) {
      updated.put(field.name, fieldValue(struct, this.#reverseRenames.get(field.name) ?? field.name, this.#replaceNullWithDefault));
    }
    return withPart(record, this.#part, schema, updated);
  }

  close(): void {
    this.#cache.clear();
  }

  #keeps(name: string): boolean {
    return !this.#exclude.has(name) && (this.#include.size === 0 || this.#include.has(name));
  }

  #renamed(name: string): string {
    return this.#renames.get(name) ?? name;
  }

  #updatedSchema(schema: Schema): Schema {
    const builder = copySchemaBasics(schema, SchemaBuilder.struct());
    for (const field of schema.fields) {
      if (this.#keeps(field.name)) builder.field(this.#renamed(field.name), field.schema);
    }
    return builder.build();
  }
}

export const replaceFieldPlugins = keyValuePlugins(
  'ReplaceField',
  'Keeps, drops or renames fields.',
  replaceFieldSpec,
  (part) => new ReplaceField(part),
);
