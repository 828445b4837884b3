import { describe, expect, it } from 'vitest';
import { InvalidSchemaError, parseSchema } from '../../../registry/schemas/parse-schema.js';
import type { ResolvedReference, SchemaReference } from '../../../registry/schemas/parse-schema.js';
import { expectInvalidSchema, invalidSchemaError } from './invalid-schema.js';

const noReferences = (): undefined => undefined;

function canonical(text: string): string {
  return parseSchema('AVRO', text, [], noReferences).canonicalText;
}


describe('Avro canonical text (what Confluent stores and hashes: Java Schema.toString)', () => {
  it.each([
    ['a primitive in object form without props becomes a bare name', '{ "type" : "string" }', '"string"'],
    ['a bare primitive stays one', ' "long" ', '"long"'],
    ['doc on a primitive is reserved and dropped', '{"type":"int","doc":"x"}', '"int"'],
    ['a primitive with props keeps them in order', '{"type":"string","avro.java.string":"String","a":1}', '{"type":"string","avro.java.string":"String","a":1}'],
    ['a logical type is a prop', '{"logicalType":"timestamp-millis","type":"long"}', '{"type":"long","logicalType":"timestamp-millis"}'],
    [
      'record attributes in Java order: type, name, namespace, doc, fields, props, aliases',
      '{"aliases":["Old"],"fields":[{"type":"int","name":"a"}],"doc":"d","x":true,"namespace":"ns","name":"R","type":"record"}',
      '{"type":"record","name":"R","namespace":"ns","doc":"d","fields":[{"name":"a","type":"int"}],"x":true,"aliases":["Old"]}',
    ],
    [
      'field attributes in Java order: name, type, doc, default, order, aliases, props',
      '{"type":"record","name":"R","fields":[{"p":"q","aliases":["b"],"order":"descending","default":1,"doc":"d","type":"int","name":"a"}]}',
      '{"type":"record","name":"R","fields":[{"name":"a","type":"int","doc":"d","default":1,"order":"descending","aliases":["b"],"p":"q"}]}',
    ],
    [
      'ascending order is not printed',
      '{"type":"record","name":"R","fields":[{"name":"a","type":"int","order":"ascending"}]}',
      '{"type":"record","name":"R","fields":[{"name":"a","type":"int"}]}',
    ],
    [
      'a dotted name carries its namespace, which wins over "namespace"',
      '{"type":"record","name":"a.b.R","namespace":"x","fields":[]}',
      '{"type":"record","name":"R","namespace":"a.b","fields":[]}',
    ],
    [
      'nested types in the enclosing namespace omit it; a second use is the short name',
      '{"type":"record","name":"R","namespace":"ns","fields":[{"name":"e","type":{"type":"enum","name":"E","symbols":["A","B"]}},{"name":"f","type":"E"}]}',
      '{"type":"record","name":"R","namespace":"ns","fields":[{"name":"e","type":{"type":"enum","name":"E","symbols":["A","B"]}},{"name":"f","type":"E"}]}',
    ],
    [
      'a type in another namespace is printed with it and referenced by full name',
      '{"type":"record","name":"R","namespace":"ns","fields":[{"name":"e","type":{"type":"fixed","name":"other.F","size":4}},{"name":"f","type":"other.F"}]}',
      '{"type":"record","name":"R","namespace":"ns","fields":[{"name":"e","type":{"type":"fixed","name":"F","namespace":"other","size":4}},{"name":"f","type":"other.F"}]}',
    ],
    [
      'a type in no namespace inside one gets "namespace":""',
      '{"type":"record","name":"R","namespace":"ns","fields":[{"name":"e","type":{"type":"record","name":"Inner","namespace":"","fields":[]}}]}',
      '{"type":"record","name":"R","namespace":"ns","fields":[{"name":"e","type":{"type":"record","name":"Inner","namespace":"","fields":[]}}]}',
    ],
    [
      'enum default follows the symbols',
      '{"default":"B","symbols":["A","B"],"name":"E","type":"enum"}',
      '{"type":"enum","name":"E","symbols":["A","B"],"default":"B"}',
    ],
    ['fixed', '{"size":16,"name":"md5","type":"fixed","logicalType":"x"}', '{"type":"fixed","name":"md5","size":16,"logicalType":"x"}'],
    ['array and map with props', '{"type":"array","items":{"type":"map","values":"int","k":1},"p":"v"}', '{"type":"array","items":{"type":"map","values":"int","k":1},"p":"v"}'],
    ['union', '[ "null" , {"type":"string"} ]', '["null","string"]'],
    [
      'defaults keep Java number formatting',
      '{"type":"record","name":"R","fields":[{"name":"a","type":"double","default":1.50},{"name":"b","type":"double","default":1e7},{"name":"c","type":"float","default":0.0001},{"name":"d","type":"long","default":12345678901234}]}',
      '{"type":"record","name":"R","fields":[{"name":"a","type":"double","default":1.5},{"name":"b","type":"double","default":1.0E7},{"name":"c","type":"float","default":1.0E-4},{"name":"d","type":"long","default":12345678901234}]}',
    ],
    [
      'a string default on a double field becomes a number',
      '{"type":"record","name":"R","fields":[{"name":"a","type":"double","default":"2"}]}',
      '{"type":"record","name":"R","fields":[{"name":"a","type":"double","default":2.0}]}',
    ],
    [
      'prop keys keep their order even when integer-like',
      '{"type":"string","b":1,"2":2,"1":{"z":1,"0":0}}',
      '{"type":"string","b":1,"2":2,"1":{"z":1,"0":0}}',
    ],
    [
      'strings are escaped like Jackson (upper-case \\u00XX, non-ASCII kept)',
      '{"type":"record","name":"R","doc":"tab\\there \\u0001 é \\/","fields":[]}',
      '{"type":"record","name":"R","doc":"tab\\there \\u0001 é /","fields":[]}',
    ],
    ['comments are allowed (Jackson ALLOW_COMMENTS)', '/* c */ {"type": "int" // trailing\n}', '"int"'],
    [
      'a recursive record refers to itself by name',
      '{"type":"record","name":"Node","fields":[{"name":"next","type":["null","Node"],"default":null}]}',
      '{"type":"record","name":"Node","fields":[{"name":"next","type":["null","Node"],"default":null}]}',
    ],
    [
      'a name used before its definition resolves (Avro 1.12)',
      '{"type":"record","name":"R","fields":[{"name":"a","type":["null","E"]},{"name":"b","type":{"type":"enum","name":"E","symbols":["X"]}}]}',
      '{"type":"record","name":"R","fields":[{"name":"a","type":["null",{"type":"enum","name":"E","symbols":["X"]}]},{"name":"b","type":"E"}]}',
    ],
    [
      'error types print as error',
      '{"type":"error","name":"Oops","fields":[]}',
      '{"type":"error","name":"Oops","fields":[]}',
    ],
    [
      'aliases are qualified unless in the type\'s namespace',
      '{"type":"record","name":"R","namespace":"ns","aliases":["Old","other.Older"],"fields":[]}',
      '{"type":"record","name":"R","namespace":"ns","fields":[],"aliases":["Old","other.Older"]}',
    ],
  ])('%s', (_what, text, expected) => {
    expect(canonical(text)).toBe(expected);
  });

  it("keeps Java's text unchanged: the AvroConverter's registered schemas are fixed points (reference 5.6)", () => {
    const registered = [
      '{"type":"record","name":"Value","namespace":"io.x","fields":[' +
        '{"name":"id","type":"int"},' +
        '{"name":"name","type":["null","string"],"default":null},' +
        '{"name":"ts","type":["null",{"type":"long","connect.version":1,"connect.name":"org.apache.kafka.connect.data.Timestamp","logicalType":"timestamp-millis"}],"default":null},' +
        '{"name":"amt","type":{"type":"bytes","scale":2,"precision":64,"connect.version":1,"connect.parameters":{"scale":"2"},"connect.name":"org.apache.kafka.connect.data.Decimal","logicalType":"decimal"}},' +
        '{"name":"tags","type":{"type":"array","items":{"type":"record","name":"MapEntry","namespace":"io.confluent.connect.avro","fields":[{"name":"key","type":"int"},{"name":"value","type":"string"}]}}}' +
        '],"connect.name":"io.x.Value"}',
      '{"type":"record","name":"R","fields":[{"name":"f","type":{"type":"string","connect.default":"d"},"default":"d"}]}',
      '{"type":"record","name":"R","fields":[{"name":"f","type":[{"type":"string","connect.default":"d"},"null"],"default":"d"}]}',
      '{"type":"record","name":"R","fields":[{"name":"b","type":{"type":"int","connect.type":"int8"}}]}',
    ];
    for (const text of registered) expect(canonical(text)).toBe(text);
    // Pretty-printed input of the same schema stores the same text, so the two dedupe to one id.
    expect(canonical(JSON.stringify(JSON.parse(registered[0]!), null, 2))).toBe(registered[0]);
  });

  it('keeps the submitted text and references beside the canonical text', () => {
    const parsed = parseSchema('AVRO', '{"type": "int"}', [], noReferences);
    expect(parsed).toMatchObject({ schemaType: 'AVRO', originalText: '{"type": "int"}', canonicalText: '"int"', references: [] });
  });
});

