import { describe, expect, it } from 'vitest';
import { parseSchema } from '../../../registry/schemas/parse-schema.js';
import type { ResolvedReference, SchemaReference } from '../../../registry/schemas/parse-schema.js';
import { expectInvalidSchema, invalidSchemaError } from './invalid-schema.js';

const noReferences = (): undefined => undefined;

function canonical(text: string, references: SchemaReference[] = [], resolve: (ref: SchemaReference) => ResolvedReference | undefined = noReferences): string {
  return parseSchema('PROTOBUF', text, references, resolve).canonicalText;
}

describe('Protobuf canonical text (Confluent\'s printer over Wire elements)', () => {
  it('prints every kind of declaration in Confluent\'s layout, comments dropped', () => {
    const text = `// comment
syntax = "proto3";
package com.acme;

import "google/protobuf/timestamp.proto";
option java_package = "com.acme.x";
option java_multiple_files = true;
option optimize_for = SPEED;

/* a message */
message Outer {
  reserved 2, 15, 9 to 11, 40 to max;
  reserved "foo", "bar";
  option deprecated = true;
  string name = 1 [json_name = "nm", deprecated = true];
  repeated int64 ids = 3;
  map<string,Inner> m = 4;
  google.protobuf.Timestamp at = 5;
  optional int32 maybe = 6 [(my.opt) = { a: 1 b: "x" c { d: true } }];
  oneof choice {
    string s = 7;
    Inner i = 8;
  }
  message Inner { int32 z = 1; }
  enum Kind { KIND_UNSPECIFIED = 0; KIND_A = 1 [deprecated = true]; }
}
enum Top { option allow_alias = true; A = 0; B = 0; }
service S { rpc Get (Outer) returns (stream Outer); }
`;
    expect(canonical(text)).toBe(`syntax = "proto3";
package com.acme;

import "google/protobuf/timestamp.proto";

option java_package = "com.acme.x";
option java_multiple_files = true;
option optimize_for = SPEED;

message Outer {
  reserved 2, 15, 9 to 11, 40 to max;
  reserved "foo", "bar";

  option deprecated = true;

  string name = 1 [
    deprecated = true,
    json_name = "nm"
  ];
  repeated int64 ids = 3;
  map<string, Inner> m = 4;
  google.protobuf.Timestamp at = 5;
  optional int32 maybe = 6 [(my.opt) = {
    a: 1,
    b: "x",
    c: {
      d: true
    }
  }];

  oneof choice {
    string s = 7;
    Inner i = 8;
  }

  message Inner {
    int32 z = 1;
  }
  enum Kind {
    KIND_UNSPECIFIED = 0;
    KIND_A = 1 [deprecated = true];
  }
}
enum Top {
  option allow_alias = true;
  A = 0;
  B = 0;
}

service S {
  rpc Get (Outer) returns (stream Outer);
}
`);
  });

  it.each([
    ['no syntax statement: none printed; proto2 labels and defaults kept', 'package p; message M { required string a = 1 [default = "x"]; optional int32 b = 2 [default = -5]; optional bytes c = 3 [default = "\\001"]; }', 'package p;\n\nmessage M {\n  required string a = 1 [default = "x"];\n  optional int32 b = 2 [default = -5];\n  optional bytes c = 3 [default = \u0001];\n}\n'],
    ['messages are printed before enums, each in declaration order', 'syntax = "proto3"; enum E { A = 0; } message B { } message A { }', 'syntax = "proto3";\n\nmessage B {}\nmessage A {}\nenum E {\n  A = 0;\n}\n'],
    ['blank lines inside nested messages are indented', 'syntax = "proto3"; message A { message B { reserved 3; int32 x = 1; } }', 'syntax = "proto3";\n\nmessage A {\n  message B {\n    reserved 3;\n  \n    int32 x = 1;\n  }\n}\n'],
    ['leading-dot type names, public imports, extensions and extend', 'syntax = "proto2"; import public "google/protobuf/empty.proto"; message A { extensions 100 to 199; optional .google.protobuf.Empty e = 1; } extend A { optional int32 x = 100; }', 'syntax = "proto2";\n\nimport public "google/protobuf/empty.proto";\n\nmessage A {\n  optional .google.protobuf.Empty e = 1;\n\n  extensions 100 to 199;\n}\n\nextend A {\n  optional int32 x = 100;\n}\n'],
    ['option strings are escaped as Confluent does', 'syntax = "proto3"; option java_package = "a\\"b\'c\\\\d";', 'syntax = "proto3";\n\noption java_package = "a\\"b\\\'c\\\\d";\n'],
  ])('%s', (_what, text, expected) => {
    expect(canonical(text)).toBe(expected);
  });

  it('resolves imports through references (by import path) and keeps the import in the text', () => {
    const store: Record<string, ResolvedReference> = {
      'other:1': { schemaType: 'PROTOBUF', schema: 'syntax = "proto3"; package acme.other; message Address { string city = 1; }' },
    };
    const text = 'syntax = "proto3"; package acme; import "acme/other.proto"; message Person { acme.other.Address home = 1; }';
    const refs = [{ name: 'acme/other.proto', subject: 'other', version: 1 }];
    expect(canonical(text, refs, (ref) => store[`${ref.subject}:${ref.version}`])).toBe(
      'syntax = "proto3";\npackage acme;\n\nimport "acme/other.proto";\n\nmessage Person {\n  acme.other.Address home = 1;\n}\n',
    );
  });

  it('accepts Confluent\'s well-known imports without references', () => {
    expect(() => canonical('syntax = "proto3"; import "confluent/meta.proto"; import "google/type/date.proto"; message A { google.type.Date d = 1; }')).not.toThrow();
  });
});

describe('invalid Protobuf schemas (42201)', () => {
  it.each([
    ['a syntax error', 'syntax = "proto3"; message X { string a = 1 }', /'}', ';' expected \(line 1\)|Syntax error/],
    ['duplicate field numbers', 'syntax = "proto3"; message X { string a = 1; int32 b = 1; }', 'duplicate id 1 in Type X'],
    ['duplicate field names', 'syntax = "proto3"; message X { int32 a = 1; string a = 2; }', "duplicate name 'a' in Type X"],
    ['an unknown type', 'syntax = "proto3"; message X { Y a = 1; }', "no such Type or Enum 'Y' in Type .X"],
    ['an import without a reference', 'syntax = "proto3"; import "acme/other.proto"; message X { int32 a = 1; }', 'No reference for import "acme/other.proto": add it to "references" with name "acme/other.proto"'],
    ['groups', 'syntax = "proto2"; message X { optional group G = 1 { optional int32 a = 2; } }', /group/],
  ])('%s', (_what, text, detail) => expectInvalidSchema('PROTOBUF', text, detail));

  it('a syntax error in a referenced file names the import', () => {
    const error = invalidSchemaError('PROTOBUF', 'syntax = "proto3"; import "b.proto"; message X { B b = 1; }', [{ name: 'b.proto', subject: 'b', version: 1 }], () => ({ schemaType: 'PROTOBUF', schema: 'message B {' }));
    expect(error.detail).toMatch(/\(in the reference for "b\.proto"\)$/);
  });
});
