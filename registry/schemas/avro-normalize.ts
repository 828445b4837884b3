/**
 * Confluent's normalized form of an Avro schema (`normalize=true` on register, lookup and compatibility,
 * or `normalize` in the subject's config): the schema written in a fixed shape, then parsed again and
 * printed like any other schema, so the stored text is still Java's `Schema.toString`.
 *
 * The fixed shape (Confluent's variant of Avro's parsing canonical form):
 * - named types carry their full name and no `namespace` key; names already written, and the
 *   top-level names of referenced schemas, are written as the quoted full name; `error` becomes `record`;
 * - props: a valid logical type's own props first (`logicalType`, and `precision`, `scale` unless 0 for
 *   decimal), then all props sorted by key, nested objects with sorted keys;
 * - named types: a non-empty `doc`, `aliases` sorted, an enum's `default`;
 * - fields: `order`, `doc`, `aliases` sorted, `default` as Java holds it for the field's type (an int
 *   literal on a double field becomes `1.0`; a union default is read with the first branch; a default
 *   Java cannot read that way is dropped), field props sorted.
 * Reading that text again has Avro's own effects, which Confluent's stored text shows too: a nested type
 * in no namespace inside a namespaced record takes the record's namespace.
 */
import { javaDoubleText, jacksonText, quoteJson } from './jackson-text.js';
import type { JsonNode } from './json-tree.js';
import { aliasFullNames } from './avro-schema-model.js';
import type { AvroField, AvroProps, AvroType } from './avro-schema-model.js';

export function normalizedAvroText(root: AvroType, referencedNames: Iterable<string>): string {
  const written = new Set(referencedNames);
  const build = (type: AvroType): string => {
    switch (type.type) {
      case 'union':
        return `[${type.branches.map(build).join(',')}]`;
      case 'array':
        return `{"type":"array","items":${build(type.items)}${propsText(type, type.props)}}`;
      case 'map':
        return `{"type":"map","values":${build(type.values)}${propsText(type, type.props)}}`;
      case 'record':
      case 'enum':
      case 'fixed': {
        const fullName = type.name.full;
        if (written.has(fullName)) return quoteJson(fullName);
        written.add(fullName);
        let text = `{"name":${quoteJson(fullName)},"type":"${type.type}"`;
        if (type.type === 'enum') text += `,"symbols":[${type.symbols.map(quoteJson).join(',')}]`;
        else if (type.type === 'fixed') text += `,"size":${type.size}`;
        else text += `,"fields":[${type.fields.map((field) => fieldText(field, build)).join(',')}]`;
        text += logicalPropsText(type);
        if (type.doc !== undefined && type.doc !== '') text += `,"doc":${quoteJson(type.doc)}`;
        const aliases = aliasFullNames(type).sort();
        if (aliases.length > 0) text += `,"aliases":[${[...new Set(aliases)].map(quoteJson).join(',')}]`;
        if (type.type === 'enum' && type.enumDefault !== undefined) text += `,"default":${quoteJson(type.enumDefault)}`;
        return `${text}${sortedPropsText(type.props)}}`;
      }
      default:
        if (logicalTypeOf(type) === undefined && type.props.size === 0) return quoteJson(type.type);
        return `{"type":"${type.type}"${propsText(type, type.props)}}`;
    }
  };
  return build(root);
}

function fieldText(field: AvroField, build: (type: AvroType) => string): string {
  let text = `{"name":${quoteJson(field.name)},"type":${build(field.type)},"order":"${field.order.toUpperCase()}"`;
  if (field.doc !== undefined) text += `,"doc":${quoteJson(field.doc)}`;
  if (field.aliases.length > 0) text += `,"aliases":[${[...new Set(field.aliases)].sort().map(quoteJson).join(',')}]`;
  const defaultValue = field.default === undefined ? undefined : javaDefault(field.default, field.type);
  if (defaultValue !== undefined) text += `,"default":${defaultValue}`;
  return `${text}${sortedPropsText(field.props)}}`;
}

function propsText(type: AvroType, props: AvroProps): string {
  return logicalPropsText(type) + sortedPropsText(props);
}

function sortedPropsText(props: AvroProps): string {
  return [...props.keys()]
    .sort()
    .map((key) => `,${quoteJson(key)}:${sortedJsonText(props.get(key)!)}`)
    .join('');
}

/** JSON with object keys sorted at every level (Confluent prints props through a sorting node factory). */
function sortedJsonText(node: JsonNode): string {
  if (node.kind === 'object') {
    return `{${[...node.entries.keys()].sort().map((key) => `${quoteJson(key)}:${sortedJsonText(node.entries.get(key)!)}`).join(',')}}`;
  }
  if (node.kind === 'array') return `[${node.items.map(sortedJsonText).join(',')}]`;
  if (node.kind === 'integer' && (node.value > 9223372036854775807n || node.value < -9223372036854775808n)) return 'null';
  return jacksonText(node);
}

