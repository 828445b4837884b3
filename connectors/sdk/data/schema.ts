/**
 * Kafka Connect's Schema: an immutable description of a key, value or header, plus the
 * predefined schemas (`Schema.INT32_SCHEMA`, `Schema.OPTIONAL_STRING_SCHEMA`, ...).
 *
 * Build schemas with SchemaBuilder. Absent metadata is `null` (as in Kafka and in the JSON
 * envelope), and a `defaultValue` of null means "no default". `fields` is empty unless the type
 * is STRUCT; `keySchema` is null unless MAP and `valueSchema` null unless ARRAY or MAP. Kafka
 * allows a null element schema only for arrays and maps parsed from header strings whose
 * elements share no type (see Values.parseString).
 *
 * Values held under each type (the JS representation used throughout the runtime):
 *   INT8, INT16, INT32      number (an integer in range)
 *   INT64                   number when within ±(2^53-1), otherwise bigint; both are accepted
 *   FLOAT32, FLOAT64        number
 *   BOOLEAN                 boolean
 *   STRING                  string
 *   BYTES                   Buffer (any Uint8Array is accepted)
 *   ARRAY                   Array
 *   MAP                     Map (keys of any Connect type, insertion order kept)
 *   STRUCT                  Struct
 *   Decimal (logical)       Decimal
 *   Date, Time, Timestamp   Date
 */
import { DataError } from '../errors.js';
import type { SchemaType } from './schema-type.js';
import { valuesEqual } from './value-equality.js';

export interface SchemaInit {
  type: SchemaType;
  optional?: boolean;
  defaultValue?: unknown;
  name?: string | null;
  version?: number | null;
  doc?: string | null;
  parameters?: ReadonlyMap<string, string> | null;
  fields?: readonly Field[];
  keySchema?: Schema | null;
  valueSchema?: Schema | null;
}

export class Field {
  constructor(
    readonly name: string,
    readonly index: number,
    readonly schema: Schema,
  ) {}

  equals(other: unknown): boolean {
    return (
      this === other ||
      (other instanceof Field && other.name === this.name && other.index === this.index && this.schema.equals(other.schema))
    );
  }

  toString(): string {
    return `Field{name=${this.name}, index=${this.index}, schema=${this.schema.toString()}}`;
  }
}

const EMPTY_FIELDS: readonly Field[] = Object.freeze([]);

export class Schema {
  readonly type: SchemaType;
  readonly optional: boolean;
  readonly defaultValue: unknown;
  readonly name: string | null;
  readonly version: number | null;
  readonly doc: string | null;
  readonly parameters: ReadonlyMap<string, string> | null;
  readonly fields: readonly Field[];
  readonly keySchema: Schema | null;
  readonly valueSchema: Schema | null;
  readonly #fieldsByName: ReadonlyMap<string, Field>;

  constructor(init: SchemaInit) {
    this.type = init.type;
    this.optional = init.optional ?? false;
    this.defaultValue = init.defaultValue ?? null;
    this.name = init.name ?? null;
    this.version = init.version ?? null;
    this.doc = init.doc ?? null;
    this.parameters = init.parameters ? new Map(init.parameters) : null;
    this.fields = init.type === 'STRUCT' ? Object.freeze([...(init.fields ?? [])]) : EMPTY_FIELDS;
    this.keySchema = init.type === 'MAP' ? (init.keySchema ?? null) : null;
    this.valueSchema = init.type === 'MAP' || init.type === 'ARRAY' ? (init.valueSchema ?? null) : null;
    this.#fieldsByName = new Map(this.fields.map((f) => [f.name, f]));
    Object.freeze(this);
  }

  /** The named field of a STRUCT schema, or null. Throws DataError on a non-STRUCT schema. */
  field(name: string): Field | null {
    if (this.type !== 'STRUCT') throw new DataError(`Cannot look up fields on non-struct type ${this.type}`);
    return this.#fieldsByName.get(name) ?? null;
  }

  /** Kafka's ConnectSchema.equals: every attribute, fields, element schemas and the default value. */
  equals(other: unknown): boolean {
    if (this === other) return true;
    if (!(other instanceof Schema)) return false;
    return (
      this.type === other.type &&
      this.optional === other.optional &&
      this.name === other.name &&
      this.version === other.version &&
      this.doc === other.doc &&
      parametersEqual(this.parameters, other.parameters) &&
      valuesEqual(this.defaultValue, other.defaultValue) &&
      this.fields.length === other.fields.length &&
      this.fields.every((f, i) => f.equals(other.fields[i])) &&
      nullableSchemasEqual(this.keySchema, other.keySchema) &&
      nullableSchemasEqual(this.valueSchema, other.valueSchema)
    );
  }

  toString(): string {
    return this.name !== null ? `Schema{${this.name}:${this.type}}` : `Schema{${this.type}}`;
  }

  static readonly INT8_SCHEMA = new Schema({ type: 'INT8' });
  static readonly INT16_SCHEMA = new Schema({ type: 'INT16' });
  static readonly INT32_SCHEMA = new Schema({ type: 'INT32' });
  static readonly INT64_SCHEMA = new Schema({ type: 'INT64' });
  static readonly FLOAT32_SCHEMA = new Schema({ type: 'FLOAT32' });
  static readonly FLOAT64_SCHEMA = new Schema({ type: 'FLOAT64' });
  static readonly BOOLEAN_SCHEMA = new Schema({ type: 'BOOLEAN' });
  static readonly STRING_SCHEMA = new Schema({ type: 'STRING' });
  static readonly BYTES_SCHEMA = new Schema({ type: 'BYTES' });

  static readonly OPTIONAL_INT8_SCHEMA = new Schema({ type: 'INT8', optional: true });
  static readonly OPTIONAL_INT16_SCHEMA = new Schema({ type: 'INT16', optional: true });
  static readonly OPTIONAL_INT32_SCHEMA = new Schema({ type: 'INT32', optional: true });
  static readonly OPTIONAL_INT64_SCHEMA = new Schema({ type: 'INT64', optional: true });
  static readonly OPTIONAL_FLOAT32_SCHEMA = new Schema({ type: 'FLOAT32', optional: true });
  static readonly OPTIONAL_FLOAT64_SCHEMA = new Schema({ type: 'FLOAT64', optional: true });
  static readonly OPTIONAL_BOOLEAN_SCHEMA = new Schema({ type: 'BOOLEAN', optional: true });
  static readonly OPTIONAL_STRING_SCHEMA = new Schema({ type: 'STRING', optional: true });
  static readonly OPTIONAL_BYTES_SCHEMA = new Schema({ type: 'BYTES', optional: true });
}


function nullableSchemasEqual(a: Schema | null, b: Schema | null): boolean {
  return a === null || b === null ? a === b : a.equals(b);
}

function parametersEqual(a: ReadonlyMap<string, string> | null, b: ReadonlyMap<string, string> | null): boolean {
  if (a === null || b === null) return a === b;
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}
