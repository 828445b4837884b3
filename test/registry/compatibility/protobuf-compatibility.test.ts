import { describe, expect, it } from 'vitest';
import { parseSchema } from '../../../registry/schemas/parse-schema.js';
import type { ProtobufParsedSchema, ResolvedReference, SchemaReference } from '../../../registry/schemas/parse-schema.js';
import { protobufDifferences, protobufIncompatibilities } from '../../../registry/compatibility/protobuf-compatibility.js';
import { checkCompatibility } from '../../../registry/compatibility/check-compatibility.js';

function proto(body: string, version?: number, references: SchemaReference[] = [], resolve: (ref: SchemaReference) => ResolvedReference | undefined = () => undefined): ProtobufParsedSchema {
  const parsed = parseSchema('PROTOBUF', `syntax = "proto3";\npackage acme;\n${body}`, references, resolve) as ProtobufParsedSchema;
  return version === undefined ? parsed : { ...parsed, version };
}

function diff(original: string, update: string): { differences: string[]; compatible: boolean } {
  const before = proto(original);
  const after = proto(update);
  return {
    differences: protobufDifferences(before, after).map((d) => `${d.type} ${d.path}`),
    compatible: protobufIncompatibilities(before, after).length === 0,
  };
}

describe('Protobuf differences (original = old, update = new; BACKWARD verdict)', () => {
  it.each<[string, string, string, string[], boolean]>([
    ['identical', 'message A { int32 a = 1; }', 'message A { int32 a = 1; }', [], true],
    ['field added', 'message A { int32 a = 1; }', 'message A { int32 a = 1; string b = 2; }', ['FIELD_ADDED #/A/2'], true],
    ['field removed', 'message A { int32 a = 1; string b = 2; }', 'message A { int32 a = 1; }', ['FIELD_REMOVED #/A/2'], true],
    ['field renamed (matched by tag)', 'message A { int32 a = 1; }', 'message A { int32 b = 1; }', ['FIELD_NAME_CHANGED #/A/1'], true],
    ['int32 → int64 (same scalar group)', 'message A { int32 a = 1; }', 'message A { int64 a = 1; }', [], true],
    ['bool → uint64 (same scalar group)', 'message A { bool a = 1; }', 'message A { uint64 a = 1; }', [], true],
    ['enum → int32 (enums are general numbers)', 'message A { E a = 1; } enum E { X = 0; }', 'message A { int32 a = 1; } enum E { X = 0; }', [], true],
    ['string ↔ bytes', 'message A { string a = 1; }', 'message A { bytes a = 1; }', [], true],
    ['sint32 → sint64', 'message A { sint32 a = 1; }', 'message A { sint64 a = 1; }', [], true],
    ['fixed32 → sfixed32', 'message A { fixed32 a = 1; }', 'message A { sfixed32 a = 1; }', [], true],
    ['int32 → sint32 changes the scalar kind', 'message A { int32 a = 1; }', 'message A { sint32 a = 1; }', ['FIELD_SCALAR_KIND_CHANGED #/A/1'], false],
    ['float → double changes the scalar kind', 'message A { float a = 1; }', 'message A { double a = 1; }', ['FIELD_SCALAR_KIND_CHANGED #/A/1'], false],
    ['scalar → message changes the kind', 'message A { int32 a = 1; } message B { }', 'message A { B a = 1; } message B { }', ['FIELD_KIND_CHANGED #/A/1'], false],
    ['scalar → map changes the kind', 'message A { string a = 1; }', 'message A { map<string, string> a = 1; }', ['FIELD_KIND_CHANGED #/A/1'], false],
    ['map value kind changed', 'message A { map<string, int32> a = 1; }', 'message A { map<string, string> a = 1; }', ['FIELD_SCALAR_KIND_CHANGED #/A/1'], false],
    ['message field type renamed', 'message A { B a = 1; } message B { } message C { }', 'message A { C a = 1; } message B { } message C { }', ['FIELD_NAMED_TYPE_CHANGED #/A/1'], false],
    ['optional → repeated on a number', 'message A { optional int32 a = 1; }', 'message A { repeated int32 a = 1; }', ['FIELD_NUMERIC_LABEL_CHANGED #/A/1'], false],
    ['optional → repeated on a string', 'message A { optional string a = 1; }', 'message A { repeated string a = 1; }', ['FIELD_STRING_OR_BYTES_LABEL_CHANGED #/A/1'], true],
    ['no label → repeated is not reported (label not written)', 'message A { int32 a = 1; }', 'message A { repeated int32 a = 1; }', [], true],
    ['message added', 'message A { }', 'message A { } message B { }', ['MESSAGE_ADDED #/B'], true],
    ['message removed', 'message A { } message B { }', 'message A { }', ['MESSAGE_REMOVED #/B'], false],
    ['messages reordered (message indexes change)', 'message A { } message B { }', 'message B { } message A { }', ['MESSAGE_MOVED #/A', 'MESSAGE_MOVED #/B'], true],
    ['nested message field changed', 'message A { message N { int32 x = 1; } }', 'message A { message N { string x = 1; } }', ['FIELD_SCALAR_KIND_CHANGED #/A/N/1'], false],
    ['a message added to an empty file', '', 'message Z { }', ['MESSAGE_ADDED #/Z'], true],
    ['enum added and removed', 'enum E { X = 0; }', 'enum F { X = 0; }', ['ENUM_REMOVED #/E', 'ENUM_ADDED #/F'], true],
    ['enum constants added, renamed, removed', 'enum E { X = 0; Y = 1; Z = 2; }', 'enum E { X = 0; YY = 1; W = 3; }', ['ENUM_CONST_CHANGED #/E/1', 'ENUM_CONST_REMOVED #/E/2', 'ENUM_CONST_ADDED #/E/3'], true],
    ['oneof added with new fields', 'message A { int32 a = 1; }', 'message A { int32 a = 1; oneof o { string b = 2; int32 c = 3; } }', ['ONEOF_ADDED #/A/o', 'ONEOF_FIELD_ADDED #/A/o/2', 'ONEOF_FIELD_ADDED #/A/o/3'], true],
    ['oneof removed with its fields', 'message A { int32 a = 1; oneof o { string b = 2; } }', 'message A { int32 a = 1; }', ['ONEOF_REMOVED #/A/o'], true],
    ['oneof field removed', 'message A { oneof o { string b = 2; int32 c = 3; } }', 'message A { oneof o { string b = 2; } }', ['ONEOF_FIELD_REMOVED #/A/o/3'], false],
    ['oneof field moved to top level', 'message A { oneof o { string b = 2; int32 c = 3; } }', 'message A { string b = 2; oneof o { int32 c = 3; } }', ['ONEOF_FIELD_MOVED_TO_TOP_LEVEL #/A/2'], true],
    ['one field moved into a new oneof', 'message A { string b = 2; }', 'message A { oneof o { string b = 2; } }', ['ONEOF_ADDED #/A/o'], true],
    ['several fields moved into a new oneof', 'message A { string b = 2; int32 c = 3; }', 'message A { oneof o { string b = 2; int32 c = 3; } }', ['MULTIPLE_FIELDS_MOVED_TO_ONEOF #/A/o', 'ONEOF_ADDED #/A/o'], false],
    ['a field moved into an existing oneof', 'message A { string b = 2; oneof o { int32 c = 3; } }', 'message A { oneof o { string b = 2; int32 c = 3; } }', ['FIELD_MOVED_TO_EXISTING_ONEOF #/A/o'], false],
  ])('%s', (_what, original, update, differences, compatible) => {
    const result = diff(original, update);
    expect(result.differences.sort()).toEqual([...differences].sort());
    expect(result.compatible).toBe(compatible);
  });

  it('package change, required fields (proto2)', () => {
    const p2 = (pkg: string, body: string): ProtobufParsedSchema => parseSchema('PROTOBUF', `syntax = "proto2"; package ${pkg}; ${body}`, [], () => undefined) as ProtobufParsedSchema;
    const differences = protobufDifferences(p2('a', 'message M { optional int32 x = 1; }'), p2('b', 'message M { optional int32 x = 1; required int32 y = 2; }'));
    expect(differences.map((d) => `${d.type} ${d.path}`)).toEqual(['PACKAGE_CHANGED #/', 'REQUIRED_FIELD_ADDED #/M/2']);
    const removed = protobufDifferences(p2('a', 'message M { required int32 x = 1; }'), p2('a', 'message M { }'));
    expect(removed.map((d) => d.type)).toEqual(['REQUIRED_FIELD_REMOVED']);
  });

  it('a message type from a different referenced subject version is compared field by field', () => {
    const versions: Record<string, string> = {
      'addr:1': 'syntax = "proto3"; package acme.addr; message Address { string city = 1; }',
      'addr:2': 'syntax = "proto3"; package acme.addr; message Address { int32 city = 1; }',
    };
    const resolve = (ref: SchemaReference): ResolvedReference => ({ schemaType: 'PROTOBUF', schema: versions[`${ref.subject}:${ref.version}`]! });
    const withVersion = (version: number): ProtobufParsedSchema =>
      proto('import "acme/addr.proto"; message P { acme.addr.Address home = 1; }', undefined, [{ name: 'acme/addr.proto', subject: 'addr', version }], resolve);
    expect(protobufDifferences(withVersion(1), withVersion(1))).toEqual([]);
    expect(protobufIncompatibilities(withVersion(1), withVersion(2)).map((d) => `${d.type} ${d.path}`)).toEqual([
      'FIELD_SCALAR_KIND_CHANGED #/Address/1',
      'FIELD_NAMED_TYPE_CHANGED #/P/1',
    ]);
  });
});

