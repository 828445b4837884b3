/**
 * Parses Avro schema text the way Confluent Schema Registry does for a schema being registered: Java
 * Avro 1.12's parser with strict (ASCII) name validation and default-value validation, the referenced
 * schemas parsed first into the same name space, and the canonical text printed by Java's
 * `Schema.toString` with the referenced top-level names left as names.
 *
 * Error messages are Java Avro's (`No type: ...`, `Undefined schema: ns.X`, `Can't redefine: ns.X`,
 * `Invalid default for field f: ... not a ...`, `Illegal character in: a-b`, ...); JSON syntax errors
 * carry our own text.
 */
import { JsonSyntaxError, readJsonTree, textValue } from './json-tree.js';
import type { JsonNode, JsonObjectNode } from './json-tree.js';
import { jacksonText } from './jackson-text.js';
import { avroSchemaText } from './avro-schema-text.js';
import { AVRO_PRIMITIVE_TYPES, fullNameOf, javaTypeName } from './avro-schema-model.js';
import type {
  AvroField,
  AvroFieldOrder,
  AvroName,
  AvroNamedType,
  AvroPrimitiveType,
  AvroProps,
  AvroRecord,
  AvroType,
} from './avro-schema-model.js';
import { InvalidSchemaError, resolveReferenceClosure } from './schema-types.js';
import type { ParsedSchemaBase, ReferenceResolver, SchemaReference } from './schema-types.js';

export interface AvroParsedSchema extends ParsedSchemaBase {
  readonly schemaType: 'AVRO';
  readonly avro: AvroType;
  /** Full names of the referenced schemas' top-level types (printed as bare names). */
  readonly referencedNames: readonly string[];
}

export function parseAvroSchema(
  text: string,
  references: readonly SchemaReference[],
  resolveReference: ReferenceResolver,
): AvroParsedSchema {
  const referenced = resolveReferenceClosure('AVRO', references, resolveReference);
  const names = new Map<string, AvroNamedType>();
  try {
    const knownNames: string[] = [];
    for (const ref of referenced) {
      const refType = new AvroParser(names).parseDocument(ref.schema);
      knownNames.push(fullNameOf(refType));
    }
    const avro = new AvroParser(names).parseDocument(text);
    return {
      schemaType: 'AVRO',
      canonicalText: avroSchemaText(avro, knownNames),
      originalText: text,
      references: [...references],
      avro,
      referencedNames: knownNames,
    };
  } catch (error) {
    if (error instanceof AvroParseError || error instanceof JsonSyntaxError) {
      throw new InvalidSchemaError('AVRO', error.message);
    }
    throw error;
  }
}

/** Java Avro's `SchemaParseException` / `AvroTypeException` while parsing. */
class AvroParseError extends Error {}

const SCHEMA_RESERVED = new Set(['doc', 'fields', 'items', 'name', 'namespace', 'size', 'symbols', 'values', 'type', 'aliases']);
const ENUM_RESERVED = new Set([...SCHEMA_RESERVED, 'default']);
const FIELD_RESERVED = new Set(['default', 'doc', 'name', 'order', 'type', 'aliases']);

/** A name used before the type it names was defined (Avro 1.12 resolves those after the whole document). */
interface PendingName {
  readonly type: 'pending';
  readonly full: string;
}

type Parsed = AvroType | PendingName;

interface MutableField extends Omit<AvroField, 'type'> {
  type: Parsed;
}

class AvroParser {
  private readonly pendingOwners: Array<() => void> = [];
  private readonly fieldsToValidate: MutableField[] = [];

  constructor(private readonly names: Map<string, AvroNamedType>) {}

  parseDocument(text: string): AvroType {
    const tree = readJsonTree(text, { allowComments: true });
    const parsed = this.parse(tree, undefined);
    for (const resolve of this.pendingOwners) resolve();
    const root = this.resolved(parsed);
    for (const field of this.fieldsToValidate) validateDefault(field as AvroField);
    return root;
  }

  private parse(node: JsonNode, namespace: string | undefined): Parsed {
    switch (node.kind) {
      case 'string':
        return this.find(node.value, namespace);
      case 'object':
        return this.parseObject(node, namespace);
      case 'array':
        return this.parseUnion(node.items, namespace);
      default:
        throw new AvroParseError(`Schema not yet supported: ${jacksonText(node)}`);
    }
  }

