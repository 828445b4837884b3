/**
 * Structural equality of Avro schemas (Java's Schema.equals): type, names, docs aside from
 * field docs, fields with their defaults and order, symbols, sizes and every prop. A pair of
 * records already under comparison counts as equal, so self-referencing records terminate.
 */
import type { AvroField, AvroProps, AvroSchema } from './avro-schema.js';
import { printJson } from './json-value.js';

export function sameAvroSchema(a: AvroSchema, b: AvroSchema, seen: Set<string> = new Set(), ids = new Map<AvroSchema, number>()): boolean {
  if (a === b) return true;
  if (a.type !== b.type) return false;
  switch (a.type) {
    case 'union': {
      const other = b as typeof a;
      return a.branches.length === other.branches.length && a.branches.every((x, i) => sameAvroSchema(x, other.branches[i]!, seen, ids));
    }
    case 'array':
      return sameProps(a.props, (b as typeof a).props) && sameAvroSchema(a.items, (b as typeof a).items, seen, ids);
    case 'map':
      return sameProps(a.props, (b as typeof a).props) && sameAvroSchema(a.values, (b as typeof a).values, seen, ids);
    case 'enum': {
      const other = b as typeof a;
      return a.name === other.name && a.namespace === other.namespace && sameProps(a.props, other.props)
        && a.default === other.default && a.symbols.join('\u0000') === other.symbols.join('\u0000');
    }
    case 'fixed': {
      const other = b as typeof a;
      return a.name === other.name && a.namespace === other.namespace && a.size === other.size && sameProps(a.props, other.props);
    }
    case 'record': {
      const other = b as typeof a;
      if (a.name !== other.name || a.namespace !== other.namespace || !sameProps(a.props, other.props)) return false;
      const pair = `${idOf(ids, a)}:${idOf(ids, other)}`;
      if (seen.has(pair)) return true;
      seen.add(pair);
      return a.fields.length === other.fields.length && a.fields.every((f, i) => sameField(f, other.fields[i]!, seen, ids));
    }
    default:
      return sameProps(a.props, (b as typeof a).props);
  }
}

function sameField(a: AvroField, b: AvroField, seen: Set<string>, ids: Map<AvroSchema, number>): boolean {
  return a.name === b.name && a.order === b.order && sameProps(a.props, b.props)
    && (a.default === undefined ? b.default === undefined : b.default !== undefined && printJson(a.default) === printJson(b.default))
    && sameAvroSchema(a.type, b.type, seen, ids);
}

function sameProps(a: AvroProps, b: AvroProps): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) {
    const w = b.get(k);
    if (w === undefined || printJson(v) !== printJson(w)) return false;
  }
  return true;
}

function idOf(ids: Map<AvroSchema, number>, schema: AvroSchema): number {
  let id = ids.get(schema);
  if (id === undefined) {
    id = ids.size;
    ids.set(schema, id);
  }
  return id;
}
