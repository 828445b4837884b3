/**
 * Fluent construction of Schemas, as with Kafka's SchemaBuilder:
 *
 *   SchemaBuilder.struct().name('com.example.User')
 *     .field('id', Schema.INT64_SCHEMA)
 *     .field('email', Schema.OPTIONAL_STRING_SCHEMA)
 *     .optional().build()
 *
 * Each attribute may be set once (setting it again to a different value throws), a default
 * value is validated against the schema as built so far, and a builder can be passed wherever
 * a field, element, key or value schema is expected.
 */
import { DataError } from '../errors.js';
import { Field, Schema } from './schema.js';
import type { SchemaType } from './schema-type.js';
import { validateValue } from './validate-value.js';

export class SchemaBuilder {
  readonly #type: SchemaType;
  #optional: boolean | null = null;
  #defaultValue: unknown = null;
  #name: string | null = null;
  #version: number | null = null;
  #doc: string | null = null;
  #parameters: Map<string, string> | null = null;
  readonly #fields: Field[] = [];
  #keySchema: Schema | null = null;
  #valueSchema: Schema | null = null;

  constructor(type: SchemaType) {
    this.#type = type;
  }

  static type(type: SchemaType): SchemaBuilder {
    return new SchemaBuilder(type);
  }

  static int8(): SchemaBuilder {
    return new SchemaBuilder('INT8');
  }

  static int16(): SchemaBuilder {
    return new SchemaBuilder('INT16');
  }

  static int32(): SchemaBuilder {
    return new SchemaBuilder('INT32');
  }

  static int64(): SchemaBuilder {
    return new SchemaBuilder('INT64');
  }

  static float32(): SchemaBuilder {
    return new SchemaBuilder('FLOAT32');
  }

  static float64(): SchemaBuilder {
    return new SchemaBuilder('FLOAT64');
  }

  static bool(): SchemaBuilder {
    return new SchemaBuilder('BOOLEAN');
  }

  static string(): SchemaBuilder {
    return new SchemaBuilder('STRING');
  }

  static bytes(): SchemaBuilder {
    return new SchemaBuilder('BYTES');
  }

  static struct(): SchemaBuilder {
    return new SchemaBuilder('STRUCT');
  }

  static array(valueSchema: Schema | SchemaBuilder): SchemaBuilder {
    const builder = new SchemaBuilder('ARRAY');
    builder.#valueSchema = built(valueSchema, 'valueSchema');
    return builder;
  }

  static map(keySchema: Schema | SchemaBuilder, valueSchema: Schema | SchemaBuilder): SchemaBuilder {
    const builder = new SchemaBuilder('MAP');
    builder.#keySchema = built(keySchema, 'keySchema');
    builder.#valueSchema = built(valueSchema, 'valueSchema');
    return builder;
  }

  /**
   * An ARRAY or MAP whose element schemas may be null: only Values.parseString makes these, for
   * header strings whose elements share no type.
   */
  static untypedContainer(type: 'ARRAY' | 'MAP', keySchema: Schema | null, valueSchema: Schema | null): SchemaBuilder {
    const builder = new SchemaBuilder(type);
    builder.#keySchema = type === 'MAP' ? keySchema : null;
    builder.#valueSchema = valueSchema;
    return builder;
  }

  optional(): this {
    checkCanSet('optional', this.#optional, true);
    this.#optional = true;
    return this;
  }

  required(): this {
    checkCanSet('optional', this.#optional, false);
    this.#optional = false;
    return this;
  }

  /** Throws DataError if `value` does not fit the schema as built so far. */
  defaultValue(value: unknown): this {
    checkCanSet('default', this.#defaultValue, value);
    try {
      validateValue(this.build(), value);
    } catch (err) {
      throw new DataError(`Invalid default value: ${(err as Error).message}`, { cause: err });
    }
    this.#defaultValue = value ?? null;
    return this;
  }

  name(name: string): this {
    checkCanSet('name', this.#name, name);
    this.#name = name;
    return this;
  }

  version(version: number): this {
    if (!Number.isInteger(version)) throw new DataError(`Invalid SchemaBuilder call: version must be an integer, got ${version}`);
    checkCanSet('version', this.#version, version);
    this.#version = version;
    return this;
  }

  doc(doc: string): this {
    checkCanSet('doc', this.#doc, doc);
    this.#doc = doc;
    return this;
  }

  parameter(key: string, value: string): this {
    this.#parameters ??= new Map();
    this.#parameters.set(key, value);
    return this;
  }

  /** Adds every entry, in order; an empty set of parameters leaves `parameters` null. */
  parameters(parameters: Readonly<Record<string, string>> | ReadonlyMap<string, string>): this {
    const entries = parameters instanceof Map ? [...parameters] : Object.entries(parameters);
    for (const [k, v] of entries) this.parameter(k, v);
    return this;
  }

  field(name: string, schema: Schema | SchemaBuilder): this {
    if (this.#type !== 'STRUCT') throw new DataError(`Cannot create fields on type ${this.#type}`);
    if (!name) throw new DataError('fieldName cannot be null or empty.');
    if (this.#fields.some((f) => f.name === name)) {
      throw new DataError(`Cannot create field because of field name duplication ${name}`);
    }
    this.#fields.push(new Field(name, this.#fields.length, built(schema, `fieldSchema for field ${name}`)));
    return this;
  }

  build(): Schema {
    return new Schema({
      type: this.#type,
      optional: this.#optional ?? false,
      defaultValue: this.#defaultValue,
      name: this.#name,
      version: this.#version,
      doc: this.#doc,
      parameters: this.#parameters,
      fields: this.#fields,
      keySchema: this.#keySchema,
      valueSchema: this.#valueSchema,
    });
  }
}

function built(schema: Schema | SchemaBuilder | null | undefined, what: string): Schema {
  if (schema === null || schema === undefined) throw new DataError(`${what} cannot be null.`);
  return schema instanceof SchemaBuilder ? schema.build() : schema;
}

function checkCanSet(attribute: string, current: unknown, next: unknown): void {
  if (current !== null && current !== next) {
    throw new DataError(`Invalid SchemaBuilder call: ${attribute} has already been set.`);
  }
}
