/**
 * Protobuf compatibility as Confluent Schema Registry decides it: a diff from the original (writer's)
 * file to the update (reader's) file, fields matched by tag number, and the update compatible when
 * every difference is in the compatible set.
 *
 * Compatible: MESSAGE_ADDED, MESSAGE_MOVED, ENUM_ADDED, ENUM_REMOVED, ENUM_CONST_ADDED,
 * ENUM_CONST_CHANGED, ENUM_CONST_REMOVED, FIELD_ADDED, FIELD_REMOVED, FIELD_NAME_CHANGED,
 * FIELD_STRING_OR_BYTES_LABEL_CHANGED, ONEOF_ADDED, ONEOF_REMOVED, ONEOF_FIELD_ADDED,
 * ONEOF_FIELD_MOVED_TO_TOP_LEVEL.
 * Incompatible: PACKAGE_CHANGED, MESSAGE_REMOVED, FIELD_KIND_CHANGED (scalar/enum ↔ message ↔ map),
 * FIELD_SCALAR_KIND_CHANGED (outside the interchangeable groups {int32, int64, uint32, uint64, bool,
 * enums}, {sint32, sint64}, {string, bytes}, {fixed32, sfixed32}, {fixed64, sfixed64}, float, double),
 * FIELD_NAMED_TYPE_CHANGED (a message field's type renamed, or a type from another referenced subject
 * version that changed incompatibly), FIELD_NUMERIC_LABEL_CHANGED (both labels written and different),
 * REQUIRED_FIELD_ADDED/REMOVED, ONEOF_FIELD_REMOVED, MULTIPLE_FIELDS_MOVED_TO_ONEOF,
 * FIELD_MOVED_TO_EXISTING_ONEOF.
 * Paths are `#/Message/Nested/<tag>` (a oneof's name before its fields' tags). Type names resolve as in
 * protobuf (innermost scope first, the package, then as written), across referenced files. As in
 * Confluent, a field without a label (proto3) never reports a label change, and types of imports
 * without a reference (well-known types) are compared by name only.
 * Not covered: groups and map-entry messages written out by hand (`option map_entry = true`).
 */
import { declaredProtoTypes, resolveProtoTypeName } from '../schemas/protobuf-names.js';
import type { DeclaredProtoType } from '../schemas/protobuf-names.js';
import { SCALAR_TYPES } from '../schemas/protobuf-schema-model.js';
import type { ProtoEnum, ProtoField, ProtoLabel, ProtoMessage, ProtoType } from '../schemas/protobuf-schema-model.js';
import type { ProtobufParsedSchema } from '../schemas/protobuf-schema.js';

export interface ProtobufDifference {
  readonly type: string;
  readonly path: string;
}

const COMPATIBLE = new Set([
  'MESSAGE_ADDED', 'MESSAGE_MOVED', 'ENUM_ADDED', 'ENUM_REMOVED', 'ENUM_CONST_ADDED', 'ENUM_CONST_CHANGED',
  'ENUM_CONST_REMOVED', 'FIELD_ADDED', 'FIELD_REMOVED', 'FIELD_NAME_CHANGED', 'FIELD_STRING_OR_BYTES_LABEL_CHANGED',
  'ONEOF_ADDED', 'ONEOF_REMOVED', 'ONEOF_FIELD_ADDED', 'ONEOF_FIELD_MOVED_TO_TOP_LEVEL',
]);

/** Every difference from `original` to `update`. */
export function protobufDifferences(original: ProtobufParsedSchema, update: ProtobufParsedSchema): ProtobufDifference[] {
  const context = new ProtoDiffContext(typeIndex(original), typeIndex(update), new Set(), [], []);
  if ((original.proto.packageName ?? '') !== (update.proto.packageName ?? '')) context.add('PACKAGE_CHANGED');
  context.compareTypes(original.proto.types, update.proto.types);
  return context.differences;
}