  private parseObject(node: JsonObjectNode, namespace: string | undefined): Parsed {
    const type = requiredText(node, 'type', 'No type');
    if (AVRO_PRIMITIVE_TYPES.has(type)) {
      return { type: type as AvroPrimitiveType, props: propsOf(node, SCHEMA_RESERVED) };
    }
    switch (type) {
      case 'record':
      case 'error':
        return this.parseRecord(node, namespace, type === 'error');
      case 'enum':
        return this.parseEnum(node, namespace);
      case 'array': {
        const items = node.entries.get('items');
        if (items === undefined) throw new AvroParseError(`Array has no items type: ${jacksonText(node)}`);
        const array = { type: 'array' as const, items: this.parse(items, namespace), props: propsOf(node, SCHEMA_RESERVED) };
        this.whenResolved(array, 'items');
        return array as AvroType;
      }
      case 'map': {
        const values = node.entries.get('values');
        if (values === undefined) throw new AvroParseError(`Map has no values type: ${jacksonText(node)}`);
        const map = { type: 'map' as const, values: this.parse(values, namespace), props: propsOf(node, SCHEMA_RESERVED) };
        this.whenResolved(map, 'values');
        return map as AvroType;
      }
      case 'fixed':
        return this.parseFixed(node, namespace);
      default:
        // Avro 1.12: {"type": "SomeName"} refers to a named type.
        return this.find(type, namespace);
    }
  }

  private parseRecord(node: JsonObjectNode, namespace: string | undefined, isError: boolean): AvroType {
    const name = this.definedName(node, namespace);
    const fields: MutableField[] = [];
    const record: AvroRecord = {
      type: 'record',
      isError,
      name,
      doc: textValue(node.entries.get('doc')),
      fields: fields as AvroField[],
      props: new Map(),
      aliases: [],
    };
    this.define(record);
    const fieldsNode = node.entries.get('fields');
    if (fieldsNode?.kind !== 'array') throw new AvroParseError(`Record has no fields: ${jacksonText(node)}`);
    const byName = new Map<string, MutableField>();
    for (const fieldNode of fieldsNode.items) {
      const field = this.parseField(fieldNode, name.space, fields.length);
      const existing = byName.get(field.name);
      if (existing !== undefined) {
        throw new AvroParseError(
          `Duplicate field ${field.name} in record ${name.full}: ${describeField(field)} and ${describeField(existing)}.`,
        );
      }
      byName.set(field.name, field);
      fields.push(field);
      this.fieldsToValidate.push(field);
    }
    Object.assign(record, { props: propsOf(node, SCHEMA_RESERVED), aliases: aliasNames(node, name.space) });
    return record;
  }

  private parseField(node: JsonNode, namespace: string | undefined, position: number): MutableField {
    const fieldObject = node.kind === 'object' ? node : undefined;
    const name = validName(requiredText(fieldObject ?? node, 'name', 'No field name'));
    const typeNode = fieldObject?.entries.get('type');
    if (fieldObject === undefined || typeNode === undefined) throw new AvroParseError(`No field type: ${jacksonText(node)}`);
    const type = this.parse(typeNode, namespace);
    let defaultValue = fieldObject.entries.get('default');
    if (defaultValue?.kind === 'string' && !isPending(type) && (type.type === 'float' || type.type === 'double')) {
      defaultValue = { kind: 'double', value: javaParseDouble(defaultValue.value) };
    }
    const field: MutableField = {
      name,
      type,
      doc: textValue(fieldObject.entries.get('doc')),
      default: defaultValue,
      order: fieldOrder(fieldObject.entries.get('order')),
      aliases: stringList(fieldObject, 'aliases') ?? [],
      props: propsOf(fieldObject, FIELD_RESERVED),
      position,
    };
    this.whenResolved(field, 'type');
    return field;
  }

  private parseEnum(node: JsonObjectNode, namespace: string | undefined): AvroType {
    const name = this.definedName(node, namespace);
    const symbolsNode = node.entries.get('symbols');
    if (symbolsNode?.kind !== 'array') throw new AvroParseError(`Enum has no symbols: ${jacksonText(node)}`);
    const symbols: string[] = [];
    for (const symbolNode of symbolsNode.items) {
      const symbol = validName(textValue(symbolNode));
      if (symbols.includes(symbol)) throw new AvroParseError(`Duplicate enum symbol: ${symbol}`);
      symbols.push(symbol);
    }
    const enumDefault = textValue(node.entries.get('default'));
    if (enumDefault !== undefined && !symbols.includes(enumDefault)) {
      throw new AvroParseError(`The Enum Default: ${enumDefault} is not in the enum symbol set: [${symbols.join(', ')}]`);
    }
    const result: AvroNamedType = {
      type: 'enum',
      name,
      doc: textValue(node.entries.get('doc')),
      symbols,
      enumDefault,
      props: propsOf(node, ENUM_RESERVED),
      aliases: aliasNames(node, name.space),
    };
    this.define(result);
    return result;
  }

