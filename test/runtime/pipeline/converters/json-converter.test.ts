import { describe, expect, it } from 'vitest';
import { DataError } from '../../../../connectors/sdk/errors.js';
import { Decimal } from '../../../../connectors/sdk/data/decimal.js';
import { LogicalDate, LogicalDecimal, LogicalTime, LogicalTimestamp } from '../../../../connectors/sdk/data/logical-types.js';
import { Schema } from '../../../../connectors/sdk/data/schema.js';
import { SchemaAndValue } from '../../../../connectors/sdk/data/schema-and-value.js';
import { SchemaBuilder } from '../../../../connectors/sdk/data/schema-builder.js';
import { Struct } from '../../../../connectors/sdk/data/struct.js';
import { ConfigError } from '../../../../connectors/sdk/config/config-error.js';
import { JsonConverter } from '../../../../runtime/pipeline/converters/json-converter.js';

function converter(configs: Record<string, string> = {}, isKey = false): JsonConverter {
  const c = new JsonConverter();
  c.configure(configs, isKey);
  return c;
}

function write(c: JsonConverter, schema: Schema | null, value: unknown): string | null {
  return c.fromConnectData('topic', [], schema, value)?.toString('utf8') ?? null;
}

function read(c: JsonConverter, json: string): SchemaAndValue {
  return c.toConnectData('topic', [], Buffer.from(json, 'utf8'));
}

function dataError(fn: () => unknown): DataError {
  try {
    fn();
  } catch (err) {
    if (err instanceof DataError) return err;
    throw err;
  }
  throw new Error('expected a DataError');
}

const ALL_PRIMITIVES = SchemaBuilder.struct()
  .name('test.AllTypes')
  .field('i8', Schema.INT8_SCHEMA)
  .field('i16', Schema.INT16_SCHEMA)
  .field('i32', Schema.INT32_SCHEMA)
  .field('i64', Schema.INT64_SCHEMA)
  .field('f32', Schema.FLOAT32_SCHEMA)
  .field('f64', Schema.FLOAT64_SCHEMA)
  .field('b', Schema.BOOLEAN_SCHEMA)
  .field('s', Schema.STRING_SCHEMA)
  .field('by', Schema.BYTES_SCHEMA)
  .build();

const ALL_PRIMITIVES_SCHEMA_JSON =
  '{"type":"struct","fields":[' +
  '{"type":"int8","optional":false,"field":"i8"},' +
  '{"type":"int16","optional":false,"field":"i16"},' +
  '{"type":"int32","optional":false,"field":"i32"},' +
  '{"type":"int64","optional":false,"field":"i64"},' +
  '{"type":"float","optional":false,"field":"f32"},' +
  '{"type":"double","optional":false,"field":"f64"},' +
  '{"type":"boolean","optional":false,"field":"b"},' +
  '{"type":"string","optional":false,"field":"s"},' +
  '{"type":"bytes","optional":false,"field":"by"}' +
  '],"optional":false,"name":"test.AllTypes"}';

function allPrimitives(): Struct {
  return new Struct(ALL_PRIMITIVES)
    .put('i8', -12)
    .put('i16', 1234)
    .put('i32', -123456)
    .put('i64', 9007199254740993n)
    .put('f32', 1.5)
    .put('f64', 100)
    .put('b', true)
    .put('s', 'héllo "q"\n')
    .put('by', Buffer.from([0, 1, 2, 255]));
}

