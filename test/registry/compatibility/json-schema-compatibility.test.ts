import { describe, expect, it } from 'vitest';
import { parseSchema } from '../../../registry/schemas/parse-schema.js';
import type { JsonParsedSchema, ParsedSchema } from '../../../registry/schemas/parse-schema.js';
import { jsonSchemaDifferences, jsonSchemaIncompatibilities } from '../../../registry/compatibility/json-schema-compatibility.js';
import { checkCompatibility } from '../../../registry/compatibility/check-compatibility.js';

function json(schema: unknown, version?: number): JsonParsedSchema {
  const parsed = parseSchema('JSON', JSON.stringify(schema), [], () => undefined) as JsonParsedSchema;
  return version === undefined ? parsed : { ...parsed, version };
}

/** [type, path] of every difference from `original` (old) to `update` (new), and whether BACKWARD accepts it. */
function diff(original: unknown, update: unknown): { differences: string[]; compatible: boolean } {
  const before = json(original).jsonSchema;
  const after = json(update).jsonSchema;
  return {
    differences: jsonSchemaDifferences(before, after).map((d) => `${d.type} ${d.path}`),
    compatible: jsonSchemaIncompatibilities(before, after).length === 0,
  };
}

const object = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}): unknown => ({ type: 'object', properties, ...extra });
const closed = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}): unknown => object(properties, { additionalProperties: false, ...extra });