describe('Avro references', () => {
  const store = new Map<string, ResolvedReference>([
    ['address:1', { schemaType: 'AVRO', schema: '{"type":"record","name":"Address","namespace":"com.acme","fields":[{"name":"city","type":"string"},{"name":"geo","type":"com.acme.Geo"}]}', references: [{ name: 'com.acme.Geo', subject: 'geo', version: 1 }] }],
    ['geo:1', { schemaType: 'AVRO', schema: '{"type":"record","name":"Geo","namespace":"com.acme","fields":[{"name":"lat","type":"double"}]}' }],
  ]);
  const resolve = (ref: SchemaReference): ResolvedReference | undefined => store.get(`${ref.subject}:${ref.version}`);

  it('resolves referenced names (transitively) and leaves them as names in the canonical text', () => {
    const text = '{"type":"record","name":"Person","namespace":"com.acme","fields":[{"name":"home","type":"Address"},{"name":"where","type":"Geo"}]}';
    const refs = [{ name: 'com.acme.Address', subject: 'address', version: 1 }];
    const parsed = parseSchema('AVRO', text, refs, resolve);
    expect(parsed.canonicalText).toBe(
      '{"type":"record","name":"Person","namespace":"com.acme","fields":[{"name":"home","type":"Address"},{"name":"where","type":"Geo"}]}',
    );
    expect(parsed.references).toEqual(refs);
  });

  it('reports a reference to a missing subject version as Confluent does', () => {
    expect(() => parseSchema('AVRO', '"int"', [{ name: 'X', subject: 'nope', version: 3 }], resolve)).toThrow(
      'Invalid schema of type AVRO, details: No schema reference found for subject "nope" and version 3',
    );
  });

  it('an undefined name without a reference is an error', () => {
    expect(invalidSchemaError('AVRO', '{"type":"record","name":"P","namespace":"com.acme","fields":[{"name":"a","type":"Address"}]}').detail).toBe(
      'Undefined schema: com.acme.Address',
    );
  });
});

