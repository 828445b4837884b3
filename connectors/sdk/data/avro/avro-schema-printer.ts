/**
 * The text Java Avro's `Schema.toString()` prints, which is what Confluent's AvroConverter
 * registers: compact JSON with attributes in Java's order —
 *
 *   primitive  a bare name (`"int"`) unless it has props: {"type", props...}
 *   record     type, name, namespace*, doc, fields, props..., aliases
 *   field      name, type, doc, default, order (unless ascending), aliases, props...
 *   enum       type, name, namespace*, doc, symbols, default, props..., aliases
 *   fixed      type, name, namespace*, doc, size, props..., aliases
 *   array/map  type, items/values, props...
 *   union      a JSON array of its branches
 *
 * `namespace` is written only when it differs from the enclosing record's (an empty string for a
 * null namespace inside a named one). A named type is written in full once; later occurrences are
 * its name, short when it shares the enclosing namespace. Two different types with one name fail
 * with Java's "Can't redefine: <name>".
 */
import { DataError } from '../../errors.js';
import { fullName, type AvroField, type AvroNamed, type AvroProps, type AvroSchema } from './avro-schema.js';
import { jsonString, printJson } from './json-value.js';
import { sameAvroSchema } from './avro-schema-equality.js';

export function printAvroSchema(schema: AvroSchema): string {
  return new Printer().print(schema, null);
}

class Printer {
  private readonly written = new Map<string, AvroNamed>();

  print(schema: AvroSchema, space: string | null): string {
    switch (schema.type) {
      case 'union':
        return `[${schema.branches.map((b) => this.print(b, space)).join(',')}]`;
      case 'array':
        return `{"type":"array","items":${this.print(schema.items, space)}${props(schema.props)}}`;
      case 'map':
        return `{"type":"map","values":${this.print(schema.values, space)}${props(schema.props)}}`;
      case 'record':
      case 'enum':
      case 'fixed':
        return this.named(schema, space);
      default:
        return schema.props.size === 0 ? `"${schema.type}"` : `{"type":"${schema.type}"${props(schema.props)}}`;
    }
  }

  private named(schema: AvroNamed, space: string | null): string {
    const name = fullName(schema);
    const earlier = this.written.get(name);
    if (earlier !== undefined) {
      if (earlier === schema || sameAvroSchema(earlier, schema)) return jsonString(qualified(schema, space));
      throw new DataError(`Can't redefine: ${name}`);
    }
    this.written.set(name, schema);
    let out = `{"type":"${schema.type}","name":${jsonString(schema.name)}`;
    if (schema.namespace !== null && schema.namespace !== '') {
      if (schema.namespace !== space) out += `,"namespace":${jsonString(schema.namespace)}`;
    } else if (space !== null && space !== '') {
      out += ',"namespace":""';
    }
    if (schema.doc !== null) out += `,"doc":${jsonString(schema.doc)}`;
    switch (schema.type) {
      case 'record':
        out += `,"fields":[${schema.fields.map((f) => this.field(f, schema.namespace)).join(',')}]`;
        break;
      case 'enum':
        out += `,"symbols":[${schema.symbols.map(jsonString).join(',')}]`;
        if (schema.default !== null) out += `,"default":${jsonString(schema.default)}`;
        break;
      case 'fixed':
        out += `,"size":${schema.size}`;
        break;
    }
    return `${out}${props(schema.props)}${aliases(schema.aliases)}}`;
  }

  private field(field: AvroField, space: string | null): string {
    let out = `{"name":${jsonString(field.name)},"type":${this.print(field.type, space)}`;
    if (field.doc !== null) out += `,"doc":${jsonString(field.doc)}`;
    if (field.default !== undefined) out += `,"default":${printJson(field.default)}`;
    if (field.order !== 'ascending') out += `,"order":"${field.order}"`;
    return `${out}${aliases(field.aliases)}${props(field.props)}}`;
  }
}

/** Java's Name.getQualified: the short name within its own namespace, else the full name. */
function qualified(schema: AvroNamed, space: string | null): string {
  return schema.namespace === null || schema.namespace === '' || schema.namespace === space ? schema.name : fullName(schema);
}

function props(map: AvroProps): string {
  let out = '';
  for (const [k, v] of map) out += `,${jsonString(k)}:${printJson(v)}`;
  return out;
}

function aliases(list: readonly string[]): string {
  return list.length === 0 ? '' : `,"aliases":[${list.map(jsonString).join(',')}]`;
}
