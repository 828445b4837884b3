/**
 * A Protobuf schema sent as a base64 `FileDescriptorProto` (what Confluent's Python, Go and .NET
 * serializers register) turned into the elements of a `.proto` file, the way Confluent converts a
 * descriptor: fields keep their fully-qualified type names (`.pkg.Msg`), map fields stay `repeated`
 * fields of their synthetic `...Entry` message (with `option map_entry = true`), proto3 fields lose
 * their `optional` label unless `proto3_optional`, oneofs left without fields (proto3 optional's
 * synthetic ones) disappear, reserved and extension ranges become inclusive, and the standard options
 * are written in Confluent's order. Custom options (extensions of the options messages, including
 * Confluent's `confluent.*` meta) and editions features are not carried over.
 */
import { createRequire } from 'node:module';
import type protobuf from 'protobufjs';
import type {
  ProtoEnum,
  ProtoField,
  ProtoFile,
  ProtoLabel,
  ProtoMessage,
  ProtoOneOf,
  ProtoOption,
  ProtoRanges,
  ProtoService,
  ProtoType,
} from './protobuf-schema-model.js';

const require = createRequire(import.meta.url);
const descriptor = require('protobufjs/ext/descriptor') as { FileDescriptorProto: protobuf.Type };

/* The decoded descriptor as plain objects (protobufjs field names, enum names as strings). */
interface Options {
  readonly [name: string]: unknown;
}
interface FieldDescriptor {
  name: string;
  number: number;
  label?: string;
  type?: string;
  typeName?: string;
  extendee?: string;
  defaultValue?: string;
  oneofIndex?: number;
  jsonName?: string;
  options?: Options;
  proto3Optional?: boolean;
}
interface Range {
  start?: number;
  end?: number;
}
interface MessageDescriptor {
  name: string;
  field?: FieldDescriptor[];
  extension?: FieldDescriptor[];
  nestedType?: MessageDescriptor[];
  enumType?: EnumDescriptor[];
  extensionRange?: Range[];
  oneofDecl?: Array<{ name: string }>;
  options?: Options;
  reservedRange?: Range[];
  reservedName?: string[];
}
interface EnumDescriptor {
  name: string;
  value?: Array<{ name: string; number: number; options?: Options }>;
  options?: Options;
  reservedRange?: Range[];
  reservedName?: string[];
}
interface FileDescriptor {
  name?: string;
  package?: string;
  dependency?: string[];
  publicDependency?: number[];
  weakDependency?: number[];
  messageType?: MessageDescriptor[];
  enumType?: EnumDescriptor[];
  service?: Array<{
    name: string;
    method?: Array<{ name: string; inputType: string; outputType: string; clientStreaming?: boolean; serverStreaming?: boolean; options?: Options }>;
    options?: Options;
  }>;
  extension?: FieldDescriptor[];
  options?: Options;
  syntax?: string;
}

/**
 * The file a base64 text describes, or undefined when the text is not a base64 `FileDescriptorProto`
 * naming at least a file, a package or a type.
 */
export function protoFileFromDescriptor(text: string): ProtoFile | undefined {
  const compact = text.trim();
  if (compact === '' || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact) || compact.length % 4 !== 0) return undefined;
  let file: FileDescriptor;
  try {
    const message = descriptor.FileDescriptorProto.decode(Buffer.from(compact, 'base64'));
    file = descriptor.FileDescriptorProto.toObject(message, { enums: String, longs: Number, defaults: false }) as FileDescriptor;
  } catch {
    return undefined;
  }
  if (file.name === undefined && file.package === undefined && (file.messageType ?? []).length === 0 && (file.enumType ?? []).length === 0) {
    return undefined;
  }
  return new DescriptorConverter(file.syntax === 'proto3').file(file);
}

