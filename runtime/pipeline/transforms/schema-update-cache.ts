/**
 * Derived schemas, cached per input schema (Kafka's SchemaUpdateCache of 16 entries keyed by
 * schema equality). A hit by identity is free; an equal but distinct schema is found among the
 * 16 most recent entries. Equal inputs therefore yield the same derived Schema instance, which
 * keeps identity-keyed caches downstream (converters) effective.
 */
import type { Schema } from '../../../connectors/sdk/data/schema.js';

const RECENT_LIMIT = 16;

export class SchemaUpdateCache {
  #byIdentity = new WeakMap<Schema, Schema>();
  #recent: [Schema, Schema][] = [];

  getOrBuild(schema: Schema, build: (schema: Schema) => Schema): Schema {
    const known = this.#byIdentity.get(schema);
    if (known !== undefined) return known;
    const index = this.#recent.findIndex(([input]) => input.equals(schema));
    let updated: Schema;
    if (index >= 0) {
      updated = this.#recent[index][1];
      this.#recent.splice(index, 1);
    } else {
      updated = build(schema);
    }
    this.#recent.push([schema, updated]);
    if (this.#recent.length > RECENT_LIMIT) this.#recent.shift();
    this.#byIdentity.set(schema, updated);
    return updated;
  }

  clear(): void {
    this.#byIdentity = new WeakMap();
    this.#recent = [];
  }
}
