/**
 * Connect schema → the JSON Schema text Confluent's JsonSchemaConverter registers for it
 * (JsonSchemaData.fromConnectSchema), byte for byte, so that ferry and Java share ids and lookups.
 *
 * Mapping (reference §5.7):
 *   INT8..INT64          {"type":"integer","connect.type":"int8|int16|int32|int64"}
 *   FLOAT32/FLOAT64      {"type":"number","connect.type":"float32|float64"}
 *   BOOLEAN, STRING      {"type":"boolean"} / {"type":"string"}; a STRING with the parameter
 *                        `io.confluent.connect.json.Enum` is {"enum":[symbols]}
 *   BYTES                {"type":"string","connect.type":"bytes"} (base64 values); a Decimal with
 *                        decimal.format=NUMERIC is {"type":"number","connect.type":"bytes"}
 *   ARRAY                {"type":"array","items":…}
 *   MAP, required STRING keys   {"type":"object","connect.type":"map","additionalProperties":…}
 *   MAP, other keys      {"type":"array","connect.type":"map","items":{"type":"object","properties":
 *                        {"key":…,"value":…}}} (key and value carry connect.index 0 and 1)
 *   STRUCT               {"type":"object","title":name,"properties":{…}}, each property with
 *                        "connect.index"; "additionalProperties":false with object.additional.properties=false
 *   OneOf union STRUCT   {"oneOf":[…]} of its fields' schemas
 *   optional             {"oneOf":[{"type":"null"},<schema>]}, connect.index on the oneOf
 * and on every non-oneOf schema: title (the Connect name), description (doc), default,
 * connect.version, connect.parameters (except `io.confluent.connect.json.*` ones).
 *
 * Key order is what Confluent's printer (everit's ToStringVisitor, then Jackson) produces: per
 * schema kind, a few leading keywords, then title, description, default, then the extra keywords
 * (connect.*), then the nested schemas; the extra keywords, the struct properties and
 * connect.parameters in Java HashMap iteration order (java-hash-map-order.ts). Defaults pass
 * through org.json and back into Jackson, which strips trailing zeros of decimals, reorders
 * objects as HashMaps and reads fractions as BigDecimal (1.0E7 → 1.0E+7).
 */
import { Decimal } from '../../../../connectors/sdk/data/decimal.js';
import { DECIMAL_LOGICAL_NAME } from '../../../../connectors/sdk/data/logical-names.js';
import { Schema } from '../../../../connectors/sdk/data/schema.js';
import { schemaTypeName } from '../../../../connectors/sdk/data/schema-type.js';
import { JsonNumber, type JsonObject, type JsonValue } from '../json-text.js';
import { integer } from './jackson-json-print.js';
import type { JsonSchemaDataSettings } from './json-schema-data-config.js';
import { connectToJson, isObjectMap, JSON_ONE_OF_NAME, MAP_KEY_FIELD, MAP_VALUE_FIELD } from './json-schema-values.js';
import { copiedHashMapOrder, hashMapOrder, presizedHashMapOrder } from './java-hash-map-order.js';

export const JSON_NAMESPACE = 'io.confluent.connect.json';
export const JSON_ENUM_PARAMETER = `${JSON_NAMESPACE}.Enum`;
export const ENUM_NULL_MARKER = '<NULL>';
export const CONNECT_TYPE = 'connect.type';
export const CONNECT_INDEX = 'connect.index';
export const CONNECT_VERSION = 'connect.version';
export const CONNECT_PARAMETERS = 'connect.parameters';

/** An everit schema as JsonSchemaData builds it, before printing. */
interface Node {
  readonly kind: 'integer' | 'number' | 'boolean' | 'string' | 'enum' | 'array' | 'object' | 'oneOf' | 'null';
  title?: string;
  description?: string;
  default?: JsonValue;
  /** Extra ("unprocessed") keywords in insertion order. */
  extras: Map<string, JsonValue>;
  enumValues?: JsonValue[];
  items?: Node;
  additionalProperties?: Node;
  noAdditionalProperties?: boolean;
  properties?: [string, Node][];
  subschemas?: Node[];
}