describe('JsonConverter writing with schemas.enable=true', () => {
  it('writes a struct of every primitive type as Kafka\'s compact envelope', () => {
    const bytes = converter().fromConnectData('topic', [], ALL_PRIMITIVES, allPrimitives());
    const expected =
      `{"schema":${ALL_PRIMITIVES_SCHEMA_JSON},"payload":` +
      '{"i8":-12,"i16":1234,"i32":-123456,"i64":9007199254740993,"f32":1.5,"f64":100.0,"b":true,' +
      '"s":"héllo \\"q\\"\\n","by":"AAEC/w=="}}';
    expect(bytes).toEqual(Buffer.from(expected, 'utf8'));
  });

  it('writes optional fields as null and lists every field in schema order', () => {
    const schema = SchemaBuilder.struct()
      .field('a', Schema.OPTIONAL_STRING_SCHEMA)
      .field('b', Schema.OPTIONAL_INT32_SCHEMA)
      .field('c', Schema.INT32_SCHEMA)
      .build();
    expect(write(converter(), schema, new Struct(schema).put('c', 1))).toBe(
      '{"schema":{"type":"struct","fields":[{"type":"string","optional":true,"field":"a"},' +
        '{"type":"int32","optional":true,"field":"b"},{"type":"int32","optional":false,"field":"c"}],"optional":false},' +
        '"payload":{"a":null,"b":null,"c":1}}',
    );
  });

  it('writes nested structs, arrays and maps, with non-string map keys as [key,value] pairs', () => {
    const point = SchemaBuilder.struct().name('Point').field('x', Schema.INT32_SCHEMA).field('y', Schema.INT32_SCHEMA).build();
    const schema = SchemaBuilder.struct()
      .field('origin', point)
      .field('path', SchemaBuilder.array(point))
      .field('labels', SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.OPTIONAL_STRING_SCHEMA))
      .field('byId', SchemaBuilder.map(Schema.INT64_SCHEMA, SchemaBuilder.array(Schema.BOOLEAN_SCHEMA)))
      .build();
    const p = (x: number, y: number) => new Struct(point).put('x', x).put('y', y);
    const value = new Struct(schema)
      .put('origin', p(0, 0))
      .put('path', [p(1, 2), p(3, 4)])
      .put('labels', new Map([['k', 'v'], ['n', null]]))
      .put('byId', new Map([[7, [true]], [8, []]]));
    const pointJson =
      '{"type":"struct","fields":[{"type":"int32","optional":false,"field":"x"},{"type":"int32","optional":false,"field":"y"}],' +
      '"optional":false,"name":"Point"';
    expect(write(converter(), schema, value)).toBe(
      '{"schema":{"type":"struct","fields":[' +
        `${pointJson},"field":"origin"},` +
        `{"type":"array","items":${pointJson}},"optional":false,"field":"path"},` +
        '{"type":"map","keys":{"type":"string","optional":false},"values":{"type":"string","optional":true},"optional":false,"field":"labels"},' +
        '{"type":"map","keys":{"type":"int64","optional":false},"values":{"type":"array","items":{"type":"boolean","optional":false},"optional":false},"optional":false,"field":"byId"}' +
        '],"optional":false},' +
        '"payload":{"origin":{"x":0,"y":0},"path":[{"x":1,"y":2},{"x":3,"y":4}],"labels":{"k":"v","n":null},"byId":[[7,[true]],[8,[]]]}}',
    );
  });

  it('writes logical types as Kafka does: Decimal as base64, Date/Time/Timestamp as numbers', () => {
    const schema = SchemaBuilder.struct()
      .field('amount', LogicalDecimal.schema(2))
      .field('day', LogicalDate.SCHEMA)
      .field('at', LogicalTime.SCHEMA)
      .field('ts', LogicalTimestamp.SCHEMA)
      .build();
    const value = new Struct(schema)
      .put('amount', new Decimal(482n, 2))
      .put('day', new Date('2022-01-08T00:00:00Z'))
      .put('at', new Date(36_000_000))
      .put('ts', new Date(1_700_000_000_000));
    expect(write(converter(), schema, value)).toBe(
      '{"schema":{"type":"struct","fields":[' +
        '{"type":"bytes","optional":false,"name":"org.apache.kafka.connect.data.Decimal","version":1,"parameters":{"scale":"2"},"field":"amount"},' +
        '{"type":"int32","optional":false,"name":"org.apache.kafka.connect.data.Date","version":1,"field":"day"},' +
        '{"type":"int32","optional":false,"name":"org.apache.kafka.connect.data.Time","version":1,"field":"at"},' +
        '{"type":"int64","optional":false,"name":"org.apache.kafka.connect.data.Timestamp","version":1,"field":"ts"}' +
        '],"optional":false},"payload":{"amount":"AeI=","day":19000,"at":36000000,"ts":1700000000000}}',
    );
  });

  it('writes decimals as JSON numbers with decimal.format=NUMERIC', () => {
    const c = converter({ 'decimal.format': 'numeric' });
    expect(write(c, LogicalDecimal.schema(2), new Decimal(482n, 2))).toBe(
      '{"schema":{"type":"bytes","optional":false,"name":"org.apache.kafka.connect.data.Decimal","version":1,"parameters":{"scale":"2"}},"payload":4.82}',
    );
    expect(write(c, LogicalDecimal.schema(8), new Decimal(1n, 8))).toContain('"payload":1E-8}');
  });

  it('writes the schema\'s doc, parameters and default in Kafka\'s key order', () => {
    const schema = SchemaBuilder.int32().optional().name('Count').version(2).doc('how many').parameter('p', 'v').defaultValue(5).build();
    expect(write(converter(), schema, 9)).toBe(
      '{"schema":{"type":"int32","optional":true,"name":"Count","version":2,"doc":"how many","parameters":{"p":"v"},"default":5},"payload":9}',
    );
  });

  it('replaces a null with the schema default unless replace.null.with.default=false', () => {
    const schema = SchemaBuilder.struct().field('n', SchemaBuilder.int32().optional().defaultValue(5)).build();
    const value = new Struct(schema);
    expect(write(converter(), schema, value)).toContain('"payload":{"n":5}');
    expect(write(converter({ 'replace.null.with.default': 'false' }), schema, value)).toContain('"payload":{"n":null}');
  });

  it('prints floats the way Java does and non-finite floats as strings', () => {
    const c = converter({ 'schemas.enable': 'false' });
    expect(write(c, Schema.FLOAT64_SCHEMA, 1e7)).toBe('1.0E7');
    expect(write(c, Schema.FLOAT64_SCHEMA, 0.0001)).toBe('1.0E-4');
    expect(write(c, Schema.FLOAT64_SCHEMA, -0)).toBe('-0.0');
    expect(write(c, Schema.FLOAT32_SCHEMA, 0.1)).toBe('0.1');
    expect(write(c, Schema.FLOAT32_SCHEMA, 3.14159265)).toBe('3.1415927');
    expect(write(c, Schema.FLOAT64_SCHEMA, NaN)).toBe('"NaN"');
    expect(write(c, Schema.FLOAT32_SCHEMA, -Infinity)).toBe('"-Infinity"');
  });

  it('escapes strings like Jackson: control characters and surrogates as upper-case \\u escapes', () => {
    const c = converter({ 'schemas.enable': 'false' });
    expect(write(c, Schema.STRING_SCHEMA, 'a\u0001\u001f\t\u007f/é😀')).toBe('"a\\u0001\\u001F\\t\u007f/é\\uD83D\\uDE00"');
  });

  it('writes a null schema as "schema":null and infers JSON from the JS value', () => {
    const value = new Map<unknown, unknown>([['n', 1], ['f', 1.5], ['big', 2n ** 64n], ['list', ['x', true, null]]]);
    expect(write(converter(), null, value)).toBe('{"schema":null,"payload":{"n":1,"f":1.5,"big":18446744073709551616,"list":["x",true,null]}}');
    expect(write(converter({ 'schemas.enable': 'false' }), null, { a: { b: [1] } })).toBe('{"a":{"b":[1]}}');
    expect(write(converter({ 'schemas.enable': 'false' }), null, new Map([[1, 'one']]))).toBe('[[1,"one"]]');
  });
});

