import { describe, expect, it } from 'vitest';
import { parseSchema } from '../../../registry/schemas/parse-schema.js';
import type { ParsedSchema } from '../../../registry/schemas/parse-schema.js';
import { avroReaderWriterIncompatibilities } from '../../../registry/compatibility/avro-compatibility.js';
import { checkCompatibility } from '../../../registry/compatibility/check-compatibility.js';
import type { CompatibilityLevel } from '../../../registry/compatibility/check-compatibility.js';

function avro(schema: unknown, version?: number): ParsedSchema {
  const parsed = parseSchema('AVRO', JSON.stringify(schema), [], () => undefined);
  return version === undefined ? parsed : { ...parsed, version };
}

function record(fields: unknown[], extra: Record<string, unknown> = {}): unknown {
  return { type: 'record', name: 'R', ...extra, fields };
}

/** [type, location, message] of each incompatibility found when `reader` reads data written with `writer`. */
function problems(reader: unknown, writer: unknown): Array<[string, string, string]> {
  return avroReaderWriterIncompatibilities(avro(reader).avro, avro(writer).avro).map((i) => [i.type, i.location, i.message]);
}

const enumE = (symbols: string[], extra: Record<string, unknown> = {}): unknown => ({ type: 'enum', name: 'E', symbols, ...extra });