describe('JSON Schema differences (original = old, update = new; BACKWARD verdict under STRICT)', () => {
  it.each<[string, unknown, unknown, string[], boolean]>([
    ['identical', { type: 'string' }, { type: 'string' }, [], true],
    ['title, description, default, $id changes are compatible', { type: 'string', title: 'a', description: 'd', default: 'x', $id: 'u1' }, { type: 'string', title: 'b', default: 'y', $id: 'u2' }, ['ID_CHANGED #/', 'TITLE_CHANGED #/', 'DESCRIPTION_CHANGED #/', 'DEFAULT_CHANGED #/'], true],
    ['type changed', { type: 'string' }, { type: 'integer' }, ['TYPE_CHANGED #/'], false],
    ['integer widened to number', { type: 'integer' }, { type: 'number' }, ['TYPE_EXTENDED #/'], true],
    ['number narrowed to integer', { type: 'number' }, { type: 'integer' }, ['TYPE_NARROWED #/'], false],
    ['null added to the type (sum type extended)', { type: 'string' }, { type: ['string', 'null'] }, ['SUM_TYPE_EXTENDED #/'], true],
    ['null removed from the type', { type: ['string', 'null'] }, { type: 'string' }, ['TYPE_CHANGED #/'], false],
    ['anything becomes an empty schema', { type: 'string' }, {}, [], true],
    ['false becomes anything', false, { type: 'string' }, [], true],
    ['maxLength increased', { type: 'string', maxLength: 5 }, { type: 'string', maxLength: 10 }, ['MAX_LENGTH_INCREASED #/maxLength'], true],
    ['maxLength decreased', { type: 'string', maxLength: 10 }, { type: 'string', maxLength: 5 }, ['MAX_LENGTH_DECREASED #/maxLength'], false],
    ['minLength added', { type: 'string' }, { type: 'string', minLength: 1 }, ['MIN_LENGTH_ADDED #/minLength'], false],
    ['minLength removed', { type: 'string', minLength: 1 }, { type: 'string' }, ['MIN_LENGTH_REMOVED #/minLength'], true],
    ['pattern removed', { type: 'string', pattern: 'a+' }, { type: 'string' }, ['PATTERN_REMOVED #/pattern'], true],
    ['pattern added', { type: 'string' }, { type: 'string', pattern: 'a+' }, ['PATTERN_ADDED #/pattern'], false],
    ['pattern changed', { type: 'string', pattern: 'a+' }, { type: 'string', pattern: 'b+' }, ['PATTERN_CHANGED #/pattern'], false],
    ['maximum increased, minimum decreased', { type: 'number', maximum: 5, minimum: 1 }, { type: 'number', maximum: 6, minimum: 0 }, ['MAXIMUM_INCREASED #/maximum', 'MINIMUM_DECREASED #/minimum'], true],
    ['minimum increased', { type: 'number', minimum: 1 }, { type: 'number', minimum: 2 }, ['MINIMUM_INCREASED #/minimum'], false],
    ['exclusiveMaximum added', { type: 'number' }, { type: 'number', exclusiveMaximum: 3 }, ['EXCLUSIVE_MAXIMUM_ADDED #/exclusiveMaximum'], false],
    ['multipleOf reduced (0.2 → 0.1)', { type: 'number', multipleOf: 0.2 }, { type: 'number', multipleOf: 0.1 }, ['MULTIPLE_OF_REDUCED #/multipleOf'], true],
    ['multipleOf expanded (2 → 4)', { type: 'number', multipleOf: 2 }, { type: 'number', multipleOf: 4 }, ['MULTIPLE_OF_EXPANDED #/multipleOf'], false],
    ['multipleOf changed (2 → 3)', { type: 'number', multipleOf: 2 }, { type: 'number', multipleOf: 3 }, ['MULTIPLE_OF_CHANGED #/multipleOf'], false],
    ['multipleOf removed', { type: 'number', multipleOf: 2 }, { type: 'number' }, ['MULTIPLE_OF_REMOVED #/multipleOf'], true],
    ['enum extended', { enum: ['a'] }, { enum: ['a', 'b'] }, ['ENUM_ARRAY_EXTENDED #/enum'], true],
    ['enum narrowed', { enum: ['a', 'b'] }, { enum: ['a'] }, ['ENUM_ARRAY_NARROWED #/enum'], false],
    ['enum changed', { enum: ['a'] }, { enum: ['b'] }, ['ENUM_ARRAY_CHANGED #/enum'], false],
    ['const changed', { const: 1 }, { const: 2 }, ['ENUM_ARRAY_CHANGED #/const'], false],
    ['not narrowed', { not: { type: 'string' } }, { not: { type: 'string', maxLength: 3 } }, ['NOT_TYPE_NARROWED #/not'], true],
    ['not extended', { not: { type: 'string', maxLength: 3 } }, { not: { type: 'string' } }, ['NOT_TYPE_EXTENDED #/not'], false],
    ['open model: property removed', object({ a: { type: 'string' } }), object({}), ['PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL #/properties/a'], true],
    ['open model: optional typed property added (ksql#7882)', object({}), object({ a: { type: 'string' } }), ['OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL #/properties/a'], false],
    ['open model: property with empty schema added', object({}), object({ a: {} }), ['PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL #/properties/a'], true],
    ['open model: required property added', object({}), object({ a: { type: 'string' } }, { required: ['a'] }), ['REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL #/properties/a'], false],
    ['closed model: optional property added', closed({}), closed({ a: { type: 'string' } }), ['OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL #/properties/a'], true],
    ['closed model: required property with default added', closed({}), closed({ a: { type: 'string', default: '' } }, { required: ['a'] }), ['REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL #/properties/a'], true],
    ['closed model: required property added', closed({}), closed({ a: { type: 'string' } }, { required: ['a'] }), ['REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL #/properties/a'], false],
    ['closed model: property removed', closed({ a: { type: 'string' } }), closed({}), ['PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL #/properties/a'], false],
    ['closed model: property with false schema removed', closed({ a: false }), closed({}), ['PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL #/properties/a'], true],
    [
      'partially open model: property added that additionalProperties covers',
      object({}, { additionalProperties: { type: 'string' } }),
      object({ a: { type: 'string' } }, { additionalProperties: { type: 'string' } }),
      ['PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL #/properties/a', 'OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL #/properties/a'],
      true,
    ],
    [
      'partially open model: property added that it does not cover',
      object({}, { additionalProperties: { type: 'string' } }),
      object({ a: { type: 'integer' } }, { additionalProperties: { type: 'string' } }),
      ['TYPE_CHANGED #/properties/a', 'PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL #/properties/a', 'OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL #/properties/a'],
      false,
    ],
    [
      'pattern properties cover a removed property',
      object({ x_a: { type: 'string' } }, { patternProperties: { '^x_': { type: 'string' } } }),
      object({}, { patternProperties: { '^x_': { type: 'string' } } }),
      ['PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL #/properties/x_a'],
      true,
    ],
    ['required attribute added', object({ a: { type: 'string' } }), object({ a: { type: 'string' } }, { required: ['a'] }), ['REQUIRED_ATTRIBUTE_ADDED #/required/a'], false],
    ['required attribute with default added', object({ a: { type: 'string', default: '' } }), object({ a: { type: 'string', default: '' } }, { required: ['a'] }), ['REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED #/required/a'], true],
    ['required attribute removed', object({ a: { type: 'string' } }, { required: ['a'] }), object({ a: { type: 'string' } }), ['REQUIRED_ATTRIBUTE_REMOVED #/required/a'], true],
    ['property type changed inside', object({ a: { type: 'string' } }), object({ a: { type: 'boolean' } }), ['TYPE_CHANGED #/properties/a'], false],
    ['additionalProperties false added', object({}), closed({}), ['ADDITIONAL_PROPERTIES_REMOVED #/additionalProperties'], false],
    ['additionalProperties false removed', closed({}), object({}), ['ADDITIONAL_PROPERTIES_ADDED #/additionalProperties'], true],
    ['additionalProperties schema added (narrowed)', object({}), object({}, { additionalProperties: { type: 'string' } }), ['ADDITIONAL_PROPERTIES_NARROWED #/additionalProperties'], false],
    ['additionalProperties schema removed (extended)', object({}, { additionalProperties: { type: 'string' } }), object({}), ['ADDITIONAL_PROPERTIES_EXTENDED #/additionalProperties'], true],
    ['dependency array extended', object({}, { dependencies: { a: ['b'] } }), object({}, { dependencies: { a: ['b', 'c'] } }), ['DEPENDENCY_ARRAY_EXTENDED #/dependencies/a'], false],
    ['dependency array narrowed', object({}, { dependencies: { a: ['b', 'c'] } }), object({}, { dependencies: { a: ['b'] } }), ['DEPENDENCY_ARRAY_NARROWED #/dependencies/a'], true],
    ['maxProperties added', object({}), object({}, { maxProperties: 3 }), ['MAX_PROPERTIES_ADDED #/maxProperties'], false],
    ['unevaluatedProperties false added', object({}), object({}, { unevaluatedProperties: false }), ['UNEVALUATED_PROPERTIES_REMOVED #/unevaluatedProperties'], false],
    ['array items type changed', { type: 'array', items: { type: 'string' } }, { type: 'array', items: { type: 'integer' } }, ['TYPE_CHANGED #/items'], false],
    ['array items schema removed', { type: 'array', items: { type: 'string' } }, { type: 'array' }, ['SCHEMA_REMOVED #/items'], true],
    ['array items schema added', { type: 'array' }, { type: 'array', items: { type: 'string' } }, ['SCHEMA_ADDED #/items'], false],
    ['maxItems increased, minItems decreased, uniqueItems removed', { type: 'array', maxItems: 2, minItems: 2, uniqueItems: true }, { type: 'array', maxItems: 3, minItems: 1 }, ['MAX_ITEMS_INCREASED #/maxItems', 'MIN_ITEMS_DECREASED #/minItems', 'UNIQUE_ITEMS_REMOVED #/uniqueItems'], true],
    ['uniqueItems added', { type: 'array' }, { type: 'array', uniqueItems: true }, ['UNIQUE_ITEMS_ADDED #/uniqueItems'], false],
    ['maxContains decreased, minContains removed', { type: 'array', contains: { type: 'string' }, maxContains: 3, minContains: 1 }, { type: 'array', contains: { type: 'string' }, maxContains: 2 }, ['MAX_CONTAINS_DECREASED #/maxContains', 'MIN_CONTAINS_REMOVED #/minContains'], false],
    ['tuple item added to an open array', { type: 'array', items: [{ type: 'string' }] }, { type: 'array', items: [{ type: 'string' }, { type: 'integer' }] }, ['ITEM_ADDED_TO_OPEN_CONTENT_MODEL #/items/1'], false],
    ['tuple item added to a closed array', { type: 'array', items: [{ type: 'string' }], additionalItems: false }, { type: 'array', items: [{ type: 'string' }, { type: 'integer' }], additionalItems: false }, ['ITEM_ADDED_TO_CLOSED_CONTENT_MODEL #/items/1'], true],
    ['tuple item removed from an open array', { type: 'array', items: [{ type: 'string' }, { type: 'integer' }] }, { type: 'array', items: [{ type: 'string' }] }, ['ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL #/items/1'], true],
    ['additionalItems false added', { type: 'array', items: [{ type: 'string' }] }, { type: 'array', items: [{ type: 'string' }], additionalItems: false }, ['ADDITIONAL_ITEMS_REMOVED #/additionalItems'], false],
    ['oneOf extended', { oneOf: [{ type: 'string' }] }, { oneOf: [{ type: 'string' }, { type: 'integer' }] }, ['SUM_TYPE_EXTENDED #/'], true],
    ['oneOf narrowed', { oneOf: [{ type: 'string' }, { type: 'integer' }] }, { oneOf: [{ type: 'string' }] }, ['SUM_TYPE_NARROWED #/'], false],
    ['allOf narrowed', { allOf: [{ type: 'string' }, { maxLength: 3 }] }, { allOf: [{ type: 'string' }] }, ['PRODUCT_TYPE_NARROWED #/'], true],
    ['allOf extended', { allOf: [{ type: 'string' }] }, { allOf: [{ type: 'string' }, { maxLength: 3 }] }, ['PRODUCT_TYPE_EXTENDED #/'], false],
    ['oneOf to anyOf is extended', { oneOf: [{ type: 'string' }, { type: 'integer' }] }, { anyOf: [{ type: 'string' }, { type: 'integer' }] }, ['COMBINED_TYPE_EXTENDED #/'], true],
    ['anyOf to allOf is changed', { anyOf: [{ type: 'string' }, { type: 'integer' }] }, { allOf: [{ type: 'string' }, { type: 'integer' }] }, ['COMBINED_TYPE_CHANGED #/'], false],
    ['a combined branch changed incompatibly', { oneOf: [{ type: 'string' }, { type: 'integer' }] }, { oneOf: [{ type: 'string' }, { type: 'boolean' }] }, ['COMBINED_TYPE_SUBSCHEMAS_CHANGED #/'], false],
    ['allOf narrowed to one of its branches', { allOf: [{ type: 'string' }, { maxLength: 3 }] }, { type: 'string' }, ['PRODUCT_TYPE_NARROWED #/'], true],
    ['two connect.type bytes schemas are equal', { type: 'string', 'connect.type': 'bytes' }, { type: 'number', 'connect.type': 'bytes' }, [], true],
    [
      '$refs are followed',
      { definitions: { A: { type: 'string' } }, $ref: '#/definitions/A' },
      { definitions: { A: { type: 'integer' } }, $ref: '#/definitions/A' },
      ['TYPE_CHANGED #/'],
      false,
    ],
    [
      'recursive schemas compare without looping',
      { definitions: { N: object({ next: { $ref: '#/definitions/N' }, v: { type: 'integer' } }) }, $ref: '#/definitions/N' },
      { definitions: { N: object({ next: { $ref: '#/definitions/N' }, v: { type: 'number' } }) }, $ref: '#/definitions/N' },
      ['TYPE_EXTENDED #/properties/v'],
      true,
    ],
  ])('%s', (_what, original, update, differences, compatible) => {
    const result = diff(original, update);
    expect(result.differences.sort()).toEqual([...differences].sort());
    expect(result.compatible).toBe(compatible);
  });

  it('LENIENT accepts an optional property added to an open model and narrowing additionalProperties', () => {
    const before = json(object({})).jsonSchema;
    expect(jsonSchemaIncompatibilities(before, json(object({ a: { type: 'string' } })).jsonSchema, 'LENIENT')).toEqual([]);
    expect(jsonSchemaIncompatibilities(before, json(closed({})).jsonSchema, 'LENIENT')).toEqual([]);
  });
});