/** The types that carry connect.type (their Kafka name); MAP adds "map". */
const TYPES_NAMED_IN_SCHEMA: ReadonlySet<string> = new Set(['INT8', 'INT16', 'INT32', 'INT64', 'FLOAT32', 'FLOAT64', 'BYTES']);

const NULL_NODE: Node = { kind: 'null', extras: new Map() };

/** The JSON Schema of a Connect schema, as an ordered JSON tree; print it with printJson. */
export function connectToJsonSchema(schema: Schema, settings: JsonSchemaDataSettings): JsonObject {
  return render(build(schema, null, false, settings));
}

function build(schema: Schema, index: number | null, ignoreOptional: boolean, settings: JsonSchemaDataSettings): Node {
  let node = baseNode(schema, settings);
  if (node.kind !== 'oneOf') {
    if (schema.name !== null) node.title = schema.name;
    if (schema.version !== null) node.extras.set(CONNECT_VERSION, integer(schema.version));
    if (schema.doc !== null) node.description = schema.doc;
    const parameters = [...(schema.parameters ?? [])].filter(([k]) => !k.startsWith(JSON_NAMESPACE));
    if (parameters.length > 0) node.extras.set(CONNECT_PARAMETERS, parametersObject(parameters));
    if (schema.defaultValue !== null) {
      const json = connectToJson(schema, schema.defaultValue, settings);
      if (json !== undefined) node.default = throughOrgJson(json);
    }
    if (!ignoreOptional && schema.optional) node = { kind: 'oneOf', extras: new Map(), subschemas: [NULL_NODE, node] };
  }
  if (index !== null) node.extras.set(CONNECT_INDEX, integer(index));
  return node;
}

function baseNode(schema: Schema, settings: JsonSchemaDataSettings): Node {
  const extras = new Map<string, JsonValue>();
  if (TYPES_NAMED_IN_SCHEMA.has(schema.type)) extras.set(CONNECT_TYPE, schemaTypeName(schema.type));
  switch (schema.type) {
    case 'INT8':
    case 'INT16':
    case 'INT32':
    case 'INT64':
      return { kind: 'integer', extras };
    case 'FLOAT32':
    case 'FLOAT64':
      return { kind: 'number', extras };
    case 'BOOLEAN':
      return { kind: 'boolean', extras };
    case 'STRING':
      return schema.parameters?.has(JSON_ENUM_PARAMETER) ? { kind: 'enum', extras, enumValues: enumSymbols(schema) } : { kind: 'string', extras };
    case 'BYTES':
      return { kind: schema.name === DECIMAL_LOGICAL_NAME && settings.decimalFormat === 'NUMERIC' ? 'number' : 'string', extras };
    case 'ARRAY':
      return { kind: 'array', extras, items: build(schema.valueSchema!, null, false, settings) };
    case 'MAP':
      extras.set(CONNECT_TYPE, 'map');
      if (isObjectMap(schema)) return { kind: 'object', extras, additionalProperties: build(schema.valueSchema!, null, false, settings) };
      return {
        kind: 'array',
        extras,
        items: {
          kind: 'object',
          extras: new Map(),
          properties: [[MAP_KEY_FIELD, build(schema.keySchema!, 0, false, settings)], [MAP_VALUE_FIELD, build(schema.valueSchema!, 1, false, settings)]],
        },
      };
    case 'STRUCT':
      if (schema.name === JSON_ONE_OF_NAME) {
        const branches = schema.fields.map((f) => build(required(f.schema), f.index, true, settings));
        return { kind: 'oneOf', extras, subschemas: schema.optional ? [NULL_NODE, ...branches] : branches };
      }
      if (schema.optional) return { kind: 'oneOf', extras, subschemas: [NULL_NODE, build(required(schema), null, false, settings)] };
      return {
        kind: 'object',
        extras,
        properties: schema.fields.map((f) => [f.name, build(f.schema, f.index, false, settings)]),
        noAdditionalProperties: !settings.objectAdditionalProperties,
      };
  }
}