const FILE_OPTIONS: ReadonlyArray<[string, string, OptionKind]> = [
  ['javaPackage', 'java_package', 'string'],
  ['javaOuterClassname', 'java_outer_classname', 'string'],
  ['javaMultipleFiles', 'java_multiple_files', 'boolean'],
  ['javaGenerateEqualsAndHash', 'java_generate_equals_and_hash', 'boolean'],
  ['javaStringCheckUtf8', 'java_string_check_utf8', 'boolean'],
  ['optimizeFor', 'optimize_for', 'enum'],
  ['goPackage', 'go_package', 'string'],
  ['ccGenericServices', 'cc_generic_services', 'boolean'],
  ['javaGenericServices', 'java_generic_services', 'boolean'],
  ['pyGenericServices', 'py_generic_services', 'boolean'],
  ['deprecated', 'deprecated', 'boolean'],
  ['ccEnableArenas', 'cc_enable_arenas', 'boolean'],
  ['objcClassPrefix', 'objc_class_prefix', 'string'],
  ['csharpNamespace', 'csharp_namespace', 'string'],
  ['swiftPrefix', 'swift_prefix', 'string'],
  ['phpClassPrefix', 'php_class_prefix', 'string'],
  ['phpNamespace', 'php_namespace', 'string'],
  ['phpMetadataNamespace', 'php_metadata_namespace', 'string'],
  ['rubyPackage', 'ruby_package', 'string'],
];
const MESSAGE_OPTIONS: ReadonlyArray<[string, string, OptionKind]> = [
  ['noStandardDescriptorAccessor', 'no_standard_descriptor_accessor', 'boolean'],
  ['deprecated', 'deprecated', 'boolean'],
  ['mapEntry', 'map_entry', 'boolean'],
];
const FIELD_OPTIONS: ReadonlyArray<[string, string, OptionKind]> = [
  ['ctype', 'ctype', 'enum'],
  ['packed', 'packed', 'boolean'],
  ['jstype', 'jstype', 'enum'],
  ['deprecated', 'deprecated', 'boolean'],
  ['debugRedact', 'debug_redact', 'boolean'],
  ['retention', 'retention', 'enum'],
];
const ENUM_OPTIONS: ReadonlyArray<[string, string, OptionKind]> = [
  ['allowAlias', 'allow_alias', 'boolean'],
  ['deprecated', 'deprecated', 'boolean'],
];
const ENUM_VALUE_OPTIONS: ReadonlyArray<[string, string, OptionKind]> = [
  ['deprecated', 'deprecated', 'boolean'],
  ['debugRedact', 'debug_redact', 'boolean'],
];
const METHOD_OPTIONS: ReadonlyArray<[string, string, OptionKind]> = [
  ['deprecated', 'deprecated', 'boolean'],
  ['idempotencyLevel', 'idempotency_level', 'enum'],
];
const SERVICE_OPTIONS: ReadonlyArray<[string, string, OptionKind]> = [['deprecated', 'deprecated', 'boolean']];

type OptionKind = 'string' | 'boolean' | 'enum';

function standardOptions(options: Options | undefined, table: ReadonlyArray<[string, string, OptionKind]>): ProtoOption[] {
  if (options === undefined) return [];
  const result: ProtoOption[] = [];
  for (const [key, name, kind] of table) {
    const value = options[key];
    if (value === undefined || value === null) continue;
    result.push({ name, value: kind === 'string' ? { kind: 'string', value: String(value) } : { kind, text: String(value) } });
  }
  if (table === FIELD_OPTIONS && Array.isArray(options.targets)) {
    for (const target of options.targets) result.push({ name: 'targets', value: { kind: 'enum', text: String(target) } });
  }
  return result;
}

const SCALAR_TYPE_NAMES: Readonly<Record<string, string>> = {
  TYPE_DOUBLE: 'double', TYPE_FLOAT: 'float', TYPE_INT64: 'int64', TYPE_UINT64: 'uint64', TYPE_INT32: 'int32',
  TYPE_FIXED64: 'fixed64', TYPE_FIXED32: 'fixed32', TYPE_BOOL: 'bool', TYPE_STRING: 'string', TYPE_GROUP: 'group',
  TYPE_MESSAGE: 'message', TYPE_BYTES: 'bytes', TYPE_UINT32: 'uint32', TYPE_ENUM: 'enum', TYPE_SFIXED32: 'sfixed32',
  TYPE_SFIXED64: 'sfixed64', TYPE_SINT32: 'sint32', TYPE_SINT64: 'sint64',
};

class DescriptorConverter {
  constructor(private readonly proto3: boolean) {}

  file(file: FileDescriptor): ProtoFile {
    const dependencies = file.dependency ?? [];
    const publicIndexes = new Set(file.publicDependency ?? []);
    const weakIndexes = new Set(file.weakDependency ?? []);
    const services: ProtoService[] = (file.service ?? []).map((service) => ({
      name: service.name,
      options: standardOptions(service.options, SERVICE_OPTIONS),
      rpcs: (service.method ?? []).map((method) => ({
        name: method.name,
        requestType: method.inputType,
        requestStreaming: method.clientStreaming === true,
        responseType: method.outputType,
        responseStreaming: method.serverStreaming === true,
        options: standardOptions(method.options, METHOD_OPTIONS),
      })),
    }));
    return {
      syntax: file.syntax === 'proto2' || file.syntax === 'proto3' ? file.syntax : undefined,
      packageName: file.package === undefined || file.package === '' ? undefined : file.package,
      imports: dependencies.filter((_, i) => !publicIndexes.has(i) && !weakIndexes.has(i)),
      publicImports: dependencies.filter((_, i) => publicIndexes.has(i)),
      options: standardOptions(file.options, FILE_OPTIONS),
      types: [...(file.messageType ?? []).map((m) => this.message(m)), ...(file.enumType ?? []).map((e) => this.enumType(e))],
      extends: this.extendsOf(file.extension ?? []),
      services,
    };
  }