/** The differences that make `update` unable to read what `original` wrote. */
export function protobufIncompatibilities(original: ProtobufParsedSchema, update: ProtobufParsedSchema): ProtobufDifference[] {
  return protobufDifferences(original, update).filter((d) => !COMPATIBLE.has(d.type));
}

type TypeInfo = DeclaredProtoType;

interface TypeIndex {
  readonly packageName: string;
  readonly types: ReadonlyMap<string, TypeInfo>;
  /** Identifies the referenced subject version behind each import path. */
  readonly sourceVersions: ReadonlyMap<string, string>;
}

function typeIndex(schema: ProtobufParsedSchema): TypeIndex {
  const sourceVersions = new Map(schema.references.map((ref) => [ref.name, `${ref.subject}:${ref.version}`]));
  return { packageName: schema.proto.packageName ?? '', types: declaredProtoTypes(schema.proto, schema.dependencies), sourceVersions };
}

type ScalarKind = 'GENERAL_NUMBER' | 'SIGNED_NUMBER' | 'STRING_OR_BYTES' | 'FIXED32' | 'FIXED64' | 'FLOAT' | 'DOUBLE';

const SCALAR_KINDS: Readonly<Record<string, ScalarKind>> = {
  int32: 'GENERAL_NUMBER', int64: 'GENERAL_NUMBER', uint32: 'GENERAL_NUMBER', uint64: 'GENERAL_NUMBER', bool: 'GENERAL_NUMBER',
  sint32: 'SIGNED_NUMBER', sint64: 'SIGNED_NUMBER',
  string: 'STRING_OR_BYTES', bytes: 'STRING_OR_BYTES',
  fixed32: 'FIXED32', sfixed32: 'FIXED32',
  fixed64: 'FIXED64', sfixed64: 'FIXED64',
  float: 'FLOAT', double: 'DOUBLE',
};

class ProtoDiffContext {
  readonly differences: ProtobufDifference[] = [];
  private originalPackage: string;
  private updatePackage: string;

  constructor(
    private readonly original: TypeIndex,
    private readonly update: TypeIndex,
    private readonly messagesInProgress: Set<ProtoMessage>,
    private readonly path: string[],
    /** The enclosing message names, for resolving relative type names. */
    private readonly scope: string[],
  ) {
    this.originalPackage = original.packageName;
    this.updatePackage = update.packageName;
  }

  add(type: string): void {
    this.differences.push({ type, path: `#/${this.path.join('/')}` });
  }

  private within(segment: string, body: () => void, named = false): void {
    this.path.push(segment);
    if (named) this.scope.push(segment);
    try {
      body();
    } finally {
      this.path.pop();
      if (named) this.scope.pop();
    }
  }

  compareTypes(original: readonly ProtoType[], update: readonly ProtoType[]): void {
    const messages = (types: readonly ProtoType[]): Map<string, [ProtoMessage, number]> =>
      new Map(types.filter((t): t is ProtoMessage => t.kind === 'message').map((m, index) => [m.name, [m, index]]));
    const enums = (types: readonly ProtoType[]): Map<string, ProtoEnum> =>
      new Map(types.filter((t): t is ProtoEnum => t.kind === 'enum').map((e) => [e.name, e]));
    const originalMessages = messages(original);
    const updateMessages = messages(update);
    for (const name of new Set([...originalMessages.keys(), ...updateMessages.keys()])) {
      this.within(name, () => {
        const before = originalMessages.get(name);
        const after = updateMessages.get(name);
        if (after === undefined) return this.add('MESSAGE_REMOVED');
        if (before === undefined) return this.add('MESSAGE_ADDED');
        this.compareMessages(before[0], after[0]);
        if (before[1] !== after[1]) this.add('MESSAGE_MOVED');
      }, true);
    }
    const originalEnums = enums(original);
    const updateEnums = enums(update);
    for (const name of new Set([...originalEnums.keys(), ...updateEnums.keys()])) {
      this.within(name, () => {
        const before = originalEnums.get(name);
        const after = updateEnums.get(name);
        if (after === undefined) return this.add('ENUM_REMOVED');
        if (before === undefined) return this.add('ENUM_ADDED');
        this.compareEnums(before, after);
      }, true);
    }
  }