describe('checkCompatibility for Protobuf', () => {
  const v1 = proto('message A { int32 a = 1; string b = 2; }', 1);

  it('BACKWARD failure message in Confluent format', () => {
    const messages = checkCompatibility(proto('message A { sint32 a = 1; string b = 2; }'), [v1], 'BACKWARD');
    expect(messages[0]).toBe(`{errorType:"FIELD_SCALAR_KIND_CHANGED", description:"The kind of a SCALAR field at path '#/A/1' in the new schema does not match its kind in the old schema"}`);
    expect(messages.slice(1)).toEqual([
      '{oldSchemaVersion: 1}',
      `{oldSchema: '${v1.canonicalText}'}`,
      "{validateFields: 'false', compatibility: 'BACKWARD'}",
    ]);
  });

  it('removing a message breaks BACKWARD, FORWARD reads it the other way', () => {
    const two = proto('message A { int32 a = 1; } message B { }', 1);
    const one = proto('message A { int32 a = 1; }');
    expect(checkCompatibility(one, [two], 'BACKWARD')[0]).toBe(
      `{errorType:"MESSAGE_REMOVED", description:"The new schema is missing a MESSAGE type at path '#/B' in the old schema"}`,
    );
    expect(checkCompatibility(one, [two], 'FORWARD')).toEqual([]);
    expect(checkCompatibility(two, [one], 'FORWARD')[0]).toContain("The old schema is missing a MESSAGE type at path '#/B' in the new schema");
    expect(checkCompatibility(one, [two], 'FULL').length).toBeGreaterThan(0);
  });

  it('transitive levels check every earlier version', () => {
    const s1 = proto('message A { int32 a = 1; }', 1);
    const s2 = proto('message A { sint32 a = 1; }', 2);
    const candidate = proto('message A { sint64 a = 1; }');
    expect(checkCompatibility(candidate, [s1, s2], 'BACKWARD')).toEqual([]);
    expect(checkCompatibility(candidate, [s1, s2], 'BACKWARD_TRANSITIVE')).toContain('{oldSchemaVersion: 1}');
  });
});
