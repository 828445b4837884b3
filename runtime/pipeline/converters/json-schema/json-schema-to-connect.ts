/**
 * JSON Schema → Connect schema (Confluent's JsonSchemaData.toConnectSchema), for schemas the
 * JsonSchemaConverter wrote and for plain ones other producers registered.
 *
 *   {"type":"boolean"}                         BOOLEAN
 *   {"type":"integer"} / {"type":"number"}     connect.type decides (int8..int64, float32/64, bytes
 *                                              for a numeric Decimal); without it INT64 / FLOAT64
 *   {"type":"string"}                          STRING, or BYTES with "connect.type":"bytes"
 *   {"enum":[…]} / {"const":…}                 STRING with `io.confluent.connect.json.Enum` parameters
 *   {"type":"array","items":…}                 ARRAY; with "connect.type":"map" and object items
 *                                              with "key" and "value" properties, a MAP
 *   {"type":"object","connect.type":"map"}     MAP of STRING to additionalProperties
 *   {"type":"object","properties":…}           STRUCT named by title, fields ordered by connect.index
 *   {"oneOf"|"anyOf":[null, X]}                X, optional
 *   other oneOf/anyOf                          STRUCT `io.confluent.connect.json.OneOf`, one optional
 *                                              field `…OneOf.field.<i>` per branch
 *   {"type":[…]}                               as anyOf of each type
 *   {"$ref":"#/…"}                             the schema it points to in the same document, or in the
 *                                              registry reference of that name (`other.json#/…`)
 * then title → name, connect.version (else the registry version, at the top) → version,
 * description → doc, connect.parameters → parameters, default → default.
 *
 * Properties without connect.index take their place in Java HashMap order, as Confluent's reader
 * (which sees them through a HashMap) gives them. Unsupported: allOf of several schemas, recursive
 * references, and schemas that accept anything (`{}`, `true`); they fail with a DataError.
 */
import { DataError } from '../../../../connectors/sdk/errors.js';
import type { Schema } from '../../../../connectors/sdk/data/schema.js';
import { SchemaBuilder } from '../../../../connectors/sdk/data/schema-builder.js';
import { schemaTypeFromName } from '../../../../connectors/sdk/data/schema-type.js';
import { JsonNumber, nodeType, type JsonObject, type JsonValue } from '../json-text.js';
import { CONNECT_INDEX, CONNECT_PARAMETERS, CONNECT_TYPE, CONNECT_VERSION, ENUM_NULL_MARKER, JSON_ENUM_PARAMETER } from './connect-to-json-schema.js';
import type { JsonSchemaDataSettings } from './json-schema-data-config.js';
import { jsonToConnect, JSON_ONE_OF_NAME, MAP_KEY_FIELD, MAP_VALUE_FIELD } from './json-schema-values.js';
import { copiedHashMapOrder, hashMapOrder } from './java-hash-map-order.js';

const MAX_REFERENCE_DEPTH = 64;
const NUMERIC_CONNECT_TYPES: ReadonlySet<string> = new Set(['INT8', 'INT16', 'INT32', 'INT64', 'FLOAT32', 'FLOAT64', 'BYTES']);

/** Where a schema being read sits: how many references deep, in which document. */
interface Place {
  readonly depth: number;
  readonly root: JsonValue;
}

/**
 * The Connect schema of a JSON Schema document; `version` is the subject version it was registered
 * under, `references` the documents of its registry references by name.
 */
export function jsonSchemaToConnect(
  document: JsonValue,
  version: number | null,
  settings: JsonSchemaDataSettings,
  references: ReadonlyMap<string, JsonValue> = new Map(),
): Schema {
  return new Reader(settings, references).read(document, version, false, { depth: 0, root: document });
}

class Reader {
  constructor(
    private readonly settings: JsonSchemaDataSettings,
    private readonly references: ReadonlyMap<string, JsonValue>,
  ) {}

  read(node: JsonValue | undefined, version: number | null, forceOptional: boolean, at: Place): Schema {
    if (!(node instanceof Map)) throw new DataError(`Unsupported JSON Schema ${node === undefined ? '(missing)' : nodeType(node)}: ferry maps object schemas to Connect schemas`);
    const ref = node.get('$ref');
    if (typeof ref === 'string') {
      const target = this.resolve(ref, at);
      return this.read(target.node, version, forceOptional, target.at);
    }
    const types = node.get('type');
    if (Array.isArray(types)) {
      const branches = types.map((t) => new Map([...node].filter(([k]) => k !== 'type').concat([['type', t]])));
      return this.combined(new Map([['anyOf', branches]]), branches, version, forceOptional, at);
    }
    for (const keyword of ['oneOf', 'anyOf', 'allOf'] as const) {
      const branches = node.get(keyword);
      if (Array.isArray(branches)) {
        if (keyword === 'allOf' && branches.length !== 1) throw new DataError('Unsupported JSON Schema: allOf of several schemas');
        return this.combined(node, branches, version, forceOptional, at);
      }
    }
    const builder = this.base(node, at);
    const title = node.get('title');
    if (typeof title === 'string' && builder.build().name === null) builder.name(title);
    const connectVersion = node.get(CONNECT_VERSION);
    if (connectVersion instanceof JsonNumber) builder.version(Number(connectVersion.text));
    else if (version !== null) builder.version(version);
    const description = node.get('description');
    if (typeof description === 'string') builder.doc(description);
    const parameters = node.get(CONNECT_PARAMETERS);
    if (parameters instanceof Map) {
      for (const [k, v] of parameters) if (typeof v === 'string') builder.parameter(k, v);
    }
    const defaultNode = node.get('default');
    if (defaultNode !== undefined && defaultNode !== null) builder.defaultValue(jsonToConnect(builder.build(), defaultNode, 'default'));
    if (forceOptional) builder.optional();
    return builder.build();
  }

