/**
 * Java Avro's `Schema.toString()` (compact), the text Confluent Schema Registry stores for an Avro schema.
 *
 * Attribute order: `type`, `name`, `namespace` (only when it differs from the enclosing one; `""` for a
 * type in no namespace inside one that has one), `doc`, then `fields` / `symbols` (+ enum `default`) /
 * `size` / `items` / `values`, then custom props in textual order, then `aliases`. Fields: `name`, `type`,
 * `doc`, `default`, `order` (unless ascending), `aliases`, props. A primitive without props is a bare
 * string. A named type already printed (or defined by a reference, see `knownNames`) is printed as its
 * name, qualified unless it is in the enclosing namespace.
 */
import { jacksonText, quoteJson } from './jackson-text.js';
import { AVRO_PRIMITIVE_TYPES } from './avro-schema-model.js';
import type { AvroField, AvroName, AvroNamedType, AvroProps, AvroType } from './avro-schema-model.js';

/**
 * @param knownNames full names printed as bare names from the start (Confluent passes the top-level
 *   names of the referenced schemas). Not modified.
 */
export function avroSchemaText(type: AvroType, knownNames: Iterable<string> = []): string {
  return new AvroTextWriter(new Set(knownNames)).write(type, undefined);
}

class AvroTextWriter {
  constructor(private readonly knownNames: Set<string>) {}

  write(type: AvroType, namespace: string | undefined): string {
    switch (type.type) {
      case 'record':
      case 'enum':
      case 'fixed':
        return this.writeNamed(type, namespace);
      case 'array':
        return `{"type":"array","items":${this.write(type.items, namespace)}${propsText(type.props)}}`;
      case 'map':
        return `{"type":"map","values":${this.write(type.values, namespace)}${propsText(type.props)}}`;
      case 'union':
        return `[${type.branches.map((branch) => this.write(branch, namespace)).join(',')}]`;
      default:
        if (type.props.size === 0) return quoteJson(type.type);
        return `{"type":${quoteJson(type.type)}${propsText(type.props)}}`;
    }
  }

  private writeNamed(type: AvroNamedType, namespace: string | undefined): string {
    if (this.knownNames.has(type.name.full)) return quoteJson(qualifiedName(type.name, namespace));
    this.knownNames.add(type.name.full);
    const kind = type.type === 'record' && type.isError ? 'error' : type.type;
    let text = `{"type":"${kind}"${nameText(type.name, namespace)}`;
    if (type.doc !== undefined) text += `,"doc":${quoteJson(type.doc)}`;
    switch (type.type) {
      case 'record':
        text += `,"fields":[${type.fields.map((field) => this.writeField(field, type.name.space)).join(',')}]`;
        break;
      case 'enum':
        text += `,"symbols":[${type.symbols.map(quoteJson).join(',')}]`;
        if (type.enumDefault !== undefined) text += `,"default":${quoteJson(type.enumDefault)}`;
        break;
      case 'fixed':
        text += `,"size":${type.size}`;
        break;
    }
    text += propsText(type.props);
    if (type.aliases.length > 0) {
      text += `,"aliases":[${type.aliases.map((alias) => quoteJson(qualifiedName(alias, type.name.space))).join(',')}]`;
    }
    return `${text}}`;
  }

  private writeField(field: AvroField, namespace: string | undefined): string {
    let text = `{"name":${quoteJson(field.name)},"type":${this.write(field.type, namespace)}`;
    if (field.doc !== undefined) text += `,"doc":${quoteJson(field.doc)}`;
    if (field.default !== undefined) text += `,"default":${jacksonText(field.default)}`;
    if (field.order !== 'ascending') text += `,"order":"${field.order}"`;
    if (field.aliases.length > 0) text += `,"aliases":[${field.aliases.map(quoteJson).join(',')}]`;
    return `${text}${propsText(field.props)}}`;
  }
}

function nameText(name: AvroName, namespace: string | undefined): string {
  let text = `,"name":${quoteJson(name.name)}`;
  if (name.space !== undefined) {
    if (name.space !== namespace) text += `,"namespace":${quoteJson(name.space)}`;
  } else if (namespace !== undefined) {
    text += ',"namespace":""';
  }
  return text;
}

/** Java's `Name.getQualified`: the short name only inside its own namespace (and not shadowing a type name). */
function qualifiedName(name: AvroName, namespace: string | undefined): string {
  if (name.space !== undefined && name.space === namespace && !JAVA_TYPE_NAMES.has(name.name)) return name.name;
  return name.full;
}

const JAVA_TYPE_NAMES: ReadonlySet<string> = new Set([
  ...AVRO_PRIMITIVE_TYPES,
  'record',
  'enum',
  'array',
  'map',
  'union',
  'fixed',
]);

function propsText(props: AvroProps): string {
  let text = '';
  for (const [key, value] of props) text += `,${quoteJson(key)}:${jacksonText(value)}`;
  return text;
}
