import { describe, expect, it } from 'vitest';
import { parseSchema } from '../../../registry/schemas/parse-schema.js';
import type { ResolvedReference } from '../../../registry/schemas/parse-schema.js';
import { expectInvalidSchema, invalidSchemaError } from './invalid-schema.js';

const noReferences = (): undefined => undefined;


describe('JSON Schema canonical text (Jackson re-serialization with exact decimals)', () => {
  it.each([
    ['whitespace goes, key order stays', '{ "type" : "object",\n "properties" : { "b" : {"type":"string"}, "a": {"type":"integer"} } }', '{"type":"object","properties":{"b":{"type":"string"},"a":{"type":"integer"}}}'],
    ['integer-like keys are not moved first', '{"properties":{"b":{},"10":{},"2":{}}}', '{"properties":{"b":{},"10":{},"2":{}}}'],
    ['decimals keep their digits and scale', '{"type":"number","multipleOf":0.10,"maximum":1.0,"minimum":-0.0}', '{"type":"number","multipleOf":0.10,"maximum":1.0,"minimum":0.0}'],
    ['exponents print as BigDecimal does', '{"type":"number","maximum":1e7,"minimum":1.5E-9,"default":12e-1}', '{"type":"number","maximum":1E+7,"minimum":1.5E-9,"default":1.2}'],
    ['big integers are exact', '{"type":"integer","maximum":123456789012345678901234567890}', '{"type":"integer","maximum":123456789012345678901234567890}'],
    ['a boolean schema', 'true', 'true'],
    ['unknown keywords are kept (connect.*)', '{"type":"integer","connect.index":0,"connect.type":"int32"}', '{"type":"integer","connect.index":0,"connect.type":"int32"}'],
  ])('%s', (_what, text, expected) => {
    expect(parseSchema('JSON', text, [], noReferences).canonicalText).toBe(expected);
  });

  it('resolves $ref to a referenced schema by its reference name and to local definitions', () => {
    const store: Record<string, ResolvedReference> = {
      'address:1': { schemaType: 'JSON', schema: '{"type":"object","properties":{"city":{"type":"string"}}}' },
    };
    const text = '{"type":"object","properties":{"home":{"$ref":"address.json"},"work":{"$ref":"#/definitions/W"}},"definitions":{"W":{"$ref":"address.json#/properties/city"}}}';
    const parsed = parseSchema('JSON', text, [{ name: 'address.json', subject: 'address', version: 1 }], (ref) => store[`${ref.subject}:${ref.version}`]);
    expect(parsed.schemaType).toBe('JSON');
    expect(parsed.references).toEqual([{ name: 'address.json', subject: 'address', version: 1 }]);
  });

  it('resolves a relative $ref against the schema\'s $id to a reference named by the absolute URL', () => {
    const address = { schemaType: 'JSON' as const, schema: '{"$id":"https://acme.example/address.json","type":"object"}' };
    const text = '{"$id":"https://acme.example/person.json","type":"object","properties":{"home":{"$ref":"address.json"}}}';
    const refs = [{ name: 'https://acme.example/address.json', subject: 'address', version: 1 }];
    expect(parseSchema('JSON', text, refs, () => address).schemaType).toBe('JSON');
  });
});

describe('invalid JSON schemas (42201)', () => {
  it.each([
    ['not JSON', '{"type":', /^Invalid JSON schema: JSON syntax error: /],
    ['an array at the root', '[1]', 'Invalid JSON schema: expected an object or boolean at the root, found ARRAY'],
    ['a string at the root', '"string"', 'Invalid JSON schema: expected an object or boolean at the root, found STRING'],
    ['an unknown type', '{"type":"strin"}', /^Invalid JSON: #\/type must be equal to one of the allowed values/],
    ['a negative minLength', '{"type":"string","minLength":-1}', 'Invalid JSON: #/minLength must be >= 0'],
    ['properties not an object', '{"properties":[]}', 'Invalid JSON: #/properties must be object'],
    ['2020-12 meta-schema', '{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object","properties":{"a":{"type":3}}}', /^Invalid JSON: #\/properties\/a\/type must be/],
    ['an unresolvable local $ref', '{"properties":{"a":{"$ref":"#/definitions/missing"}}}', "Invalid JSON: Unresolved $ref '#/definitions/missing'"],
    ['a $ref to an unknown document', '{"properties":{"a":{"$ref":"other.json"}}}', "Invalid JSON: Unresolved $ref 'other.json': no reference named 'other.json'"],
  ])('%s', (_what, text, detail) => expectInvalidSchema('JSON', text, detail));

  it('a draft-04 schema is accepted without meta-validation', () => {
    expect(() => parseSchema('JSON', '{"$schema":"http://json-schema.org/draft-04/schema#","type":"string","exclusiveMinimum":true,"minimum":1}', [], noReferences)).not.toThrow();
  });

  it('a missing referenced subject version is reported', () => {
    expect(invalidSchemaError('JSON', '{}', [{ name: 'a.json', subject: 'a', version: 2 }]).detail).toBe('No schema reference found for subject "a" and version 2');
  });
});
