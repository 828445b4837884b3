import { describe, expect, it } from 'vitest';
import { normalizeSchema, parseSchema } from '../../../registry/schemas/parse-schema.js';
import type { ResolvedReference, SchemaReference, SchemaType } from '../../../registry/schemas/parse-schema.js';

const noReferences = (): undefined => undefined;

function normalized(schemaType: SchemaType, text: string): string {
  return normalizeSchema(parseSchema(schemaType, text, [], noReferences), noReferences).canonicalText;
}

const record = (fields: unknown[], extra: Record<string, unknown> = {}): string => JSON.stringify({ type: 'record', name: 'R', ...extra, fields });

describe('Avro normalize (Confluent normal form, printed as Java does)', () => {
  it.each([
    ['props are sorted by key', '{"type":"string","b":1,"a":{"y":1,"x":2}}', '{"type":"string","a":{"x":2,"y":1},"b":1}'],
    [
      'a valid logical type\'s props come first',
      '{"type":"bytes","scale":2,"connect.name":"d","precision":10,"logicalType":"decimal"}',
      '{"type":"bytes","logicalType":"decimal","precision":10,"scale":2,"connect.name":"d"}',
    ],
    ['a zero decimal scale stays in the sorted props', '{"type":"bytes","scale":0,"a":1,"precision":5,"logicalType":"decimal"}', '{"type":"bytes","logicalType":"decimal","precision":5,"a":1,"scale":0}'],
    ['an invalid logical type is an ordinary prop', '{"type":"int","logicalType":"timestamp-millis","a":1}', '{"type":"int","a":1,"logicalType":"timestamp-millis"}'],
    ['error records become records', '{"type":"error","name":"E","fields":[]}', '{"type":"record","name":"E","fields":[]}'],
    [
      'aliases sorted, an empty named-type doc dropped, field doc kept',
      '{"type":"record","name":"R","namespace":"n","doc":"","aliases":["Z","A"],"fields":[{"name":"f","type":"int","doc":"","aliases":["y","x"]}]}',
      '{"type":"record","name":"R","namespace":"n","fields":[{"name":"f","type":"int","doc":"","aliases":["x","y"]}],"aliases":["A","Z"]}',
    ],
    [
      'defaults as Java holds them for the field type',
      record([
        { name: 'a', type: 'float', default: 1 },
        { name: 'b', type: 'float', default: 0.1 },
        { name: 'c', type: 'double', default: 2 },
        { name: 'd', type: ['string', 'null'], default: 'x' },
        { name: 'e', type: { type: 'map', values: 'long' }, default: { b: 1, a: 2 } },
        { name: 'f', type: 'bytes', default: 'ÿ\u0100' },
      ]),
      '{"type":"record","name":"R","fields":[{"name":"a","type":"float","default":1.0},{"name":"b","type":"float","default":0.1},{"name":"c","type":"double","default":2.0},{"name":"d","type":["string","null"],"default":"x"},{"name":"e","type":{"type":"map","values":"long"},"default":{"a":2,"b":1}},{"name":"f","type":"bytes","default":"ÿ?"}]}',
    ],
    [
      'a union default the first branch cannot hold is dropped (Java reads it with the first branch)',
      record([{ name: 'a', type: ['int', 'double'], default: 1.5 }]),
      '{"type":"record","name":"R","fields":[{"name":"a","type":["int","double"]}]}',
    ],
    [
      'a nested type in no namespace takes the enclosing namespace when read again',
      '{"type":"record","name":"R","namespace":"ns","fields":[{"name":"a","type":{"type":"record","name":"In","namespace":"","fields":[]}}]}',
      '{"type":"record","name":"R","namespace":"ns","fields":[{"name":"a","type":{"type":"record","name":"In","fields":[]}}]}',
    ],
    [
      'names used again stay names; field order is kept',
      '{"type":"record","name":"R","namespace":"ns","fields":[{"name":"z","type":{"type":"enum","name":"E","symbols":["A"],"default":"A"}},{"name":"a","type":"E","order":"descending"}]}',
      '{"type":"record","name":"R","namespace":"ns","fields":[{"name":"z","type":{"type":"enum","name":"E","symbols":["A"],"default":"A"}},{"name":"a","type":"E","order":"descending"}]}',
    ],
  ])('%s', (_what, text, expected) => {
    expect(normalized('AVRO', text)).toBe(expected);
  });

  it('two spellings of one schema normalize to the same text', () => {
    const a = '{"type":"record","name":"R","namespace":"n","fields":[{"name":"f","type":{"type":"long","logicalType":"timestamp-millis","connect.version":1}}]}';
    const b = '{"fields":[{"type":{"connect.version":1,"type":"long","logicalType":"timestamp-millis"},"name":"f"}],"name":"n.R","type":"record"}';
    expect(parseSchema('AVRO', a, [], noReferences).canonicalText).not.toBe(parseSchema('AVRO', b, [], noReferences).canonicalText);
    expect(normalized('AVRO', a)).toBe(normalized('AVRO', b));
  });

  it('referenced names stay names and references are sorted by subject and version', () => {
    const store: Record<string, ResolvedReference> = {
      'b:1': { schemaType: 'AVRO', schema: '{"type":"fixed","name":"x.B","size":2}' },
      'a:2': { schemaType: 'AVRO', schema: '{"type":"enum","name":"x.A","symbols":["Q"]}' },
    };
    const resolve = (ref: SchemaReference): ResolvedReference | undefined => store[`${ref.subject}:${ref.version}`];
    const refs = [{ name: 'x.B', subject: 'b', version: 1 }, { name: 'x.A', subject: 'a', version: 2 }, { name: 'x.B', subject: 'b', version: 1 }];
    const parsed = parseSchema('AVRO', '{"type":"record","name":"x.R","fields":[{"name":"b","type":"B"},{"name":"a","type":"A"}]}', refs, resolve);
    const result = normalizeSchema(parsed, resolve);
    expect(result.canonicalText).toBe('{"type":"record","name":"R","namespace":"x","fields":[{"name":"b","type":"B"},{"name":"a","type":"A"}]}');
    expect(result.references).toEqual([{ name: 'x.A', subject: 'a', version: 2 }, { name: 'x.B', subject: 'b', version: 1 }]);
  });
});