describe('invalid Avro schemas (HTTP 422 / 42201 with Java Avro\'s message)', () => {
  it.each([
    ['not JSON', '{"type":', /^JSON syntax error: unexpected end-of-input at line 1, column 9$/],
    ['dangling content', '"int" "long"', 'dangling content after end of schema: "long"'],
    ['no type', '{"name":"x"}', 'No type: {"name":"x"}'],
    ['unknown type name', '"strin"', 'Undefined schema: strin'],
    ['a number is not a schema', '42', 'Schema not yet supported: 42'],
    ['record without fields', '{"type":"record","name":"R"}', 'Record has no fields: {"type":"record","name":"R"}'],
    ['record without name', '{"type":"record","fields":[]}', 'No name in schema: {"type":"record","fields":[]}'],
    ['field without name', '{"type":"record","name":"R","fields":[{"type":"int"}]}', 'No field name: {"type":"int"}'],
    ['field without type', '{"type":"record","name":"R","fields":[{"name":"a"}]}', 'No field type: {"name":"a"}'],
    [
      'duplicate field',
      '{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"a","type":"string"}]}',
      'Duplicate field a in record R: a type:STRING pos:1 and a type:INT pos:0.',
    ],
    ['illegal field name', '{"type":"record","name":"R","fields":[{"name":"a-b","type":"int"}]}', 'Illegal character in: a-b'],
    ['illegal initial character', '{"type":"record","name":"1R","fields":[]}', 'Illegal initial character: 1R'],
    ['non-ASCII letters are refused by the strict validator', '{"type":"record","name":"Ré","fields":[]}', 'Illegal character in: Ré'],
    ['illegal namespace part', '{"type":"record","name":"R","namespace":"a.1b","fields":[]}', 'Namespace part "1b" is invalid: Illegal initial character: 1b'],
    ['named after a primitive', '{"type":"fixed","name":"int","size":1}', 'Schemas may not be named after primitives: int'],
    ['enum without symbols', '{"type":"enum","name":"E"}', 'Enum has no symbols: {"type":"enum","name":"E"}'],
    ['duplicate enum symbol', '{"type":"enum","name":"E","symbols":["A","A"]}', 'Duplicate enum symbol: A'],
    ['enum default not a symbol', '{"type":"enum","name":"E","symbols":["A","B"],"default":"C"}', 'The Enum Default: C is not in the enum symbol set: [A, B]'],
    ['fixed without size', '{"type":"fixed","name":"F"}', 'Invalid or no size: {"type":"fixed","name":"F"}'],
    ['fixed with a fractional size', '{"type":"fixed","name":"F","size":1.5}', 'Invalid or no size: {"type":"fixed","name":"F","size":1.5}'],
    ['array without items', '{"type":"array"}', 'Array has no items type: {"type":"array"}'],
    ['map without values', '{"type":"map"}', 'Map has no values type: {"type":"map"}'],
    ['duplicate in union', '["int","int"]', 'Duplicate in union:int'],
    ['two arrays in a union', '[{"type":"array","items":"int"},{"type":"array","items":"long"}]', 'Duplicate in union:array'],
    ['nested union', '["null",["int"]]', 'Nested union: ["null",["int"]]'],
    ['redefined name', '{"type":"record","name":"R","fields":[{"name":"a","type":{"type":"fixed","name":"F","size":1}},{"name":"b","type":{"type":"fixed","name":"F","size":2}}]}', "Can't redefine: F"],
    ['bad order', '{"type":"record","name":"R","fields":[{"name":"a","type":"int","order":"up"}]}', 'No enum constant org.apache.avro.Schema.Field.Order.UP'],
    ['aliases not an array', '{"type":"record","name":"R","aliases":"x","fields":[]}', 'aliases not an array: {"type":"record","name":"R","aliases":"x","fields":[]}'],
    ['int default out of range', '{"type":"record","name":"R","fields":[{"name":"a","type":"int","default":2147483648}]}', 'Invalid default for field a: 2147483648 not a "int"'],
    ['string default on int', '{"type":"record","name":"R","fields":[{"name":"a","type":"int","default":"1"}]}', 'Invalid default for field a: "1" not a "int"'],
    ['fractional default on long', '{"type":"record","name":"R","fields":[{"name":"a","type":"long","default":1.0}]}', 'Invalid default for field a: 1.0 not a "long"'],
    ['null default on a non-null union', '{"type":"record","name":"R","fields":[{"name":"a","type":["int","string"],"default":null}]}', 'Invalid default for field a: null not a ["int","string"]'],
    ['array default with a bad item', '{"type":"record","name":"R","fields":[{"name":"a","type":{"type":"array","items":"int"},"default":[1,"x"]}]}', 'Invalid default for field a: [1,"x"] not a {"type":"array","items":"int"}'],
    ['record default missing a field without default', '{"type":"record","name":"R","fields":[{"name":"a","type":{"type":"record","name":"S","fields":[{"name":"x","type":"int"}]},"default":{}}]}', 'Invalid default for field a: {} not a {"type":"record","name":"S","fields":[{"name":"x","type":"int"}]}'],
    ['unparsable double default', '{"type":"record","name":"R","fields":[{"name":"a","type":"double","default":"abc"}]}', 'For input string: "abc"'],
  ])('%s', (_what, text, detail) => expectInvalidSchema('AVRO', text, detail));

  it('accepts valid defaults of every kind, a union default matching any branch (Avro 1.12)', () => {
    const text = JSON.stringify({
      type: 'record',
      name: 'R',
      fields: [
        { name: 'a', type: ['int', 'null'], default: null },
        { name: 'b', type: { type: 'map', values: 'long' }, default: { x: 1 } },
        { name: 'c', type: { type: 'fixed', name: 'F', size: 2 }, default: '\u00ff\u0000' },
        { name: 'd', type: { type: 'enum', name: 'E', symbols: ['A'] }, default: 'A' },
        { name: 'e', type: 'boolean', default: false },
        { name: 'f', type: 'float', default: 3 },
        { name: 'g', type: 'bytes', default: '' },
        { name: 'h', type: { type: 'record', name: 'S', fields: [{ name: 'x', type: 'int', default: 1 }] }, default: {} },
      ],
    });
    expect(() => parseSchema('AVRO', text, [], noReferences)).not.toThrow();
  });

  it('an empty schema and an unknown schema type are refused with Confluent\'s own messages', () => {
    expect(() => parseSchema('AVRO', '  ', [], noReferences)).toThrow(new InvalidSchemaError('AVRO', 'Empty schema', 'Empty schema'));
    expect(invalidSchemaError('XML' as 'AVRO', '<a/>').message).toBe('Invalid schema type XML');
  });
});