describe('JsonConverter with schemas.enable=false', () => {
  const plain = converter({ 'schemas.enable': 'false' });

  it('writes the bare value, structs included', () => {
    expect(write(plain, ALL_PRIMITIVES, allPrimitives())).toBe(
      '{"i8":-12,"i16":1234,"i32":-123456,"i64":9007199254740993,"f32":1.5,"f64":100.0,"b":true,"s":"héllo \\"q\\"\\n","by":"AAEC/w=="}',
    );
    expect(write(plain, Schema.STRING_SCHEMA, 'x')).toBe('"x"');
  });

  it('reads JSON without a schema, integers as INT64 and other numbers as FLOAT64', () => {
    const result = read(plain, '{"int":1,"float":1.0,"exp":1e2,"big":9223372036854775807,"s":"x","b":false,"n":null,"a":[1,{"k":"v"}]}');
    expect(result.schema).toBeNull();
    expect(result.value).toEqual(
      new Map<string, unknown>([
        ['int', 1],
        ['float', 1],
        ['exp', 100],
        ['big', 9223372036854775807n],
        ['s', 'x'],
        ['b', false],
        ['n', null],
        ['a', [1, new Map([['k', 'v']])]],
      ]),
    );
  });

  it('writes the same bytes it read for offsets and configs with large integers', () => {
    const json = '{"position":12345678901234567,"file":"/var/log/a.log","nested":{"z":1,"a":[1,2]}}';
    expect(write(plain, null, read(plain, json).value)).toBe(json);
  });

  it('reads integers of any length exactly, a short one as a number and -0 as the integer 0', () => {
    const value = read(plain, '[-0,-00,007,999999999999999,-999999999999999,9007199254740991,-9007199254740992,0000000000000000001]').value as unknown[];
    expect(value).toEqual([0, 0, 7, 999999999999999, -999999999999999, 9007199254740991, -9007199254740992n, 1]);
    expect(Object.is(value[0], 0) && Object.is(value[1], 0)).toBe(true);
    expect(read(plain, '{"a":[-0.0]}').value).toEqual(new Map([['a', [-0]]]));
  });

  it('reads a bare number at the top level only when whitespace or the end follows it', () => {
    expect(read(plain, '12 ').value).toBe(12);
    expect(read(plain, '-5').value).toBe(-5);
    expect(read(plain, '1.5e3\n').value).toBe(1500);
    expect(read(plain, '12345678901234567890').value).toBe(12345678901234567890n);
    expect(() => read(plain, '1x')).toThrow("Unexpected character ('x' (code 120)): Expected space separating root-level values at line 1, column 2");
    expect(() => read(plain, '-1.5,')).toThrow(/Expected space separating root-level values/);
    expect(read(plain, '"s"x').value).toBe('s');
    expect(read(plain, '  ')).toBe(SchemaAndValue.NULL);
  });

  it('writes schemaless maps and lists entry by entry, naming the entry it cannot write', () => {
    const pairs = new Map<unknown, unknown>([[1, 'x'], [null, [undefined, null, 2n ** 70n, -0, 0.1, 1e21, true]]]);
    expect(write(plain, null, pairs)).toBe('[[1,"x"],[null,[null,null,1180591620717411303424,0,0.1,1.0E21,true]]]');
    expect(write(plain, null, new Map([['k', undefined], ['é\u2028\ud800', 'v\u0000']]))).toBe('{"k":null,"é\u2028\\uD800":"v\\u0000"}');
    expect(write(plain, null, { z: 1, a: new Map([['n', NaN]]) })).toBe('{"z":1,"a":{"n":"NaN"}}');
    const nested = new Map<unknown, unknown>([['ok', 'x'], ['a"b', new Map([['list', [1, new Date(0)]]])]]);
    expect(() => write(plain, null, nested)).toThrow('Date 1970-01-01T00:00:00.000Z at field "["a\\"b"]["list"][1]" has no corresponding schema type');
    expect(() => write(plain, null, new Map<unknown, unknown>([[1, 'x'], [2, new Map([['s', Symbol('q')]])]]))).toThrow(
      'symbol at field "[2]["s"]" has no corresponding schema type',
    );
  });

  it('reads an envelope-shaped document as a plain map', () => {
    expect(read(plain, '{"schema":{"type":"int32"},"payload":1}').value).toBeInstanceOf(Map);
  });
});