describe('JSON Schema normalize', () => {
  it('sorts object keys at every level and keeps exact decimals', () => {
    expect(normalized('JSON', '{"type":"object","properties":{"b":{"type":"number","maximum":1.50},"a":{"type":"string"}},"$id":"x"}')).toBe(
      '{"$id":"x","properties":{"a":{"type":"string"},"b":{"maximum":1.50,"type":"number"}},"type":"object"}',
    );
  });
});

describe('Protobuf normalize', () => {
  it('sorts what order does not matter for and resolves type names', () => {
    const text = `syntax = "proto3";
package shop;
import "z.proto";
import "a.proto";
import "google/protobuf/timestamp.proto";
option java_package = "x";
option cc_enable_arenas = true;
message Order {
  reserved 10 to 10, 8, "b", "a";
  Item item = 2;
  map<string, Item> items = 1;
  google.protobuf.Timestamp at = 5;
  oneof empty { }
  oneof pay { bytes token = 7; string card = 6; }
  oneof first { int32 n = 4; }
  double ratio = 3 [(my.opt) = { z: 1.23456 a: [2] }];
  message Item { string sku = 1; }
}
enum Status { B = 1; A = 1; Z = 0; option allow_alias = true; }
`;
    const store: Record<string, ResolvedReference> = {
      'a:1': { schemaType: 'PROTOBUF', schema: 'syntax = "proto3";' },
      'z:1': { schemaType: 'PROTOBUF', schema: 'syntax = "proto3";' },
    };
    const refs = [{ name: 'z.proto', subject: 'z', version: 1 }, { name: 'a.proto', subject: 'a', version: 1 }];
    const resolve = (ref: SchemaReference): ResolvedReference | undefined => store[`${ref.subject}:${ref.version}`];
    const result = normalizeSchema(parseSchema('PROTOBUF', text, refs, resolve), resolve);
    expect(result.canonicalText).toBe(`syntax = "proto3";
package shop;

import "a.proto";
import "google/protobuf/timestamp.proto";
import "z.proto";

option cc_enable_arenas = true;
option java_package = "x";

message Order {
  reserved 8;
  reserved 10;
  reserved "a";
  reserved "b";

  map<string, .shop.Order.Item> items = 1;
  .shop.Order.Item item = 2;
  double ratio = 3 [(my.opt) = {
    a: 2,
    z: 1.235
  }];
  .google.protobuf.Timestamp at = 5;

  oneof first {
    int32 n = 4;
  }
  oneof pay {
    string card = 6;
    bytes token = 7;
  }

  message Item {
    string sku = 1;
  }
}
enum Status {
  option allow_alias = true;
  Z = 0;
  A = 1;
  B = 1;
}
`);
    expect(result.references).toEqual([{ name: 'a.proto', subject: 'a', version: 1 }, { name: 'z.proto', subject: 'z', version: 1 }]);
  });

  it('drops a proto2 syntax statement', () => {
    expect(normalized('PROTOBUF', 'syntax = "proto2";\nmessage A { optional int32 a = 1; }')).toBe('\nmessage A {\n  optional int32 a = 1;\n}\n');
  });
});