  private compareEnums(original: ProtoEnum, update: ProtoEnum): void {
    const before = new Map(original.constants.map((c) => [c.tag, c.name]));
    const after = new Map(update.constants.map((c) => [c.tag, c.name]));
    for (const tag of new Set([...before.keys(), ...after.keys()])) {
      this.within(String(tag), () => {
        if (!after.has(tag)) this.add('ENUM_CONST_REMOVED');
        else if (!before.has(tag)) this.add('ENUM_CONST_ADDED');
        else if (before.get(tag) !== after.get(tag)) this.add('ENUM_CONST_CHANGED');
      });
    }
  }

  compareMessages(original: ProtoMessage, update: ProtoMessage): void {
    if (!this.messagesInProgress.has(original)) {
      this.messagesInProgress.add(original);
      try {
        this.compareFields(original, update);
      } finally {
        this.messagesInProgress.delete(original);
      }
    }
    this.compareTypes(original.nestedTypes, update.nestedTypes);
  }

  private compareFields(original: ProtoMessage, update: ProtoMessage): void {
    const before = fieldsByTag(original);
    const after = fieldsByTag(update);
    const deletedOneOfs = new Set(
      original.oneOfs
        .filter((o) => !update.oneOfs.some((u) => u.name === o.name) && !o.fields.some((f) => after.fields.has(f.tag)))
        .map((o) => o.name),
    );
    for (const oneOf of update.oneOfs) {
      this.within(oneOf.name, () => {
        const origins = new Set<string>();
        let movedFromTopLevel = 0;
        for (const field of oneOf.fields) {
          const previousOneOf = before.oneOfOfTag.get(field.tag);
          if (previousOneOf !== undefined) origins.add(`oneof:${previousOneOf}`);
          else if (before.fields.has(field.tag)) {
            origins.add(`field:${field.tag}`);
            movedFromTopLevel++;
          }
        }
        if (origins.size > 1) this.add(movedFromTopLevel > 1 ? 'MULTIPLE_FIELDS_MOVED_TO_ONEOF' : 'FIELD_MOVED_TO_EXISTING_ONEOF');
      });
    }
    const oneOfNames = [...new Set([...original.oneOfs.map((o) => o.name), ...update.oneOfs.map((o) => o.name)])].sort();
    for (const name of oneOfNames) {
      this.within(name, () => {
        if (!update.oneOfs.some((o) => o.name === name)) this.add('ONEOF_REMOVED');
        else if (!original.oneOfs.some((o) => o.name === name)) this.add('ONEOF_ADDED');
      });
    }
    const tags = [...new Set([...before.fields.keys(), ...after.fields.keys()])].sort((a, b) => a - b);
    for (const tag of tags) {
      const beforeField = before.fields.get(tag);
      const afterField = after.fields.get(tag);
      const beforeOneOf = before.oneOfOfTag.get(tag);
      const afterOneOf = after.oneOfOfTag.get(tag);
      if (afterField === undefined) {
        if (beforeOneOf !== undefined) {
          if (!deletedOneOfs.has(beforeOneOf)) this.within(beforeOneOf, () => this.within(String(tag), () => this.add('ONEOF_FIELD_REMOVED')));
        } else {
          this.within(String(tag), () => this.add(beforeField!.label === 'required' ? 'REQUIRED_FIELD_REMOVED' : 'FIELD_REMOVED'));
        }
      } else if (beforeField === undefined) {
        if (afterOneOf !== undefined) this.within(afterOneOf, () => this.within(String(tag), () => this.add('ONEOF_FIELD_ADDED')));
        else this.within(String(tag), () => this.add(afterField.label === 'required' ? 'REQUIRED_FIELD_ADDED' : 'FIELD_ADDED'));
      } else {
        if (beforeOneOf !== undefined && afterOneOf === undefined) this.within(String(tag), () => this.add('ONEOF_FIELD_MOVED_TO_TOP_LEVEL'));
        const compare = (): void => this.compareField(beforeField, afterField);
        if (afterOneOf !== undefined) this.within(afterOneOf, () => this.within(String(tag), compare));
        else this.within(String(tag), compare);
      }
    }
  }