const LOGICAL_TYPE_BASES: Readonly<Record<string, readonly string[]>> = {
  date: ['int'],
  'time-millis': ['int'],
  'time-micros': ['long'],
  'timestamp-millis': ['long'],
  'timestamp-micros': ['long'],
  'timestamp-nanos': ['long'],
  'local-timestamp-millis': ['long'],
  'local-timestamp-micros': ['long'],
  'local-timestamp-nanos': ['long'],
  'big-decimal': ['bytes'],
  uuid: ['string', 'fixed'],
  decimal: ['bytes', 'fixed'],
};

const PROPS_INCOMPATIBLE_WITH_LOGICAL_TYPES = ['avro.java.string', 'java-class', 'java-key-class', 'java-element-class'];

/** The logical type Avro 1.12 recognises on `type` (invalid ones are ignored, as Avro does). */
function logicalTypeOf(type: AvroType): string | undefined {
  if (type.type === 'union') return undefined;
  const name = type.props.get('logicalType');
  if (name?.kind !== 'string') return undefined;
  if (LOGICAL_TYPE_BASES[name.value]?.includes(type.type) !== true) return undefined;
  if (PROPS_INCOMPATIBLE_WITH_LOGICAL_TYPES.some((prop) => type.props.get(prop)?.kind === 'string')) return undefined;
  if (name.value === 'uuid' && type.type === 'fixed' && type.size !== 16) return undefined;
  if (name.value === 'decimal') {
    const { precision, scale } = decimalOf(type);
    if (precision === undefined || scale === undefined || precision <= 0 || scale < 0 || scale > precision) return undefined;
    if (type.type === 'fixed' && precision > Math.round(Math.floor(Math.log10(2) * (8 * type.size - 1)))) return undefined;
  }
  return name.value;
}

function decimalOf(type: Exclude<AvroType, { type: 'union' }>): { precision: number | undefined; scale: number | undefined } {
  const asInt = (node: JsonNode | undefined): number | undefined =>
    node?.kind === 'integer' && node.value >= -2147483648n && node.value <= 2147483647n ? Number(node.value) : undefined;
  const precision = asInt(type.props.get('precision'));
  const scale = type.props.has('scale') ? asInt(type.props.get('scale')) : 0;
  return { precision, scale };
}

function logicalPropsText(type: AvroType): string {
  const logical = logicalTypeOf(type);
  if (logical === undefined || type.type === 'union') return '';
  let text = `,"logicalType":${quoteJson(logical)}`;
  if (logical === 'decimal') {
    const { precision, scale } = decimalOf(type);
    text += `,"precision":${precision}`;
    if (scale !== 0) text += `,"scale":${scale}`;
  }
  return text;
}

/**
 * A field default as Java Avro's `Field.defaultVal()` reads it for the field's type and Jackson writes
 * it back; undefined where Java reads nothing (the default is then left out).
 */
function javaDefault(value: JsonNode, type: AvroType | undefined): string | undefined {
  if (type?.type === 'union') return javaDefault(value, type.branches[0]);
  switch (value.kind) {
    case 'null':
      return 'null';
    case 'boolean':
      return value.value ? 'true' : 'false';
    case 'integer': {
      if (value.value > 9223372036854775807n || value.value < -9223372036854775808n) return undefined;
      if (type?.type === 'float') return javaDoubleText(shortestFloat(Number(value.value)));
      if (type?.type === 'double') return javaDoubleText(Number(value.value));
      return value.value.toString();
    }
    case 'double':
      if (type === undefined || type.type === 'double') return javaDoubleText(value.value);
      if (type.type === 'float') return javaDoubleText(shortestFloat(value.value));
      return undefined;
    case 'string':
      if (type === undefined || type.type === 'string' || type.type === 'enum') return quoteJson(value.value);
      if (type.type === 'bytes' || type.type === 'fixed') return quoteJson(latin1(value.value));
      return undefined;
    case 'array': {
      const items = type?.type === 'array' ? type.items : undefined;
      return `[${value.items.map((item) => javaDefault(item, items) ?? 'null').join(',')}]`;
    }
    case 'object': {
      const entries = [...value.entries.keys()].sort().map((key) => {
        const valueType = type?.type === 'map' ? type.values : type?.type === 'record' ? type.fields.find((f) => f.name === key)?.type : undefined;
        return `${quoteJson(key)}:${javaDefault(value.entries.get(key)!, valueType) ?? 'null'}`;
      });
      return `{${entries.join(',')}}`;
    }
  }
}

/** The double Java gets from a float: the shortest decimal that reads back as the same float. */
function shortestFloat(value: number): number {
  const single = Math.fround(value);
  if (!Number.isFinite(single) || single === 0) return single;
  for (let digits = 1; digits <= 9; digits++) {
    const candidate = Number(single.toPrecision(digits));
    if (Math.fround(candidate) === single) return candidate;
  }
  return single;
}

/** The string Java gets back from `getBytes(ISO_8859_1)`: characters outside Latin-1 become `?`. */
function latin1(text: string): string {
  return Array.from(text, (c) => (c.codePointAt(0)! > 0xff ? '?' : c)).join('');
}