describe('Avro reader/writer rules (Apache Avro SchemaCompatibility)', () => {
  it.each<[string, unknown, unknown, Array<[string, string, string]>]>([
    ['same primitive', 'string', 'string', []],
    ['logical types are ignored', { type: 'long', logicalType: 'timestamp-millis' }, 'long', []],
    ['long reads int', 'long', 'int', []],
    ['float reads int and long', 'float', 'long', []],
    ['double reads float', 'double', 'float', []],
    ['bytes reads string', 'bytes', 'string', []],
    ['string reads bytes', 'string', 'bytes', []],
    ['int does not read long', 'int', 'long', [['TYPE_MISMATCH', '/', 'reader type: INT not compatible with writer type: LONG']]],
    ['float does not read double', 'float', 'double', [['TYPE_MISMATCH', '/', 'reader type: FLOAT not compatible with writer type: DOUBLE']]],
    ['boolean vs null', 'boolean', 'null', [['TYPE_MISMATCH', '/', 'reader type: BOOLEAN not compatible with writer type: NULL']]],
    ['array items promote', { type: 'array', items: 'long' }, { type: 'array', items: 'int' }, []],
    ['array items mismatch', { type: 'array', items: 'int' }, { type: 'array', items: 'string' }, [['TYPE_MISMATCH', '/items', 'reader type: INT not compatible with writer type: STRING']]],
    ['map values mismatch', { type: 'map', values: 'int' }, { type: 'map', values: 'long' }, [['TYPE_MISMATCH', '/values', 'reader type: INT not compatible with writer type: LONG']]],
    ['array vs map', { type: 'array', items: 'int' }, { type: 'map', values: 'int' }, [['TYPE_MISMATCH', '/', 'reader type: ARRAY not compatible with writer type: MAP']]],
    ['fixed same size', { type: 'fixed', name: 'F', size: 4 }, { type: 'fixed', name: 'F', size: 4 }, []],
    ['fixed size change', { type: 'fixed', name: 'F', size: 8 }, { type: 'fixed', name: 'F', size: 4 }, [['FIXED_SIZE_MISMATCH', '/size', 'expected: 4, found: 8']]],
    ['fixed renamed', { type: 'fixed', name: 'G', size: 4 }, { type: 'fixed', name: 'F', size: 4 }, [['NAME_MISMATCH', '/name', 'expected: F']]],
    ['fixed renamed with alias', { type: 'fixed', name: 'G', size: 4, aliases: ['F'] }, { type: 'fixed', name: 'F', size: 4 }, []],
    ['enum with more symbols reads fewer', enumE(['A', 'B', 'C']), enumE(['A', 'B']), []],
    ['enum missing writer symbols (sorted)', enumE(['A']), enumE(['C', 'A', 'B']), [['MISSING_ENUM_SYMBOLS', '/symbols', '[B, C]']]],
    ['enum with a default reads unknown symbols', enumE(['A', 'Z'], { default: 'Z' }), enumE(['A', 'B']), []],
    ['enum renamed', { type: 'enum', name: 'E2', symbols: ['A'] }, enumE(['A']), [['NAME_MISMATCH', '/name', 'expected: E']]],
    ['record: namespace change alone is compatible (unqualified names)', record([], { namespace: 'a' }), record([], { namespace: 'b' }), []],
    ['record renamed', record([], { name: 'S' }), record([]), [['NAME_MISMATCH', '/name', 'expected: R']]],
    ['record renamed with an alias naming the writer', record([], { name: 'S', namespace: 'n', aliases: ['m.R'] }), record([], { namespace: 'm' }), []],
    ['record alias without namespace does not match a writer in one', record([], { name: 'S', aliases: ['R'] }), record([], { namespace: 'm' }), [['NAME_MISMATCH', '/name', 'expected: m.R']]],
    ['record: reader field added with default', record([{ name: 'a', type: 'int' }, { name: 'b', type: 'int', default: 0 }]), record([{ name: 'a', type: 'int' }]), []],
    [
      'record: reader field added without default',
      record([{ name: 'a', type: 'int' }, { name: 'b', type: 'int' }]),
      record([{ name: 'a', type: 'int' }]),
      [['READER_FIELD_MISSING_DEFAULT_VALUE', '/fields/1', 'b']],
    ],
    ['record: writer field removed in reader is ignored', record([{ name: 'a', type: 'int' }]), record([{ name: 'a', type: 'int' }, { name: 'b', type: 'int' }]), []],
    ['record: field found through its alias', record([{ name: 'c', type: 'int', aliases: ['a'] }]), record([{ name: 'a', type: 'int' }]), []],
    [
      'record: field type change reported at its path',
      record([{ name: 'x', type: 'string' }, { name: 'a', type: 'int' }]),
      record([{ name: 'a', type: 'long' }, { name: 'x', type: 'string' }]),
      [['TYPE_MISMATCH', '/fields/1/type', 'reader type: INT not compatible with writer type: LONG']],
    ],
    [
      'record: an enum field with an enum default but no field default, missing from the writer (Avro checks it against the writer record)',
      record([{ name: 'e', type: enumE(['A'], { default: 'A' }) }]),
      record([]),
      [['TYPE_MISMATCH', '/fields/0/type', 'reader type: ENUM not compatible with writer type: RECORD']],
    ],
    [
      'record: nested record changes reported with the full path; all problems listed',
      record([{ name: 'n', type: record([{ name: 'x', type: 'int' }, { name: 'y', type: 'int' }], { name: 'N' }) }, { name: 'z', type: 'int' }]),
      record([{ name: 'n', type: record([{ name: 'x', type: 'string' }], { name: 'N' }) }]),
      [
        ['TYPE_MISMATCH', '/fields/0/type/fields/0/type', 'reader type: INT not compatible with writer type: STRING'],
        ['READER_FIELD_MISSING_DEFAULT_VALUE', '/fields/0/type/fields/1', 'y'],
        ['READER_FIELD_MISSING_DEFAULT_VALUE', '/fields/1', 'z'],
      ],
    ],
    ['union reads a branch type', ['null', 'string'], 'string', []],
    ['union reads a promotable type', ['null', 'long'], 'int', []],
    ['reader union lacking the writer type', ['null', 'string'], 'int', [['MISSING_UNION_BRANCH', '/', 'reader union lacking writer type: INT']]],
    ['union grows', ['null', 'string', 'int'], ['null', 'string'], []],
    ['union shrinks', ['null', 'string'], ['null', 'string', 'int'], [['MISSING_UNION_BRANCH', '/2', 'reader union lacking writer type: INT']]],
    ['writer union, reader not: every branch must be readable', 'string', ['null', 'string'], [['TYPE_MISMATCH', '/0', 'reader type: STRING not compatible with writer type: NULL']]],
    ['writer union of readable branches', 'double', ['int', 'float'], []],
    [
      'a record change inside a union is found',
      ['null', record([{ name: 'a', type: 'int' }, { name: 'b', type: 'int' }])],
      ['null', record([{ name: 'a', type: 'int' }])],
      [['MISSING_UNION_BRANCH', '/1', 'reader union lacking writer type: RECORD']],
    ],
    [
      'recursive records compare without looping',
      { type: 'record', name: 'L', fields: [{ name: 'v', type: 'long' }, { name: 'next', type: ['null', 'L'] }] },
      { type: 'record', name: 'L', fields: [{ name: 'v', type: 'int' }, { name: 'next', type: ['null', 'L'] }] },
      [],
    ],
    [
      'recursive records with an incompatible change',
      { type: 'record', name: 'L', fields: [{ name: 'v', type: 'int' }, { name: 'next', type: ['null', 'L'] }] },
      { type: 'record', name: 'L', fields: [{ name: 'v', type: 'long' }, { name: 'next', type: ['null', 'L'] }] },
      [['TYPE_MISMATCH', '/fields/0/type', 'reader type: INT not compatible with writer type: LONG']],
    ],
  ])('%s', (_what, reader, writer, expected) => {
    expect(problems(reader, writer)).toEqual(expected);
  });
});