  private compareField(original: ProtoField, update: ProtoField): void {
    if (original.name !== update.name) this.add('FIELD_NAME_CHANGED');
    this.compareLabelsAndTypes(original.label, update.label, original.type, update.type);
  }

  private compareLabelsAndTypes(originalLabel: ProtoLabel | undefined, updateLabel: ProtoLabel | undefined, originalType: string, updateType: string): void {
    const originalKind = this.kind(originalType, true);
    const updateKind = this.kind(updateType, false);
    if (originalKind !== updateKind) return this.add('FIELD_KIND_CHANGED');
    if (originalKind === 'MAP') {
      const [originalKey, originalValue] = mapTypes(originalType);
      const [updateKey, updateValue] = mapTypes(updateType);
      this.compareLabelsAndTypes(undefined, undefined, originalKey, updateKey);
      this.compareLabelsAndTypes(undefined, undefined, originalValue, updateValue);
      return;
    }
    if (originalKind === 'MESSAGE') return this.compareMessageTypes(originalType, updateType);
    const originalScalar = this.scalarKind(originalType, true);
    const updateScalar = this.scalarKind(updateType, false);
    if (originalScalar !== updateScalar) return this.add('FIELD_SCALAR_KIND_CHANGED');
    if (originalLabel !== undefined && updateLabel !== undefined && originalLabel !== updateLabel) {
      this.add(originalScalar === 'STRING_OR_BYTES' ? 'FIELD_STRING_OR_BYTES_LABEL_CHANGED' : 'FIELD_NUMERIC_LABEL_CHANGED');
    }
  }

  private compareMessageTypes(originalType: string, updateType: string): void {
    const originalName = this.resolve(originalType, true);
    const updateName = this.resolve(updateType, false);
    if (originalName === undefined || updateName === undefined) {
      if (originalType !== updateType) this.add('FIELD_NAMED_TYPE_CHANGED');
      return;
    }
    const originalInfo = this.original.types.get(originalName)!;
    const updateInfo = this.update.types.get(updateName)!;
    const localName = (name: string, packageName: string): string => (name.startsWith(`${packageName}.`) ? name.slice(packageName.length + 1) : name);
    const originalLocal = localName(originalName, originalInfo.packageName);
    if (originalLocal !== localName(updateName, updateInfo.packageName)) return this.add('FIELD_NAMED_TYPE_CHANGED');
    const originalVersion = originalInfo.source === '' ? '' : this.original.sourceVersions.get(originalInfo.source);
    const updateVersion = updateInfo.source === '' ? '' : this.update.sourceVersions.get(updateInfo.source);
    if (originalVersion !== undefined && originalVersion === updateVersion) return;
    if (originalInfo.element.kind !== 'message' || updateInfo.element.kind !== 'message') return;
    const sub = new ProtoDiffContext(this.original, this.update, this.messagesInProgress, originalLocal.split('.'), originalLocal.split('.'));
    sub.originalPackage = originalInfo.packageName;
    sub.updatePackage = updateInfo.packageName;
    sub.compareMessages(originalInfo.element, updateInfo.element);
    this.differences.push(...sub.differences);
    if (sub.differences.some((d) => !COMPATIBLE.has(d.type))) this.add('FIELD_NAMED_TYPE_CHANGED');
  }

  private kind(type: string, isOriginal: boolean): 'SCALAR' | 'MAP' | 'MESSAGE' {
    if (SCALAR_TYPES.has(type)) return 'SCALAR';
    if (type.startsWith('map<')) return 'MAP';
    return this.typeInfo(type, isOriginal)?.element.kind === 'enum' ? 'SCALAR' : 'MESSAGE';
  }

