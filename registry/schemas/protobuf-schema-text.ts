/**
 * The canonical text Confluent Schema Registry stores for a Protobuf schema (its own printer over
 * Wire's elements, not normalized): `syntax` (when written), `package`, a blank line and the imports
 * (public ones after), a blank line and the file options, a blank line and all messages then all
 * enums (each kind in declaration order: message indexes depend on it), extends, services. Inside a
 * message: reserved, options, fields, oneofs, extensions, extends, nested messages then nested enums,
 * each group after a blank line. Fields print `[label ]type name = tag[ options];` with `default` and
 * `json_name` moved after the other options; several options go one per line. Comments are dropped.
 * Nested blocks are indented two spaces per line (blank lines inside a nested block get the indent too).
 */
import { MAX_TAG } from './protobuf-schema-model.js';
import type {
  ProtoEnum,
  ProtoExtend,
  ProtoField,
  ProtoFile,
  ProtoMessage,
  ProtoOneOf,
  ProtoOption,
  ProtoOptionValue,
  ProtoRanges,
  ProtoService,
  ProtoType,
} from './protobuf-schema-model.js';

export function protoFileText(file: ProtoFile): string {
  let text = '';
  if (file.syntax !== undefined) text += `syntax = "${file.syntax}";\n`;
  if (file.packageName !== undefined) text += `package ${file.packageName};\n`;
  if (file.imports.length > 0 || file.publicImports.length > 0) {
    text += '\n';
    for (const path of file.imports) text += `import "${path}";\n`;
    for (const path of file.publicImports) text += `import public "${path}";\n`;
  }
  if (file.options.length > 0) text += `\n${file.options.map(optionStatement).join('')}`;
  if (file.types.length > 0) text += `\n${typesText(file.types, (t) => t)}`;
  if (file.extends.length > 0) text += `\n${file.extends.map(extendText).join('')}`;
  if (file.services.length > 0) text += `\n${file.services.map(serviceText).join('')}`;
  return text;
}

/** Messages first, then enums, each in declaration order; `wrap` indents nested ones. */
function typesText(types: readonly ProtoType[], wrap: (text: string) => string): string {
  const messages = types.filter((t): t is ProtoMessage => t.kind === 'message').map((m) => wrap(messageText(m)));
  const enums = types.filter((t): t is ProtoEnum => t.kind === 'enum').map((e) => wrap(enumText(e)));
  return [...messages, ...enums].join('');
}

function messageText(message: ProtoMessage): string {
  let text = `message ${message.name} {`;
  const section = (items: readonly string[]): void => {
    if (items.length > 0) text += `\n${items.map(indented).join('')}`;
  };
  section(message.reserveds.map((r) => rangesText('reserved', r)));
  section(message.options.map(optionStatement));
  section(message.fields.map((f) => fieldText(f)));
  section(message.oneOfs.map(oneOfText));
  section(message.extensions.map((r) => rangesText('extensions', r)));
  section(message.extends.map(extendText));
  if (message.nestedTypes.length > 0) text += `\n${typesText(message.nestedTypes, indented)}`;
  return `${text}}\n`;
}

function enumText(enumType: ProtoEnum): string {
  let text = `enum ${enumType.name} {`;
  if (enumType.reserveds.length > 0) text += `\n${enumType.reserveds.map((r) => indented(rangesText('reserved', r))).join('')}`;
  if (enumType.reserveds.length === 0 && (enumType.options.length > 0 || enumType.constants.length > 0)) text += '\n';
  text += enumType.options.map((o) => indented(optionStatement(o))).join('');
  for (const constant of enumType.constants) {
    const options = constant.options.length > 0 ? ` ${optionsList(constant.options.map(optionText))}` : '';
    text += indented(`${constant.name} = ${constant.tag}${options};\n`);
  }
  return `${text}}\n`;
}

function fieldText(field: ProtoField): string {
  const options = field.options.map(optionText);
  if (field.defaultValue !== undefined) options.push(`default = ${defaultText(field)}`);
  if (field.jsonName !== undefined) options.push(`json_name = "${escapeProtoString(field.jsonName)}"`);
  const label = field.label === undefined ? '' : `${field.label} `;
  return `${label}${field.type} ${field.name} = ${field.tag}${options.length > 0 ? ` ${optionsList(options)}` : ''};\n`;
}

