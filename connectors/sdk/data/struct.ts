/**
 * A STRUCT value (Kafka's Struct): one slot per field of its schema, in field order.
 *
 * `put` validates the value against the field's schema and throws a DataError naming the
 * field; `get` returns the field's default when the slot is null; `validate` checks that every
 * required field without a default is set (call it before handing a struct on, as Kafka's
 * converters do implicitly). Equality compares schema and values deeply.
 */
import { DataError } from '../errors.js';
import { displayString } from './display-string.js';
import type { Decimal } from './decimal.js';
import type { Field, Schema } from './schema.js';
import type { SchemaType } from './schema-type.js';
import { validateValue } from './validate-value.js';
import { valuesEqual } from './value-equality.js';

export class Struct {
  readonly schema: Schema;
  private readonly values: unknown[];

  constructor(schema: Schema) {
    if (schema.type !== 'STRUCT') throw new DataError(`Not a struct schema: ${schema.toString()}`);
    this.schema = schema;
    this.values = new Array<unknown>(schema.fields.length).fill(null);
  }

  /** The field's value, or its schema's default when the value is null. */
  get(field: string | Field): unknown {
    const f = this.lookup(field);
    const value = this.values[f.index];
    return value === null && f.schema.defaultValue !== null ? f.schema.defaultValue : value;
  }

  getWithoutDefault(field: string | Field): unknown {
    return this.values[this.lookup(field).index];
  }

  /** Sets a field after validating the value against the field's schema. */
  put(field: string | Field, value: unknown): this {
    const f = this.lookup(field);
    validateValue(f.schema, value, f.name);
    this.values[f.index] = value ?? null;
    return this;
  }

  getInt8(field: string): number | null {
    return this.getChecked(field, 'INT8') as number | null;
  }

  getInt16(field: string): number | null {
    return this.getChecked(field, 'INT16') as number | null;
  }

  getInt32(field: string): number | null {
    return this.getChecked(field, 'INT32') as number | null;
  }

  getInt64(field: string): number | bigint | null {
    return this.getChecked(field, 'INT64') as number | bigint | null;
  }

  getFloat32(field: string): number | null {
    return this.getChecked(field, 'FLOAT32') as number | null;
  }

  getFloat64(field: string): number | null {
    return this.getChecked(field, 'FLOAT64') as number | null;
  }

  getBoolean(field: string): boolean | null {
    return this.getChecked(field, 'BOOLEAN') as boolean | null;
  }

  getString(field: string): string | null {
    return this.getChecked(field, 'STRING') as string | null;
  }

  /** BYTES fields; a Decimal-typed BYTES field returns its Decimal, so prefer getDecimal there. */
  getBytes(field: string): Buffer | null {
    return this.getChecked(field, 'BYTES') as Buffer | null;
  }

  getDecimal(field: string): Decimal | null {
    return this.getChecked(field, 'BYTES') as Decimal | null;
  }

  getArray<T = unknown>(field: string): T[] | null {
    return this.getChecked(field, 'ARRAY') as T[] | null;
  }

  getMap<K = unknown, V = unknown>(field: string): Map<K, V> | null {
    return this.getChecked(field, 'MAP') as Map<K, V> | null;
  }

  getStruct(field: string): Struct | null {
    return this.getChecked(field, 'STRUCT') as Struct | null;
  }

  /**
   * Checks every field: a null is allowed when the field is optional or has a default; set
   * values are validated deeply. `path` prefixes field names in error messages.
   *
   * Every set value passed `put`'s validation, and `put` is the only way to set one, so what
   * can have become invalid since is only: a required field never set, the fields of a nested
   * Struct (checked recursively), and the contents of arrays and maps (mutable containers,
   * validated again). Scalars, logical values and Buffers are not checked again.
   */
  validate(path?: string): void {
    const fields = this.schema.fields;
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i]!;
      const value = this.values[f.index];
      if (value === null) {
        if (f.schema.optional || f.schema.defaultValue !== null) continue;
        validateValue(f.schema, value, path ? `${path}.${f.name}` : f.name);
      } else if (f.schema.type === 'STRUCT') {
        (value as Struct).validate(path ? `${path}.${f.name}` : f.name);
      } else if (f.schema.type === 'ARRAY' || f.schema.type === 'MAP') {
        validateValue(f.schema, value, path ? `${path}.${f.name}` : f.name);
      }
    }
  }

  equals(other: unknown): boolean {
    if (this === other) return true;
    if (!(other instanceof Struct) || !this.schema.equals(other.schema)) return false;
    return this.values.every((v, i) => valuesEqual(v, other.values[i]));
  }

  /** Kafka's form: `Struct{id=42,name=Ann}`, null fields left out. */
  toString(): string {
    const parts: string[] = [];
    this.schema.fields.forEach((f, i) => {
      const value = this.values[i];
      if (value !== null) parts.push(`${f.name}=${displayString(value, f.schema)}`);
    });
    return `Struct{${parts.join(',')}}`;
  }

  private lookup(field: string | Field): Field {
    if (typeof field !== 'string') {
      if (this.schema.fields[field.index] !== field && !this.schema.fields[field.index]?.equals(field)) {
        throw new DataError(`${field.name} is not a field of ${this.schema.toString()}`);
      }
      return field;
    }
    const found = this.schema.field(field);
    if (found === null) throw new DataError(`${field} is not a valid field name`);
    return found;
  }

  private getChecked(field: string, type: SchemaType): unknown {
    const f = this.lookup(field);
    if (f.schema.type !== type) throw new DataError(`Field '${field}' is not of type ${type}`);
    return this.values[f.index];
  }
}