  private scalarKind(type: string, isOriginal: boolean): ScalarKind {
    if (this.typeInfo(type, isOriginal)?.element.kind === 'enum') return 'GENERAL_NUMBER';
    return SCALAR_KINDS[type] ?? 'GENERAL_NUMBER';
  }

  private typeInfo(type: string, isOriginal: boolean): TypeInfo | undefined {
    const name = this.resolve(type, isOriginal);
    return name === undefined ? undefined : (isOriginal ? this.original : this.update).types.get(name);
  }

  /** The full name `type` refers to from the current scope, or undefined when no known type matches. */
  private resolve(type: string, isOriginal: boolean): string | undefined {
    const types = (isOriginal ? this.original : this.update).types;
    return resolveProtoTypeName(type, isOriginal ? this.originalPackage : this.updatePackage, this.scope, (name) => types.has(name));
  }
}

function fieldsByTag(message: ProtoMessage): { fields: Map<number, ProtoField>; oneOfOfTag: Map<number, string> } {
  const fields = new Map<number, ProtoField>();
  const oneOfOfTag = new Map<number, string>();
  for (const field of message.fields) fields.set(field.tag, field);
  for (const oneOf of message.oneOfs) {
    for (const field of oneOf.fields) {
      fields.set(field.tag, field);
      oneOfOfTag.set(field.tag, oneOf.name);
    }
  }
  return { fields, oneOfOfTag };
}

/** `map<K, V>` → [K, V]. */
function mapTypes(type: string): [string, string] {
  const inner = type.slice('map<'.length, -1);
  const comma = inner.indexOf(',');
  return [inner.slice(0, comma).trim(), inner.slice(comma + 1).trim()];
}

const DESCRIPTIONS: Readonly<Record<string, (path: string) => string>> = {
  PACKAGE_CHANGED: (p) => `The package at '${p}' in the %R schema does not match the package in the %W schema`,
  MESSAGE_REMOVED: (p) => `The %R schema is missing a MESSAGE type at path '${p}' in the %W schema`,
  FIELD_KIND_CHANGED: (p) => `The type of a field at path '${p}' in the %R schema does not match the %W schema`,
  FIELD_SCALAR_KIND_CHANGED: (p) => `The kind of a SCALAR field at path '${p}' in the %R schema does not match its kind in the %W schema`,
  FIELD_NAMED_TYPE_CHANGED: (p) => `The type of a MESSAGE field at path '${p}' in the %R schema does not match its type in the %W schema`,
  FIELD_NUMERIC_LABEL_CHANGED: (p) => `The label for a NUMERIC field at path '${p}' in the %R schema does not match its label in the %W schema`,
  REQUIRED_FIELD_ADDED: (p) => `A required field  at path '${p}' in the %R schema is missing in the %W schema`,
  REQUIRED_FIELD_REMOVED: (p) => `The %R schema is missing a required field at path: '${p}' in the %W schema`,
  ONEOF_FIELD_REMOVED: (p) => `The %R schema is missing a oneof field at path '${p}' in the %W schema`,
  ONEOF_FIELD_MOVED_TO_TOP_LEVEL: (p) => `The oneof field at path '${p}' in the %R schema was moved out of its oneof to a top-level field in the %W schema`,
  MULTIPLE_FIELDS_MOVED_TO_ONEOF: (p) => `Multiple fields in the oneof at path '${p}' in the %R schema are outside a oneof in the %W schema`,
  FIELD_MOVED_TO_EXISTING_ONEOF: (p) => `A field in the oneof at path '${p}' in the %R schema is outside an existing oneof in the %W schema`,
};

/** Confluent's text for one Protobuf difference, with `reader`/`writer` ("new"/"old") filled in. */
export function describeProtobufDifference(difference: ProtobufDifference, reader: string, writer: string): string {
  const description = (DESCRIPTIONS[difference.type]?.(difference.path) ?? '').replace('%R', reader).replace('%W', writer);
  return `{errorType:"${difference.type}", description:"${description}"}`;
}