describe('checkCompatibility for JSON Schema', () => {
  const v1 = json(object({ a: { type: 'string' } }), 1);

  it('BACKWARD failure message in Confluent format', () => {
    expect(checkCompatibility(json(object({ a: { type: 'integer' } })), [v1], 'BACKWARD')).toEqual([
      `{errorType:"TYPE_CHANGED", description:"A type at path '#/properties/a' is different between the new schema and the old schema'}`,
      '{oldSchemaVersion: 1}',
      `{oldSchema: '{"type":"object","properties":{"a":{"type":"string"}}}'}`,
      "{validateFields: 'false', compatibility: 'BACKWARD'}",
    ]);
  });

  it('FORWARD swaps the roles: removing a property from a closed model breaks old readers', () => {
    const closedV1 = json(closed({ a: { type: 'string' }, b: { type: 'string' } }), 1);
    const removedB = json(closed({ a: { type: 'string' } }));
    expect(checkCompatibility(removedB, [closedV1], 'BACKWARD')).toEqual([
      `{errorType:"PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL", description:"The new has a closed content model and is missing a property or item present at path '#/properties/b' in the old schema'}`,
      '{oldSchemaVersion: 1}',
      `{oldSchema: '{"type":"object","properties":{"a":{"type":"string"},"b":{"type":"string"}},"additionalProperties":false}'}`,
      "{validateFields: 'false', compatibility: 'BACKWARD'}",
    ]);
    expect(checkCompatibility(removedB, [closedV1], 'FORWARD')).toEqual([]);
    expect(checkCompatibility(removedB, [closedV1], 'FULL')).not.toEqual([]);
  });

  it('transitive levels look at every earlier version', () => {
    const v2 = json(object({ a: { type: ['string', 'null'] } }), 2);
    const candidate = json(object({ a: { type: 'null' } }));
    // The candidate narrows v2's type (string|null → null): BACKWARD fails against the latest.
    expect(checkCompatibility(candidate, [v1, v2], 'BACKWARD')).toContain('{oldSchemaVersion: 2}');
    const widened = json(object({ a: { type: ['string', 'null', 'integer'] } }));
    expect(checkCompatibility(widened, [v1, v2], 'BACKWARD_TRANSITIVE')).toEqual([]);
    const integerV1 = json(object({ a: { type: 'integer' } }), 1);
    const sameAsV2 = json(object({ a: { type: ['string', 'null'] } }));
    expect(checkCompatibility(sameAsV2, [integerV1, v2], 'BACKWARD')).toEqual([]);
    expect(checkCompatibility(sameAsV2, [integerV1, v2], 'BACKWARD_TRANSITIVE')).toContain('{oldSchemaVersion: 1}');
  });

  it('the LENIENT policy accepts an optional property added to an open model', () => {
    const added = json(object({ a: { type: 'string' }, b: { type: 'integer' } }));
    expect(checkCompatibility(added, [v1], 'BACKWARD')[0]).toContain('OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL');
    expect(checkCompatibility(added, [v1], 'BACKWARD', { policy: 'LENIENT' })).toEqual([]);
  });

  it('a JSON schema against an Avro one is a different schema type', () => {
    const avro = parseSchema('AVRO', '"string"', [], () => undefined) as ParsedSchema;
    expect(checkCompatibility(json({ type: 'string' }), [avro], 'BACKWARD')[0]).toBe('Incompatible because of different schema type');
  });
});