  private base(node: JsonObject, at: Place): SchemaBuilder {
    const connectType = node.get(CONNECT_TYPE);
    if (Array.isArray(node.get('enum'))) return enumBuilder(node.get('enum') as JsonValue[]);
    if (node.has('const')) return enumBuilder([node.get('const')!]);
    const type = node.get('type') ?? (node.has('properties') ? 'object' : node.has('items') ? 'array' : undefined);
    switch (type) {
      case 'boolean':
        return SchemaBuilder.bool();
      case 'integer':
      case 'number': {
        if (typeof connectType !== 'string') return type === 'integer' ? SchemaBuilder.int64() : SchemaBuilder.float64();
        const connect = schemaTypeFromName(connectType);
        if (connect === undefined || !NUMERIC_CONNECT_TYPES.has(connect)) throw new DataError(`Unsupported connect.type ${connectType} for a JSON Schema ${type}`);
        return SchemaBuilder.type(connect);
      }
      case 'string':
        return connectType === 'bytes' ? SchemaBuilder.bytes() : SchemaBuilder.string();
      case 'array': {
        const items = node.get('items');
        if (items === undefined) throw new DataError('Array schema did not specify the items type');
        if (connectType === 'map' && items instanceof Map && items.get('properties') instanceof Map) {
          const properties = items.get('properties') as JsonObject;
          return SchemaBuilder.map(this.read(properties.get(MAP_KEY_FIELD), null, false, at), this.read(properties.get(MAP_VALUE_FIELD), null, false, at));
        }
        return SchemaBuilder.array(this.read(items, null, false, at));
      }
      case 'object':
        if (connectType === 'map') return SchemaBuilder.map(SchemaBuilder.string().build(), this.read(node.get('additionalProperties'), null, false, at));
        return this.struct(node, at);
      default:
        throw new DataError(`Unsupported JSON Schema${type === undefined ? ' without a type' : ` type ${JSON.stringify(type)}`}: ferry maps boolean, integer, number, string, array, object, enum and oneOf schemas`);
    }
  }

  private struct(node: JsonObject, at: Place): SchemaBuilder {
    const properties = node.get('properties');
    const byIndex = new Map<number, [string, JsonValue]>();
    if (properties instanceof Map) {
      for (const name of copiedHashMapOrder(hashMapOrder([...properties.keys()]))) {
        const property = properties.get(name)!;
        const index = property instanceof Map && property.get(CONNECT_INDEX) instanceof JsonNumber ? Number((property.get(CONNECT_INDEX) as JsonNumber).text) : byIndex.size;
        byIndex.set(index, [name, property]);
      }
    }
    const required = node.get('required');
    const requiredNames = new Set(Array.isArray(required) ? required.filter((r): r is string => typeof r === 'string') : []);
    const builder = SchemaBuilder.struct();
    for (const [, [name, property]] of [...byIndex].sort(([a], [b]) => a - b)) {
      const optional = this.settings.useOptionalForNonrequired && !requiredNames.has(name);
      builder.field(name, this.read(property, null, optional, at));
    }
    return builder;
  }

  private combined(node: JsonObject, branches: JsonValue[], version: number | null, forceOptional: boolean, at: Place): Schema {
    if (branches.length === 1 && (this.settings.flattenSingletonUnions || node.has('allOf'))) return this.read(branches[0], null, false, at);
    const isNull = (b: JsonValue) => b instanceof Map && b.get('type') === 'null';
    if (branches.length === 2 && branches.some(isNull)) return this.read(branches.find((b) => !isNull(b)), version, true, at);
    const builder = SchemaBuilder.struct().name(JSON_ONE_OF_NAME);
    let index = 0;
    for (const branch of branches) {
      if (isNull(branch)) builder.optional();
      else builder.field(`${JSON_ONE_OF_NAME}.field.${index++}`, this.read(branch, null, true, at));
    }
    if (forceOptional) builder.optional();
    return builder.build();
  }

  /**
   * What a `$ref` points to: a JSON pointer (`#`, `#/definitions/X`, `#/$defs/X`) in the document being
   * read, or the document of the registry reference named before the `#` (`address.json#/…`).
   */
  private resolve(ref: string, at: Place): { readonly node: JsonValue; readonly at: Place } {
    if (at.depth >= MAX_REFERENCE_DEPTH) throw new DataError(`Unsupported JSON Schema: reference ${ref} is recursive`);
    const hash = ref.indexOf('#');
    const documentName = hash < 0 ? ref : ref.slice(0, hash);
    const pointer = hash < 0 ? '' : ref.slice(hash + 1);
    const root = documentName === '' ? at.root : this.references.get(documentName);
    if (root === undefined) throw new DataError(`Unsupported JSON Schema reference ${ref}: neither within the schema (#/…) nor one of its references`);
    let target: JsonValue | undefined = root;
    for (const raw of pointer.split('/').filter((s) => s !== '')) {
      const segment = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
      target = target instanceof Map ? target.get(segment) : Array.isArray(target) ? target[Number(segment)] : undefined;
    }
    if (target === undefined) throw new DataError(`JSON Schema reference ${ref} points to nothing`);
    return { node: target, at: { depth: at.depth + 1, root } };
  }
}

function enumBuilder(values: JsonValue[]): SchemaBuilder {
  const builder = SchemaBuilder.string().parameter(JSON_ENUM_PARAMETER, '');
  for (const v of values) {
    const symbol = v === null ? ENUM_NULL_MARKER : typeof v === 'string' ? v : v instanceof JsonNumber ? v.text : JSON.stringify(v);
    builder.parameter(`${JSON_ENUM_PARAMETER}.${symbol}`, symbol);
  }
  return builder;
}
