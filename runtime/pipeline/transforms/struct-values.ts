/** Reading struct fields under `replace.null.with.default`. */
import type { Field } from '../../../connectors/sdk/data/schema.js';
import type { Struct } from '../../../connectors/sdk/data/struct.js';

/** The field's value; a null reads as the field's default when `replaceNullWithDefault` is on. */
export function fieldValue(struct: Struct, field: Field | string, replaceNullWithDefault: boolean): unknown {
  return replaceNullWithDefault ? struct.get(field) : struct.getWithoutDefault(field);
}