describe('JsonConverter reading Kafka-written envelopes', () => {
  it('reads a Debezium-style change event written by Kafka Connect', () => {
    const json = `{
      "schema": {
        "type": "struct",
        "fields": [
          {"type": "struct", "fields": [
              {"type": "int32", "optional": false, "field": "id"},
              {"type": "string", "optional": true, "field": "name"},
              {"type": "bytes", "optional": true, "name": "org.apache.kafka.connect.data.Decimal", "version": 1,
               "parameters": {"scale": "2", "connect.decimal.precision": "10"}, "field": "price"}
            ], "optional": true, "name": "shop.products.Value", "field": "after"},
          {"type": "string", "optional": false, "field": "op"},
          {"type": "int64", "optional": true, "name": "org.apache.kafka.connect.data.Timestamp", "version": 1, "field": "ts"},
          {"type": "int32", "optional": false, "default": 3, "field": "attempts"}
        ],
        "optional": false,
        "name": "shop.products.Envelope",
        "version": 1
      },
      "payload": {"after": {"id": 1, "name": "Widget", "price": "E4g="}, "op": "c", "ts": 1700000000000}
    }`;
    const { schema, value } = read(converter(), json);
    expect(schema?.name).toBe('shop.products.Envelope');
    expect(schema?.version).toBe(1);
    const after = schema!.field('after')!.schema;
    expect(after.optional).toBe(true);
    expect(after.field('price')!.schema.parameters).toEqual(new Map([['scale', '2'], ['connect.decimal.precision', '10']]));
    expect(schema!.field('attempts')!.schema.defaultValue).toBe(3);

    const event = value as Struct;
    expect(event.getString('op')).toBe('c');
    expect((event.get('ts') as Date).toISOString()).toBe('2023-11-14T22:13:20.000Z');
    expect(event.get('attempts')).toBe(3);
    const row = event.getStruct('after')!;
    expect(row.getInt32('id')).toBe(1);
    expect(row.getString('name')).toBe('Widget');
    expect(row.getDecimal('price')?.toString()).toBe('50.00');
  });

  it('reads the reference envelope and writes back the identical bytes', () => {
    const json =
      '{"schema":{"type":"struct","fields":[{"type":"int64","optional":false,"field":"id"},{"type":"string","optional":true,"field":"email"},' +
      '{"type":"bytes","optional":true,"name":"org.apache.kafka.connect.data.Decimal","version":1,"parameters":{"scale":"2"},"field":"amount"},' +
      '{"type":"int32","optional":true,"name":"org.apache.kafka.connect.data.Date","version":1,"field":"birthday"},' +
      '{"type":"int64","optional":true,"name":"org.apache.kafka.connect.data.Timestamp","version":1,"field":"created"},' +
      '{"type":"array","items":{"type":"string","optional":false},"optional":true,"field":"tags"},' +
      '{"type":"map","keys":{"type":"string","optional":false},"values":{"type":"int32","optional":false},"optional":true,"field":"scores"}],' +
      '"optional":false,"name":"com.example.User"},' +
      '"payload":{"id":42,"email":null,"amount":"AeI=","birthday":19000,"created":1700000000000,"tags":["a"],"scores":{"x":1}}}';
    const c = converter();
    const { schema, value } = read(c, json);
    expect(write(c, schema, value)).toBe(json);
  });

  it('reads numbers with leading zeros, decimal defaults and high-precision numeric decimals', () => {
    expect(read(converter(), '{ "schema": { "type": "int16" }, "payload": 000123 }').value).toBe(123);
    const withDefault = read(
      converter(),
      '{ "schema": { "type": "bytes", "name": "org.apache.kafka.connect.data.Decimal", "version": 1, "optional": true, "default": "AJw=", "parameters": { "scale": "2" } }, "payload": null }',
    );
    expect((withDefault.value as Decimal).equals(new Decimal(156n, 2))).toBe(true);
    expect(withDefault.schema?.defaultValue).toEqual(new Decimal(156n, 2));
    const precise = read(
      converter(),
      '{ "schema": { "type": "bytes", "name": "org.apache.kafka.connect.data.Decimal", "version": 1, "parameters": { "scale": "17" } }, "payload": 1.23456789123456789 }',
    );
    expect((precise.value as Decimal).toString()).toBe('1.23456789123456789');
  });

  it('reads maps written as [key,value] pairs and numeric decimals', () => {
    const json =
      '{"schema":{"type":"map","keys":{"type":"int32","optional":false},"values":{"type":"bytes","optional":false,' +
      '"name":"org.apache.kafka.connect.data.Decimal","version":1,"parameters":{"scale":"2"}},"optional":false},' +
      '"payload":[[1,4.82],[2,"AeI="],[3,5]]}';
    const value = read(converter(), json).value as Map<number, Decimal>;
    expect([...value.keys()]).toEqual([1, 2, 3]);
    expect([...value.values()].map((d) => [d.unscaled, d.scale])).toEqual([
      [482n, 2],
      [482n, 2],
      [500n, 2],
    ]);
  });

  it('returns the same schema object for records with the same schema', () => {
    const c = converter();
    const a = read(c, '{"schema":{"type":"string","optional":false},"payload":"a"}');
    const b = read(c, '{"schema":{"type":"string","optional":false},"payload":"b"}');
    expect(a.schema).toBe(b.schema);
    const uncached = converter({ 'schemas.cache.size': '0' });
    const c1 = read(uncached, '{"schema":{"type":"string","optional":false},"payload":"a"}');
    const c2 = read(uncached, '{"schema":{"type":"string","optional":false},"payload":"a"}');
    expect(c1.schema).not.toBe(c2.schema);
    expect(c1.schema?.equals(c2.schema)).toBe(true);
  });

  it('reads the schema wherever it stands in the envelope, with any spacing, escapes or repeats', () => {
    const c = converter();
    const plain = read(c, '{"schema":{"type":"string","optional":false,"doc":"a\\"b"},"payload":"x"}');
    const spaced = read(c, ' { "payload" : "y" ,\n "schema" : { "type" : "string" , "optional" : false, "doc" : "a\\u0022b" } } ');
    expect(spaced.value).toBe('y');
    expect(spaced.schema?.equals(plain.schema)).toBe(true);
    expect(spaced.schema?.doc).toBe('a"b');
    const repeated = read(c, '{"schema":{"type":"int32"},"payload":"x","schema":{"type":"string","optional":false,"doc":"a\\"b"}}');
    expect(repeated.schema).toBe(plain.schema);
    expect(dataError(() => read(c, '{"schema":{"type":"string"},"payload":"z","schema":{"type":"int32"}}')).message).toContain('INT32');
  });

  it('reads an envelope after one with the same schema exactly as a fresh converter reads it, odd envelopes included', () => {
    const schemaJson = '{"type":"struct","fields":[{"type":"string","optional":true,"field":"s"}],"optional":false}';
    const head = `{"schema":${schemaJson},"payload":`;
    const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
    const inputs: Buffer[] = [
      `${head}{"s":"x"}}`,
      `${head}{"s":"x"} } trailing text is ignored`,
      `${head}{"s":"x"},"extra":1}`,
      `${head}{"s":"x"},"payload":{"s":"second payload wins"}}`,
      `${head}{"s":"x"},"schema":{"type":"string"}}`,
      `${head}{"s":"x"}`,
      `${head}{"s":"x"]}`,
      `${head}{"s":1}}`,
      `${head}null}`,
      `${head}"not a struct"}`,
      `${head}{"s":"x"}}${'\ud83d'}`,
      `{"schema":${schemaJson},"payload":{"s":"x"}}`.replace('"payload"', ' "payload"'),
      `{"schema":{"type":"array","items":{"type":"string"}},"payload":${deep(999)}}`,
      `{"schema":{"type":"array","items":{"type":"string"}},"payload":${deep(1000)}}`,
    ].map((text) => Buffer.from(text, 'utf8'));
    inputs.push(Buffer.concat([Buffer.from(`${head}{"s":"x"}}`), Buffer.from([0xff])]));
    inputs.push(Buffer.concat([Buffer.from(head), Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"s":"x"}}')]));
    inputs.push(Buffer.concat([Buffer.from(head), Buffer.from('{"s":"'), Buffer.from([0xc3]), Buffer.from('"}}')]));
    const outcome = (c: JsonConverter, bytes: Buffer) => {
      try {
        const read = c.toConnectData('topic', [], bytes);
        return { schema: read.schema === null ? null : c.schemaToJson(read.schema), value: read.value };
      } catch (err) {
        return { error: `${(err as Error).name}: ${(err as Error).message}` };
      }
    };
    const warm = converter();
    const arrayHead = '{"schema":{"type":"array","items":{"type":"string"}},"payload":';
    for (const bytes of inputs) {
      warm.toConnectData('topic', [], Buffer.from(`${head}{"s":"warm"}}`));
      const expected = outcome(converter(), bytes);
      expect(outcome(warm, bytes), bytes.toString('utf8').slice(0, 120)).toEqual(expected);
      warm.toConnectData('topic', [], Buffer.from(`${arrayHead}[]}`));
      expect(outcome(warm, bytes), bytes.toString('utf8').slice(0, 120)).toEqual(expected);
    }
    expect(outcome(converter(), inputs[0]!)).toMatchObject({ value: expect.any(Struct) });
    expect(outcome(converter(), inputs[2]!)).toMatchObject({ error: expect.stringContaining('requires "schema" and "payload" fields') });
    expect(outcome(converter(), inputs[14]!)).toMatchObject({ error: expect.stringContaining('Invalid UTF-8') });
    expect((outcome(converter(), inputs[3]!) as { value: Struct }).value.get('s')).toBe('second payload wins');
    expect(outcome(converter(), inputs[13]!)).toMatchObject({ error: expect.stringContaining('nesting depth') });
    expect(outcome(converter(), inputs[12]!)).toMatchObject({ error: expect.not.stringContaining('nesting depth') });
  });

  it('fills a missing or null field from the default, or fails for a required field', () => {
    const schemaJson = '{"type":"struct","fields":[{"type":"int32","optional":false,"default":7,"field":"n"},{"type":"string","optional":true,"field":"s"}],"optional":false}';
    const struct = read(converter(), `{"schema":${schemaJson},"payload":{}}`).value as Struct;
    expect(struct.get('n')).toBe(7);
    expect(struct.get('s')).toBeNull();
    const err = dataError(() => read(converter({ 'replace.null.with.default': 'false' }), `{"schema":${schemaJson},"payload":{"n":null}}`));
    expect(err.message).toBe('Invalid null value for required INT32 field "n"');
  });
});

describe('JsonConverter round trips', () => {
  it('reads back what it wrote for every type, in both modes', () => {
    const point = SchemaBuilder.struct().name('P').field('x', Schema.FLOAT32_SCHEMA).build();
    const schema = SchemaBuilder.struct()
      .field('all', ALL_PRIMITIVES)
      .field('points', SchemaBuilder.array(point).optional())
      .field('weights', SchemaBuilder.map(Schema.INT16_SCHEMA, Schema.FLOAT64_SCHEMA))
      .field('amount', LogicalDecimal.builder(-2))
      .field('day', LogicalDate.builder().optional())
      .field('at', LogicalTime.SCHEMA)
      .field('ts', LogicalTimestamp.SCHEMA)
      .field('missing', Schema.OPTIONAL_BYTES_SCHEMA)
      .build();
    const value = new Struct(schema)
      .put('all', allPrimitives())
      .put('points', [new Struct(point).put('x', 0.5), new Struct(point).put('x', -2)])
      .put('weights', new Map([[1, 0.25], [-1, 1e300]]))
      .put('amount', new Decimal(-12345678901234567890123n, -2))
      .put('at', new Date(86_399_999))
      .put('ts', new Date(-1));
    for (const format of ['BASE64', 'NUMERIC']) {
      const c = converter({ 'decimal.format': format });
      const back = c.toConnectData('t', [], c.fromConnectData('t', [], schema, value));
      expect(back.schema?.equals(schema), format).toBe(true);
      expect((back.value as Struct).equals(value), format).toBe(true);
    }
    const plain = converter({ 'schemas.enable': 'false' });
    const text = write(plain, schema, value)!;
    expect(write(plain, null, read(plain, text).value)).toBe(text.replace('"f64":100.0', '"f64":100').replace('"x":-2.0', '"x":-2'));
  });
  it('round-trips schemas carrying defaults, struct defaults included', () => {
    const inner = SchemaBuilder.struct().name('Inner').field('a', Schema.INT32_SCHEMA).optional();
    const innerDefault = new Struct(inner.build()).put('a', 1);
    const schema = SchemaBuilder.struct()
      .field('inner', inner.defaultValue(innerDefault))
      .field('when', LogicalTimestamp.builder().defaultValue(new Date(5)))
      .field('price', LogicalDecimal.builder(1).defaultValue(new Decimal(15n, 1)))
      .build();
    const c = converter();
    const json = write(c, schema, new Struct(schema))!;
    expect(json).toContain('"default":{"a":1}');
    expect(json).toContain('"payload":{"inner":{"a":1},"when":5,"price":"Dw=="}');
    const back = read(c, json);
    expect(back.schema?.equals(schema)).toBe(true);
    expect(write(c, back.schema, back.value)).toBe(json);
  });
});

describe('JsonConverter nulls and tombstones', () => {
  it('turns a null value with no schema into null bytes in both modes', () => {
    expect(converter().fromConnectData('t', [], null, null)).toBeNull();
    expect(converter({ 'schemas.enable': 'false' }).fromConnectData('t', [], null, null)).toBeNull();
  });

  it('writes a null value with an optional schema as a JSON null payload', () => {
    expect(write(converter(), Schema.OPTIONAL_STRING_SCHEMA, null)).toBe('{"schema":{"type":"string","optional":true},"payload":null}');
    expect(write(converter({ 'schemas.enable': 'false' }), Schema.OPTIONAL_STRING_SCHEMA, null)).toBe('null');
  });

  it('reads null bytes as SchemaAndValue.NULL and a JSON null as null without a schema', () => {
    expect(converter().toConnectData('t', [], null)).toBe(SchemaAndValue.NULL);
    const plain = read(converter({ 'schemas.enable': 'false' }), 'null');
    expect([plain.schema, plain.value]).toEqual([null, null]);
    expect(converter({ 'schemas.enable': 'false' }).toConnectData('t', [], Buffer.alloc(0))).toBe(SchemaAndValue.NULL);
    expect(read(converter(), '{"schema":null,"payload":null}').value).toBeNull();
  });

  it('refuses a null for a required schema', () => {
    expect(() => write(converter(), Schema.STRING_SCHEMA, null)).toThrow(
      'Conversion error: null value for the value that is required and has no default value (schema type STRING)',
    );
  });
});

describe('JsonConverter errors', () => {
  it('reports malformed JSON as a serialization error with its position', () => {
    const err = dataError(() => read(converter(), '{"schema":{"type":"string"},"payload":"x"'));
    expect(err.message).toMatch(/^Converting byte\[\] to Kafka Connect data failed due to serialization error: Unexpected end-of-input/);
    expect(dataError(() => read(converter(), '{"a":tru}')).message).toContain("Unrecognized token 'tru'");
    expect(dataError(() => read(converter(), '[1,]')).message).toMatch(/Unexpected character \(']' \(code 93\)\).*line 1, column 4/);
    expect(dataError(() => converter().toConnectData('t', [], Buffer.from([0x22, 0xff, 0x22]))).message).toContain('Invalid UTF-8');
  });

  it('tells the user to disable schemas when the envelope is missing', () => {
    for (const json of ['{"a":1}', '{"schema":null}', '{"schema":null,"payload":1,"extra":2}', '[1]', 'null', '']) {
      expect(dataError(() => read(converter(), json)).message).toBe(
        'JsonConverter with schemas.enable requires "schema" and "payload" fields and may not contain additional fields. ' +
          'If you are trying to deserialize plain JSON data, set schemas.enable=false in your converter configuration.',
      );
    }
  });

  it('names the field whose payload does not match the schema', () => {
    const schemaJson =
      '{"type":"struct","fields":[{"type":"struct","fields":[{"type":"int32","optional":false,"field":"zip"}],"optional":false,"field":"address"}],"optional":false}';
    const err = dataError(() => read(converter(), `{"schema":${schemaJson},"payload":{"address":{"zip":"12345"}}}`));
    expect(err.path).toBe('address.zip');
    expect(err.message).toBe('Invalid value for INT32 field "address.zip": expected a JSON number, but found STRING');
    expect(dataError(() => read(converter(), `{"schema":${schemaJson},"payload":{"address":{"zip":3000000000}}}`)).message).toContain(
      'out of range',
    );
    expect(dataError(() => read(converter(), `{"schema":${schemaJson},"payload":{"address":{"zip":1.5}}}`)).message).toContain(
      '1.5 is not an integer',
    );
    expect(read(converter(), `{"schema":${schemaJson},"payload":{"address":{"zip":2.0}}}`).value).toBeInstanceOf(Struct);
  });

  it('rejects schemas Kafka rejects', () => {
    const cases: [string, string][] = [
      ['{"optional":false}', "Schema must contain 'type' field"],
      ['{"type":"uuid"}', 'Unknown schema type: uuid'],
      ['{"type":"array"}', 'Array schema did not specify the element type'],
      ['{"type":"map","values":{"type":"string"}}', 'Map schema did not specify the key type'],
      ['{"type":"struct","fields":{}}', 'Struct schema\'s "fields" argument is not an array.'],
      ['{"type":"struct","fields":[{"type":"string"}]}', "Struct schema's field name not specified properly"],
      ['{"type":"string","parameters":{"a":1}}', 'Schema parameters must have string values.'],
    ];
    for (const [schemaJson, message] of cases) {
      expect(dataError(() => read(converter(), `{"schema":${schemaJson},"payload":null}`)).message, schemaJson).toBe(message);
    }
  });

  it('rejects bad base64 and map encodings', () => {
    expect(dataError(() => read(converter(), '{"schema":{"type":"bytes"},"payload":"not base64!"}')).message).toContain(
      'Invalid bytes field at the top level',
    );
    expect(
      dataError(() => read(converter(), '{"schema":{"type":"map","keys":{"type":"int8"},"values":{"type":"int8"}},"payload":{"1":1}}')).message,
    ).toBe('Maps with non-string fields should be encoded as JSON array of tuples, but found OBJECT at the top level');
  });

  it('refuses to write a value that does not match its schema, naming the field', () => {
    const schema = SchemaBuilder.struct().field('tags', SchemaBuilder.array(Schema.STRING_SCHEMA)).build();
    const err = dataError(() => write(converter(), SchemaBuilder.array(Schema.STRING_SCHEMA).build(), ['a', 1]));
    expect(err.message).toBe('Invalid type for STRING at field "[1]": expected a string, got number 1');
    const other = SchemaBuilder.struct().field('tags', SchemaBuilder.array(Schema.STRING_SCHEMA)).name('Other').build();
    expect(() => write(converter(), schema, new Struct(other).put('tags', []))).toThrow(/Mismatching schema/);
    expect(() => write(converter(), LogicalDecimal.schema(3), new Decimal(1n, 2))).toThrow(/mismatching scale/);
    expect(() => write(converter(), null, new Date())).toThrow(/has no corresponding schema type/);
  });

  it('rejects invalid settings with Kafka\'s config messages', () => {
    expect(() => converter({ 'schemas.enable': 'maybe' })).toThrow(ConfigError);
    expect(() => converter({ 'schemas.enable': 'maybe' })).toThrow(
      'Invalid value maybe for configuration schemas.enable: Expected value to be either true or false',
    );
    expect(() => converter({ 'decimal.format': 'hex' })).toThrow('String must be one of (case insensitive): BASE64, NUMERIC');
    expect(converter({ 'schemas.enable': ' FALSE ' }).schemasEnabled).toBe(false);
  });
});

describe('JsonConverter as a header converter', () => {
  it('writes and reads header values in the same JSON format', () => {
    const c = new JsonConverter();
    c.configure({ 'schemas.enable': 'false' });
    const bytes = c.fromConnectHeader('t', 'h', Schema.INT32_SCHEMA, 5);
    expect(bytes?.toString()).toBe('5');
    expect(c.toConnectHeader('t', 'h', bytes).value).toBe(5);
  });
});