  private parseFixed(node: JsonObjectNode, namespace: string | undefined): AvroType {
    const name = this.definedName(node, namespace);
    const sizeNode = node.entries.get('size');
    if (sizeNode?.kind !== 'integer' || sizeNode.value > 2147483647n || sizeNode.value < -2147483648n) {
      throw new AvroParseError(`Invalid or no size: ${jacksonText(node)}`);
    }
    if (sizeNode.value < 0n) throw new AvroParseError(`Malformed data. Length is negative: ${sizeNode.value}`);
    const result: AvroNamedType = {
      type: 'fixed',
      name,
      doc: textValue(node.entries.get('doc')),
      size: Number(sizeNode.value),
      props: propsOf(node, SCHEMA_RESERVED),
      aliases: aliasNames(node, name.space),
    };
    this.define(result);
    return result;
  }

  private parseUnion(items: readonly JsonNode[], namespace: string | undefined): Parsed {
    const branches: Parsed[] = items.map((item) => this.parse(item, namespace));
    const union = { type: 'union' as const, branches };
    this.pendingOwners.push(() => {
      for (let i = 0; i < branches.length; i++) branches[i] = this.resolved(branches[i]!);
      checkUnionBranches(branches as AvroType[]);
    });
    return union as AvroType;
  }

  /** A named type's name from `name` and `namespace`, validated as Java's strict validator does. */
  private definedName(node: JsonObjectNode, namespace: string | undefined): AvroName {
    const explicitSpace = textValue(node.entries.get('namespace'));
    const name = makeName(requiredText(node, 'name', 'No name in schema'), explicitSpace ?? namespace);
    if (AVRO_PRIMITIVE_TYPES.has(name.full)) throw new AvroParseError(`Schemas may not be named after primitives: ${name.full}`);
    return name;
  }

  private define(type: AvroNamedType): void {
    const full = type.name.full;
    const parts = full.split('.');
    for (const part of parts.slice(0, -1)) {
      const problem = nameProblem(part);
      if (problem !== undefined) throw new AvroParseError(`Namespace part "${part}" is invalid: ${problem}`);
    }
    const existing = this.names.get(full);
    if (existing !== undefined && (existing === type || avroSchemaText(existing) !== avroSchemaText(type))) {
      throw new AvroParseError(`Can't redefine: ${full}`);
    }
    this.names.set(full, type);
  }

  private find(name: string, namespace: string | undefined): Parsed {
    if (AVRO_PRIMITIVE_TYPES.has(name)) return { type: name as AvroPrimitiveType, props: new Map() };
    const full = namespace !== undefined && !name.includes('.') ? `${namespace}.${name}` : name;
    const found = this.names.get(full) ?? this.names.get(name);
    return found ?? { type: 'pending', full };
  }

  private whenResolved<K extends string>(owner: { [key in K]: Parsed }, key: K): void {
    if (isPending(owner[key])) this.pendingOwners.push(() => (owner[key] = this.resolved(owner[key])));
  }

  private resolved(parsed: Parsed): AvroType {
    if (!isPending(parsed)) return parsed;
    const found = this.names.get(parsed.full);
    if (found === undefined) throw new AvroParseError(`Undefined schema: ${parsed.full}`);
    return found;
  }
}

function isPending(parsed: Parsed): parsed is PendingName {
  return parsed.type === 'pending';
}

function checkUnionBranches(branches: readonly AvroType[]): void {
  const seen = new Set<string>();
  for (const branch of branches) {
    if (branch.type === 'union') throw new AvroParseError(`Nested union: ${avroSchemaText({ type: 'union', branches })}`);
    const name = fullNameOf(branch);
    if (seen.has(name)) throw new AvroParseError(`Duplicate in union:${name}`);
    seen.add(name);
  }
}

function requiredText(node: JsonNode, key: string, error: string): string {
  const value = node.kind === 'object' ? textValue(node.entries.get(key)) : undefined;
  if (value === undefined) throw new AvroParseError(`${error}: ${jacksonText(node)}`);
  return value;
}

function propsOf(node: JsonObjectNode, reserved: ReadonlySet<string>): AvroProps {
  const props = new Map<string, JsonNode>();
  for (const [key, value] of node.entries) if (!reserved.has(key)) props.set(key, value);
  return props;
}