/** The enum symbols of a STRING schema, from its `io.confluent.connect.json.Enum.<symbol>` parameters. */
function enumSymbols(schema: Schema): JsonValue[] {
  const prefix = `${JSON_ENUM_PARAMETER}.`;
  return [...schema.parameters!.keys()]
    .filter((k) => k.startsWith(prefix))
    .map((k) => k.slice(prefix.length))
    .map((symbol) => (symbol === ENUM_NULL_MARKER ? null : symbol));
}

/** The same schema, required. */
function required(schema: Schema): Schema {
  if (!schema.optional) return schema;
  return new Schema({
    type: schema.type,
    optional: false,
    defaultValue: schema.defaultValue,
    name: schema.name,
    version: schema.version,
    doc: schema.doc,
    parameters: schema.parameters,
    fields: schema.fields,
    keySchema: schema.keySchema,
    valueSchema: schema.valueSchema,
  });
}

/** connect.parameters: collected into a HashMap, then printed through org.json's JSONObject (a HashMap sized for it). */
function parametersObject(parameters: [string, string][]): JsonObject {
  const values = new Map(parameters);
  return new Map(presizedHashMapOrder(hashMapOrder([...values.keys()])).map((k) => [k, values.get(k)!]));
}

/** A default as it comes back from org.json into Jackson. */
function throughOrgJson(value: JsonValue): JsonValue {
  if (value instanceof JsonNumber) return orgJsonNumber(value);
  if (Array.isArray(value)) return value.map(throughOrgJson);
  if (value instanceof Map) return new Map(hashMapOrder([...value.keys()]).map((k) => [k, throughOrgJson(value.get(k)!)]));
  return value;
}

/** org.json strips trailing fraction zeros; Jackson then reads fractions as BigDecimal. */
function orgJsonNumber(n: JsonNumber): JsonNumber {
  if (n.integral) return n;
  let text = n.text;
  if (text.indexOf('.') > 0 && !/[eE]/.test(text)) text = text.replace(/0+$/, '').replace(/\.$/, '');
  if (!/[.eE]/.test(text)) return new JsonNumber(text, true);
  return new JsonNumber(Decimal.parse(text).toString(), false);
}

/** The printed key order of one schema object (everit's ToStringVisitor). */
function render(node: Node): JsonObject {
  const out: JsonObject = new Map();
  const common = () => {
    if (node.title !== undefined) out.set('title', node.title);
    if (node.description !== undefined) out.set('description', node.description);
    if (node.default !== undefined) out.set('default', node.default);
    const extras = node.extras;
    for (const k of copiedHashMapOrder(hashMapOrder([...extras.keys()]))) out.set(k, extras.get(k)!);
  };
  switch (node.kind) {
    case 'boolean':
      common();
      out.set('type', 'boolean');
      break;
    case 'enum':
      out.set('enum', node.enumValues!);
      common();
      break;
    case 'oneOf':
      common();
      out.set('oneOf', node.subschemas!.map(render));
      break;
    case 'array':
      out.set('type', 'array');
      common();
      out.set('items', render(node.items!));
      break;
    case 'object': {
      out.set('type', 'object');
      if (node.noAdditionalProperties) out.set('additionalProperties', false);
      common();
      if (node.additionalProperties !== undefined) out.set('additionalProperties', render(node.additionalProperties));
      const properties = new Map(node.properties ?? []);
      if (properties.size > 0) {
        const names = copiedHashMapOrder(hashMapOrder([...properties.keys()]));
        out.set('properties', new Map(names.map((name) => [name, render(properties.get(name)!)])));
      }
      break;
    }
    default:
      out.set('type', node.kind);
      common();
  }
  return out;
}
