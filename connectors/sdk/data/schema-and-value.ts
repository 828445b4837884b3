/** A value together with the schema it was read or is to be written with; both may be null. */
import type { Schema } from './schema.js';
import { valuesEqual } from './value-equality.js';

export class SchemaAndValue {
  static readonly NULL = new SchemaAndValue(null, null);

  constructor(
    readonly schema: Schema | null,
    readonly value: unknown,
  ) {
    Object.freeze(this);
  }

  equals(other: unknown): boolean {
    if (!(other instanceof SchemaAndValue)) return false;
    const schemasEqual = this.schema === null || other.schema === null ? this.schema === other.schema : this.schema.equals(other.schema);
    return schemasEqual && valuesEqual(this.value, other.value);
  }

  toString(): string {
    return `SchemaAndValue{schema=${this.schema?.toString() ?? 'null'}, value=${String(this.value)}}`;
  }
}