function stringList(node: JsonObjectNode, key: string): string[] | undefined {
  const list = node.entries.get(key);
  if (list === undefined) return undefined;
  if (list.kind !== 'array') throw new AvroParseError(`aliases not an array: ${jacksonText(node)}`);
  const result: string[] = [];
  for (const item of list.items) {
    if (item.kind !== 'string') throw new AvroParseError(`alias not a string: ${jacksonText(item)}`);
    if (!result.includes(item.value)) result.push(item.value);
  }
  return result;
}

function aliasNames(node: JsonObjectNode, space: string | undefined): AvroName[] {
  const aliases: AvroName[] = [];
  for (const alias of stringList(node, 'aliases') ?? []) {
    const name = makeName(alias, space);
    if (!aliases.some((a) => a.full === name.full)) aliases.push(name);
  }
  return aliases;
}

/** Java's `new Schema.Name(name, space)`: a dotted name carries its own namespace; "" means none. */
function makeName(name: string, space: string | undefined): AvroName {
  const lastDot = name.lastIndexOf('.');
  let shortName = name;
  let namespace = space;
  if (lastDot >= 0) {
    namespace = name.slice(0, lastDot);
    shortName = name.slice(lastDot + 1);
  }
  validName(shortName);
  if (namespace === '') namespace = undefined;
  return { name: shortName, space: namespace, full: namespace === undefined ? shortName : `${namespace}.${shortName}` };
}

/** Avro's strict name rule, used by Confluent for new schemas: [A-Za-z_][A-Za-z0-9_]*. */
function validName(name: string | undefined): string {
  const problem = nameProblem(name);
  if (problem !== undefined) throw new AvroParseError(problem);
  return name!;
}

function nameProblem(name: string | undefined): string | undefined {
  if (name === undefined) return 'Null name';
  if (name.length === 0) return 'Empty name';
  if (!/^[A-Za-z_]/.test(name)) return `Illegal initial character: ${name}`;
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return `Illegal character in: ${name}`;
  return undefined;
}

function fieldOrder(node: JsonNode | undefined): AvroFieldOrder {
  if (node === undefined) return 'ascending';
  const text = textValue(node);
  const order = text?.toLowerCase();
  if (order === 'ascending' || order === 'descending' || order === 'ignore') return order;
  throw new AvroParseError(`No enum constant org.apache.avro.Schema.Field.Order.${text?.toUpperCase() ?? jacksonText(node)}`);
}

function describeField(field: MutableField): string {
  return `${field.name} type:${isPending(field.type) ? 'RECORD' : javaTypeName(field.type)} pos:${field.position}`;
}

/** Java's `Double.parseDouble` for the string defaults Avro accepts on float and double fields. */
function javaParseDouble(text: string): number {
  const trimmed = text.trim();
  const match = /^([+-]?)(NaN|Infinity|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)[fFdD]?$/.exec(trimmed);
  if (match === null) throw new AvroParseError(`For input string: "${text}"`);
  const value = match[2] === 'NaN' ? NaN : match[2] === 'Infinity' ? Infinity : Number(match[2]);
  return match[1] === '-' ? -value : value;
}

function validateDefault(field: AvroField): void {
  if (field.default !== undefined && !isValidDefault(field.type, field.default)) {
    throw new AvroParseError(
      `Invalid default for field ${field.name}: ${jacksonText(field.default)} not a ${avroSchemaText(field.type)}`,
    );
  }
}

/** Java Avro's `Schema.isValidDefault` (a union default may match any branch since Avro 1.12). */
export function isValidDefault(type: AvroType, value: JsonNode | undefined): boolean {
  if (value === undefined) return false;
  switch (type.type) {
    case 'string':
    case 'bytes':
    case 'enum':
    case 'fixed':
      return value.kind === 'string';
    case 'int':
      return value.kind === 'integer' && value.value >= -2147483648n && value.value <= 2147483647n;
    case 'long':
      return value.kind === 'integer' && value.value >= -9223372036854775808n && value.value <= 9223372036854775807n;
    case 'float':
    case 'double':
      return value.kind === 'integer' || value.kind === 'double';
    case 'boolean':
      return value.kind === 'boolean';
    case 'null':
      return value.kind === 'null';
    case 'array':
      return value.kind === 'array' && value.items.every((item) => isValidDefault(type.items, item));
    case 'map':
      return value.kind === 'object' && [...value.entries.values()].every((v) => isValidDefault(type.values, v));
    case 'union':
      return type.branches.some((branch) => isValidDefault(branch, value));
    case 'record':
      return (
        value.kind === 'object' &&
        type.fields.every((f) => isValidDefault(f.type, value.entries.get(f.name) ?? f.default))
      );
  }
}