/** Wire keeps a default as text and Confluent prints it by the field's type: only string is quoted. */
function defaultText(field: ProtoField): string {
  const value = field.defaultValue!;
  const raw = value.kind === 'string' ? value.value : value.kind === 'number' || value.kind === 'boolean' || value.kind === 'enum' ? value.text : '';
  return field.type === 'string' ? `"${escapeProtoString(raw)}"` : raw;
}

function oneOfText(oneOf: ProtoOneOf): string {
  let text = `oneof ${oneOf.name} {`;
  if (oneOf.options.length > 0) text += `\n${oneOf.options.map((o) => indented(optionStatement(o))).join('')}`;
  if (oneOf.fields.length > 0) text += `\n${oneOf.fields.map((f) => indented(fieldText(f))).join('')}`;
  return `${text}}\n`;
}

function extendText(extend: ProtoExtend): string {
  let text = `extend ${extend.name} {`;
  if (extend.fields.length > 0) text += `\n${extend.fields.map((f) => indented(fieldText(f))).join('')}`;
  return `${text}}\n`;
}

function serviceText(service: ProtoService): string {
  let text = `service ${service.name} {`;
  if (service.options.length > 0) text += `\n${service.options.map((o) => indented(optionStatement(o))).join('')}`;
  if (service.rpcs.length > 0) {
    text += '\n';
    for (const rpc of service.rpcs) {
      let line = `rpc ${rpc.name} (${rpc.requestStreaming ? 'stream ' : ''}${rpc.requestType}) returns (${rpc.responseStreaming ? 'stream ' : ''}${rpc.responseType})`;
      if (rpc.options.length > 0) line += ` {\n${rpc.options.map((o) => indented(optionStatement(o))).join('')}}`;
      text += indented(`${line};\n`);
    }
  }
  return `${text}}\n`;
}

function rangesText(keyword: string, ranges: ProtoRanges): string {
  const values = ranges.values.map((value) => {
    if (typeof value === 'string') return `"${value}"`;
    if (typeof value === 'number') return String(value);
    return `${value.start} to ${value.end === 'max' || value.end >= MAX_TAG ? 'max' : value.end}`;
  });
  const options = ranges.options.length > 0 ? ` ${optionsList(ranges.options.map(optionText))}` : '';
  return `${keyword} ${values.join(', ')}${options};\n`;
}

function optionStatement(option: ProtoOption): string {
  return `option ${optionText(option)};\n`;
}

function optionText(option: ProtoOption): string {
  const value = option.value;
  switch (value.kind) {
    case 'map':
      return `${option.name} = {\n${mapEntriesText(value.entries)}}`;
    case 'list':
      return `${option.name} = ${optionsList(value.items.map(valueText))}`;
    default:
      return `${option.name} = ${valueText(value)}`;
  }
}

function valueText(value: ProtoOptionValue): string {
  switch (value.kind) {
    case 'string':
      return `"${escapeProtoString(value.value)}"`;
    case 'map':
      return `{\n${mapEntriesText(value.entries)}}`;
    case 'list':
      return `[\n${value.items.map((item, i) => indented(valueText(item) + (i < value.items.length - 1 ? ',' : ''))).join('')}]`;
    default:
      return value.text;
  }
}

function mapEntriesText(entries: ReadonlyArray<readonly [string, ProtoOptionValue]>): string {
  return entries.map(([key, value], i) => indented(`${key}: ${valueText(value)}${i < entries.length - 1 ? ',' : ''}`)).join('');
}

/** `[one]` or one item per line between `[` and `]`, comma-separated. */
function optionsList(items: readonly string[]): string {
  if (items.length === 1) return `[${items[0]}]`;
  return `[\n${items.map((item, i) => indented(item + (i < items.length - 1 ? ',' : ''))).join('')}]`;
}

/** Two spaces before every line, as Java's `split("\n")` sees them (trailing empty lines dropped). */
function indented(text: string): string {
  const lines = text.split('\n');
  while (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines.map((line) => `  ${line}\n`).join('');
}

/** Confluent's escaping of option strings. */
export function escapeProtoString(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\x07\b\f\n\r\t\v\\'"]/g, (c) => PROTO_ESCAPES[c]!);
}

const PROTO_ESCAPES: Readonly<Record<string, string>> = {
  '\x07': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
  '\\': '\\\\',
  "'": "\\'",
  '"': '\\"',
};