describe('checkCompatibility levels (Confluent messages)', () => {
  const v1 = avro(record([{ name: 'a', type: 'int' }]), 1);
  const withDefault = avro(record([{ name: 'a', type: 'int' }, { name: 'b', type: 'string', default: '' }]), 2);
  const withoutDefault = avro(record([{ name: 'a', type: 'int' }, { name: 'b', type: 'string' }]));
  const removedA = avro(record([]));

  it.each<[string, ParsedSchema, ParsedSchema[], CompatibilityLevel, boolean]>([
    ['NONE accepts anything', withoutDefault, [v1], 'NONE', true],
    ['no earlier version is always compatible', withoutDefault, [], 'FULL_TRANSITIVE', true],
    ['BACKWARD: adding a field with a default', withDefault, [v1], 'BACKWARD', true],
    ['BACKWARD: adding a field without a default', withoutDefault, [v1], 'BACKWARD', false],
    ['BACKWARD: deleting a field', removedA, [v1], 'BACKWARD', true],
    ['FORWARD: adding a field without a default', withoutDefault, [v1], 'FORWARD', true],
    ['FORWARD: deleting a field without a default', removedA, [v1], 'FORWARD', false],
    ['FORWARD: deleting a field that had a default', v1, [withDefault], 'FORWARD', true],
    ['FULL: adding a defaulted field', withDefault, [v1], 'FULL', true],
    ['FULL: adding a field without default', withoutDefault, [v1], 'FULL', false],
    ['FULL: deleting a field without default', removedA, [v1], 'FULL', false],
  ])('%s', (_what, candidate, previous, level, compatible) => {
    expect(checkCompatibility(candidate, previous, level).length === 0).toBe(compatible);
  });

  it('BACKWARD failure: the difference, the old version and text, then the level', () => {
    expect(checkCompatibility(withoutDefault, [v1], 'BACKWARD')).toEqual([
      "{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE', description:'The field 'b' at path '/fields/1' in the new schema has no default value and is missing in the old schema', additionalInfo:'b'}",
      '{oldSchemaVersion: 1}',
      `{oldSchema: '{"type":"record","name":"R","fields":[{"name":"a","type":"int"}]}'}`,
      "{validateFields: 'false', compatibility: 'BACKWARD'}",
    ]);
  });

  it('FORWARD failure names the old schema as the reader', () => {
    expect(checkCompatibility(removedA, [v1], 'FORWARD')).toEqual([
      "{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE', description:'The field 'a' at path '/fields/0' in the old schema has no default value and is missing in the new schema', additionalInfo:'a'}",
      '{oldSchemaVersion: 1}',
      `{oldSchema: '{"type":"record","name":"R","fields":[{"name":"a","type":"int"}]}'}`,
      "{validateFields: 'false', compatibility: 'FORWARD'}",
    ]);
  });

  it('FULL: forward differences first; only the backward ones are followed by the old schema', () => {
    const old = avro('int', 3);
    expect(checkCompatibility(avro('string'), [old], 'FULL')).toEqual([
      "{errorType:'TYPE_MISMATCH', description:'The type (path '/') of a field in the old schema does not match with the new schema', additionalInfo:'reader type: INT not compatible with writer type: STRING'}",
      "{errorType:'TYPE_MISMATCH', description:'The type (path '/') of a field in the new schema does not match with the old schema', additionalInfo:'reader type: STRING not compatible with writer type: INT'}",
      '{oldSchemaVersion: 3}',
      `{oldSchema: '"int"'}`,
      "{validateFields: 'false', compatibility: 'FULL'}",
    ]);
    // long reads int but int does not read long: only the forward half fails, so no old schema lines.
    expect(checkCompatibility(avro('long'), [old], 'FULL')).toEqual([
      "{errorType:'TYPE_MISMATCH', description:'The type (path '/') of a field in the old schema does not match with the new schema', additionalInfo:'reader type: INT not compatible with writer type: LONG'}",
      "{validateFields: 'false', compatibility: 'FULL'}",
    ]);
  });

  it('message templates for every incompatibility type', () => {
    const messages = (reader: unknown, writer: unknown): string =>
      checkCompatibility(avro(reader), [avro(writer)], 'BACKWARD')[0]!;
    expect(messages({ type: 'fixed', name: 'F', size: 2 }, { type: 'fixed', name: 'F', size: 1 })).toBe(
      "{errorType:'FIXED_SIZE_MISMATCH', description:'The size of FIXED type field at path '/size' in the new schema does not match with the old schema', additionalInfo:'expected: 1, found: 2'}",
    );
    expect(messages(record([], { name: 'S' }), record([]))).toBe(
      "{errorType:'NAME_MISMATCH', description:'The name of the schema has changed (path '/name')', additionalInfo:'expected: R'}",
    );
    expect(messages(enumE(['A']), enumE(['A', 'B']))).toBe(
      "{errorType:'MISSING_ENUM_SYMBOLS', description:'The new schema is missing enum symbols '[B]' at path '/symbols' in the old schema', additionalInfo:'[B]'}",
    );
    expect(messages(['null'], 'int')).toBe(
      "{errorType:'MISSING_UNION_BRANCH', description:'The new schema is missing a type inside a union field at path '/' in the old schema', additionalInfo:'reader union lacking writer type: INT'}",
    );
  });

  it('a reader field matching two writer fields through aliases is reported as Avro\'s exception', () => {
    const reader = avro(record([{ name: 'a', type: 'int', aliases: ['b'] }]));
    const writer = avro(record([{ name: 'a', type: 'int' }, { name: 'b', type: 'int' }]));
    expect(checkCompatibility(reader, [writer], 'BACKWARD')[0]).toMatch(
      /^Unexpected exception during compatibility check: Reader record field a type:INT pos:0 matches multiple fields in writer record schema /,
    );
  });

  describe('transitive levels', () => {
    // v1 {a}, v2 {a, b default}, v3 {b default}: v3 drops a, which v1's readers need (no default).
    const s1 = avro(record([{ name: 'a', type: 'int' }]), 1);
    const s2 = avro(record([{ name: 'a', type: 'int', default: 0 }, { name: 'b', type: 'int', default: 0 }]), 2);
    // The candidate adds c without a default and reads b written by v2 but not by v1 (v1 has no b and c has no default).
    const candidate = avro(record([{ name: 'b', type: 'int', default: 0 }, { name: 'c', type: 'int' }]));
    const readsV2Only = avro(record([{ name: 'a', type: 'int', default: 0 }, { name: 'b', type: 'int' }]));

    it('BACKWARD checks only the latest version; BACKWARD_TRANSITIVE checks all, newest first', () => {
      expect(checkCompatibility(readsV2Only, [s1, s2], 'BACKWARD')).toEqual([]);
      const transitive = checkCompatibility(readsV2Only, [s1, s2], 'BACKWARD_TRANSITIVE');
      expect(transitive[0]).toContain("'READER_FIELD_MISSING_DEFAULT_VALUE'");
      expect(transitive).toContain('{oldSchemaVersion: 1}');
      expect(transitive.at(-1)).toBe("{validateFields: 'false', compatibility: 'BACKWARD_TRANSITIVE'}");
    });

    it('stops at the first failing version (newest first)', () => {
      const messages = checkCompatibility(candidate, [s1, s2], 'BACKWARD_TRANSITIVE');
      expect(messages).toContain('{oldSchemaVersion: 2}');
      expect(messages).not.toContain('{oldSchemaVersion: 1}');
    });

    it('FORWARD vs FORWARD_TRANSITIVE', () => {
      // Dropping a: v2 (a has a default) can read the new data, v1 cannot.
      const dropsA = avro(record([{ name: 'b', type: 'int', default: 0 }]));
      expect(checkCompatibility(dropsA, [s1, s2], 'FORWARD')).toEqual([]);
      expect(checkCompatibility(dropsA, [s1, s2], 'FORWARD_TRANSITIVE')).toContain('{oldSchemaVersion: 1}');
    });

    it('FULL vs FULL_TRANSITIVE', () => {
      const addsDefaulted = avro(record([{ name: 'a', type: 'int', default: 0 }, { name: 'b', type: 'int', default: 0 }, { name: 'c', type: 'int', default: 0 }]));
      expect(checkCompatibility(addsDefaulted, [s1, s2], 'FULL')).toEqual([]);
      expect(checkCompatibility(addsDefaulted, [s1, s2], 'FULL_TRANSITIVE')).toEqual([]);
      const dropsA = avro(record([{ name: 'b', type: 'int', default: 0 }]));
      expect(checkCompatibility(dropsA, [s1, s2], 'FULL')).toEqual([]);
      expect(checkCompatibility(dropsA, [s1, s2], 'FULL_TRANSITIVE').length).toBeGreaterThan(0);
    });
  });

  it('an earlier schema of another type is incompatible', () => {
    const other = { ...avro('int'), schemaType: 'JSON' } as unknown as ParsedSchema;
    expect(checkCompatibility(avro('int'), [other], 'BACKWARD')).toEqual([
      'Incompatible because of different schema type',
      "{validateFields: 'false', compatibility: 'BACKWARD'}",
    ]);
  });
});
