import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import type protobuf from 'protobufjs';
import { parseSchema } from '../../../registry/schemas/parse-schema.js';
import type { ProtobufParsedSchema } from '../../../registry/schemas/parse-schema.js';
import { checkCompatibility } from '../../../registry/compatibility/check-compatibility.js';

const require = createRequire(import.meta.url);
const descriptor = require('protobufjs/ext/descriptor') as { FileDescriptorProto: protobuf.Type };

/** A FileDescriptorProto shaped as protoc writes it for a small proto3 file, base64-encoded. */
function userDescriptor(extraField?: object): string {
  const file = descriptor.FileDescriptorProto.fromObject({
    name: 'acme/v1/user.proto',
    package: 'acme.v1',
    dependency: ['google/protobuf/timestamp.proto'],
    messageType: [
      {
        name: 'User',
        field: [
          { name: 'name', number: 1, label: 'LABEL_OPTIONAL', type: 'TYPE_STRING', jsonName: 'name' },
          { name: 'scores', number: 2, label: 'LABEL_REPEATED', type: 'TYPE_MESSAGE', typeName: '.acme.v1.User.ScoresEntry' },
          { name: 'age', number: 3, label: 'LABEL_OPTIONAL', type: 'TYPE_INT64', oneofIndex: 1, proto3Optional: true },
          { name: 'created', number: 4, label: 'LABEL_OPTIONAL', type: 'TYPE_MESSAGE', typeName: '.google.protobuf.Timestamp' },
          { name: 'email', number: 5, label: 'LABEL_OPTIONAL', type: 'TYPE_STRING', oneofIndex: 0 },
          { name: 'phone', number: 6, label: 'LABEL_OPTIONAL', type: 'TYPE_STRING', oneofIndex: 0 },
          { name: 'status', number: 7, label: 'LABEL_OPTIONAL', type: 'TYPE_ENUM', typeName: '.acme.v1.Status', options: { deprecated: true } },
          ...(extraField === undefined ? [] : [extraField]),
        ],
        nestedType: [
          {
            name: 'ScoresEntry',
            field: [
              { name: 'key', number: 1, label: 'LABEL_OPTIONAL', type: 'TYPE_STRING' },
              { name: 'value', number: 2, label: 'LABEL_OPTIONAL', type: 'TYPE_INT32' },
            ],
            options: { mapEntry: true },
          },
        ],
        oneofDecl: [{ name: 'contact' }, { name: '_age' }],
        reservedRange: [{ start: 10, end: 13 }, { start: 20, end: 21 }],
        reservedName: ['legacy'],
      },
    ],
    enumType: [{ name: 'Status', value: [{ name: 'STATUS_UNKNOWN', number: 0 }, { name: 'STATUS_ACTIVE', number: 1 }] }],
    options: { javaPackage: 'com.acme.v1', optimizeFor: 'SPEED' },
    syntax: 'proto3',
  });
  return Buffer.from(descriptor.FileDescriptorProto.encode(file).finish()).toString('base64');
}

describe('Protobuf schemas sent as a base64 FileDescriptorProto (Python, Go, .NET serializers)', () => {
  it('are converted to .proto text as Confluent converts descriptors', () => {
    const base64 = userDescriptor();
    const parsed = parseSchema('PROTOBUF', base64, [], () => undefined);
    expect(parsed.originalText).toBe(base64);
    expect(parsed.canonicalText).toBe(`syntax = "proto3";
package acme.v1;

import "google/protobuf/timestamp.proto";

option java_package = "com.acme.v1";
option optimize_for = SPEED;

message User {
  reserved 10 to 12;
  reserved 20;
  reserved "legacy";

  string name = 1 [json_name = "name"];
  repeated .acme.v1.User.ScoresEntry scores = 2;
  optional int64 age = 3;
  .google.protobuf.Timestamp created = 4;
  .acme.v1.Status status = 7 [deprecated = true];

  oneof contact {
    string email = 5;
    string phone = 6;
  }

  message ScoresEntry {
    option map_entry = true;
  
    string key = 1;
    int32 value = 2;
  }
}
enum Status {
  STATUS_UNKNOWN = 0;
  STATUS_ACTIVE = 1;
}
`);
  });

  it('a descriptor and its canonical text are the same schema; descriptor versions are checked like text', () => {
    const fromDescriptor = { ...(parseSchema('PROTOBUF', userDescriptor(), [], () => undefined) as ProtobufParsedSchema), version: 1 };
    const asText = parseSchema('PROTOBUF', fromDescriptor.canonicalText, [], () => undefined);
    expect(asText.canonicalText).toBe(fromDescriptor.canonicalText);
    expect(checkCompatibility(asText, [fromDescriptor], 'FULL')).toEqual([]);
    const widened = parseSchema('PROTOBUF', userDescriptor({ name: 'nick', number: 8, label: 'LABEL_OPTIONAL', type: 'TYPE_STRING' }), [], () => undefined);
    expect(checkCompatibility(widened, [fromDescriptor], 'FULL')).toEqual([]);
    const retyped = parseSchema('PROTOBUF', userDescriptor({ name: 'rank', number: 9, label: 'LABEL_OPTIONAL', type: 'TYPE_SINT32' }), [], () => undefined);
    const retypedAgain = parseSchema('PROTOBUF', userDescriptor({ name: 'rank', number: 9, label: 'LABEL_OPTIONAL', type: 'TYPE_INT32' }), [], () => undefined);
    expect(checkCompatibility(retypedAgain, [{ ...retyped, version: 2 }], 'BACKWARD')[0]).toContain('FIELD_SCALAR_KIND_CHANGED');
  });

  it('a referenced schema may itself be a descriptor', () => {
    const text = 'syntax = "proto3"; package acme.app; import "acme/v1/user.proto"; message Login { acme.v1.User user = 1; }';
    const refs = [{ name: 'acme/v1/user.proto', subject: 'user', version: 1 }];
    const parsed = parseSchema('PROTOBUF', text, refs, () => ({ schemaType: 'PROTOBUF', schema: userDescriptor() })) as ProtobufParsedSchema;
    expect(parsed.dependencies.get('acme/v1/user.proto')?.packageName).toBe('acme.v1');
  });

  it('text that is neither .proto nor a descriptor is still reported as a syntax error', () => {
    expect(() => parseSchema('PROTOBUF', 'bm90IGEgZGVzY3JpcHRvcg==', [], () => undefined)).toThrow(/Invalid schema of type PROTOBUF/);
  });
});
