/**
 * Reads a possibly nested field (`order.customer.id`) of a record value, which is a Struct
 * (with a schema), a Map, or a plain object (schemaless JSON). `found: false` when some step of
 * the path is missing or not a container.
 */
import { Struct } from '../../sdk/data/struct.js';

export type FieldLookup = { found: true; value: unknown } | { found: false };

export function fieldAt(value: unknown, path: string): FieldLookup {
  let current = value;
  for (const step of path.split('.')) {
    if (current instanceof Struct) {
      if (current.schema.field(step) === null) return { found: false };
      current = current.get(step);
    } else if (current instanceof Map) {
      if (!current.has(step)) return { found: false };
      current = current.get(step);
    } else if (current !== null && typeof current === 'object' && !Array.isArray(current) && !(current instanceof Uint8Array)) {
      if (!Object.prototype.hasOwnProperty.call(current, step)) return { found: false };
      current = (current as Record<string, unknown>)[step];
    } else {
      return { found: false };
    }
  }
  return { found: true, value: current };
}