  private message(message: MessageDescriptor): ProtoMessage {
    const oneOfFields: ProtoField[][] = (message.oneofDecl ?? []).map(() => []);
    const fields: ProtoField[] = [];
    for (const field of message.field ?? []) {
      if (field.oneofIndex !== undefined && field.proto3Optional !== true && oneOfFields[field.oneofIndex] !== undefined) {
        oneOfFields[field.oneofIndex]!.push(this.field(field, true));
      } else {
        fields.push(this.field(field, false));
      }
    }
    const oneOfs: ProtoOneOf[] = (message.oneofDecl ?? [])
      .map((decl, i) => ({ name: decl.name, options: [], fields: oneOfFields[i]! }))
      .filter((oneOf) => oneOf.fields.length > 0);
    const nestedTypes: ProtoType[] = [...(message.nestedType ?? []).map((m) => this.message(m)), ...(message.enumType ?? []).map((e) => this.enumType(e))];
    return {
      kind: 'message',
      name: message.name,
      reserveds: [...(message.reservedRange ?? []).map((r) => exclusiveRange(r)), ...(message.reservedName ?? []).map((name) => ({ values: [name], options: [] }))],
      options: standardOptions(message.options, MESSAGE_OPTIONS),
      fields,
      oneOfs,
      extensions: (message.extensionRange ?? []).map((r) => exclusiveRange(r)),
      extends: this.extendsOf(message.extension ?? []),
      nestedTypes,
    };
  }

  private enumType(enumType: EnumDescriptor): ProtoEnum {
    return {
      kind: 'enum',
      name: enumType.name,
      reserveds: [
        ...(enumType.reservedRange ?? []).map((r): ProtoRanges => {
          const start = r.start ?? 0;
          const end = r.end ?? 0;
          return { values: [start === end ? start : { start, end }], options: [] };
        }),
        ...(enumType.reservedName ?? []).map((name) => ({ values: [name], options: [] })),
      ],
      options: standardOptions(enumType.options, ENUM_OPTIONS),
      constants: (enumType.value ?? []).map((value) => ({ name: value.name, tag: value.number, options: standardOptions(value.options, ENUM_VALUE_OPTIONS) })),
    };
  }

  private field(field: FieldDescriptor, inOneOf: boolean): ProtoField {
    const type = field.typeName ?? SCALAR_TYPE_NAMES[field.type ?? ''] ?? 'bytes';
    const defaultValue =
      !this.proto3 && field.defaultValue !== undefined
        ? type === 'string'
          ? ({ kind: 'string', value: field.defaultValue } as const)
          : ({ kind: 'number', text: field.defaultValue } as const)
        : undefined;
    return {
      label: inOneOf ? undefined : this.label(field),
      type,
      name: field.name,
      tag: field.number,
      options: standardOptions(field.options, FIELD_OPTIONS),
      defaultValue,
      jsonName: field.jsonName,
    };
  }

  private label(field: FieldDescriptor): ProtoLabel | undefined {
    if (field.proto3Optional === true) return 'optional';
    switch (field.label) {
      case 'LABEL_REPEATED':
        return 'repeated';
      case 'LABEL_REQUIRED':
        return this.proto3 ? undefined : 'required';
      default:
        return this.proto3 ? undefined : 'optional';
    }
  }

  private extendsOf(fields: readonly FieldDescriptor[]): Array<{ name: string; fields: ProtoField[] }> {
    const byExtendee = new Map<string, ProtoField[]>();
    for (const field of fields) {
      const extendee = field.extendee ?? '';
      if (!byExtendee.has(extendee)) byExtendee.set(extendee, []);
      byExtendee.get(extendee)!.push(this.field(field, false));
    }
    return [...byExtendee].map(([name, extendFields]) => ({ name, fields: extendFields }));
  }
}

/** A descriptor range (end exclusive) as `reserved`/`extensions` write it (end inclusive). */
function exclusiveRange(range: Range): ProtoRanges {
  const start = range.start ?? 0;
  const end = (range.end ?? start + 1) - 1;
  return { values: [start === end ? start : { start, end }], options: [] };
}
