/**
 * JSON Schema documents read into the shape Confluent's compatibility diff works on (the everit
 * loader's schema classes): one node per schema object, classified as empty, false, string, number,
 * boolean, null, object, array, enum, const, not, combined (allOf/anyOf/oneOf) or a `$ref`.
 *
 * Classification (as everit does):
 * - `true` and a schema without validation keywords are `empty`; `false` is `false`;
 * - `"type"` with one name gives that type's node, with several an `anyOf` of one node per type;
 *   without `"type"`, type-specific keywords (properties, items, minLength, minimum, ...) imply it;
 * - `enum`, `const`, `not`, `allOf`, `anyOf`, `oneOf` are parts of their own; a schema with several
 *   parts is an `allOf` of them;
 * - `$ref` is kept as a reference resolved on demand (so recursive schemas are cycles of nodes);
 *   its sibling keywords are ignored (draft-07 rule).
 * Each JSON object maps to one node object (identity matters for the diff's memo).
 *
 * Not modelled: draft-04 boolean `exclusiveMinimum`/`exclusiveMaximum`, `if`/`then`/`else`,
 * `contains` (only its `minContains`/`maxContains` limits), `propertyNames`, `format` (all outside
 * Confluent's diff too), anchors (`#name`).
 */
import { jsonEquals, textValue } from './json-tree.js';
import type { JsonNode, JsonObjectNode } from './json-tree.js';

export interface JsonSchemaAnnotations {
  readonly id: string | undefined;
  readonly title: string | undefined;
  readonly description: string | undefined;
  readonly default: JsonNode | undefined;
  /** The `connect.type` property the Connect converter writes (`bytes` is special in the diff). */
  readonly connectType: string | undefined;
}

export type CombinedCriterion = 'allOf' | 'anyOf' | 'oneOf';

export type JsonSchemaNode = JsonSchemaAnnotations &
  (
    | { readonly kind: 'empty' }
    | { readonly kind: 'false' }
    | { readonly kind: 'boolean' }
    | { readonly kind: 'null' }
    | {
        readonly kind: 'string';
        readonly minLength: number | undefined;
        readonly maxLength: number | undefined;
        readonly pattern: string | undefined;
      }
    | {
        readonly kind: 'number';
        readonly requiresInteger: boolean;
        readonly minimum: number | undefined;
        readonly maximum: number | undefined;
        readonly exclusiveMinimum: number | undefined;
        readonly exclusiveMaximum: number | undefined;
        /** The literal, compared exactly as a decimal. */
        readonly multipleOf: string | undefined;
      }
    | {
        readonly kind: 'object';
        readonly properties: ReadonlyMap<string, JsonSchemaNode>;
        readonly required: ReadonlySet<string>;
        readonly permitsAdditionalProperties: boolean;
        readonly additionalPropertiesSchema: JsonSchemaNode | undefined;
        readonly patternProperties: ReadonlyMap<string, JsonSchemaNode>;
        readonly propertyDependencies: ReadonlyMap<string, ReadonlySet<string>>;
        readonly schemaDependencies: ReadonlyMap<string, JsonSchemaNode>;
        readonly unevaluatedProperties: JsonSchemaNode | undefined;
        readonly minProperties: number | undefined;
        readonly maxProperties: number | undefined;
      }
    | {
        readonly kind: 'array';
        readonly allItems: JsonSchemaNode | undefined;
        readonly itemTuple: readonly JsonSchemaNode[] | undefined;
        readonly permitsAdditionalItems: boolean;
        readonly additionalItemsSchema: JsonSchemaNode | undefined;
        readonly unevaluatedItems: JsonSchemaNode | undefined;
        readonly minItems: number | undefined;
        readonly maxItems: number | undefined;
        readonly minContains: number | undefined;
        readonly maxContains: number | undefined;
        readonly uniqueItems: boolean;
      }
    | { readonly kind: 'enum'; readonly values: readonly JsonNode[] }
    | { readonly kind: 'const'; readonly value: JsonNode }
    | { readonly kind: 'not'; readonly schema: JsonSchemaNode }
    | { readonly kind: 'combined'; readonly criterion: CombinedCriterion; readonly subschemas: readonly JsonSchemaNode[] }
    | { readonly kind: 'ref'; readonly ref: string; readonly target: () => JsonSchemaNode }
  );

export type JsonSchemaKind = JsonSchemaNode['kind'];

/** Resolves `$ref` text found in `document` to the JSON it points at, or throws naming the ref. */
export type RefResolver = (ref: string, document: JsonNode) => { node: JsonNode; document: JsonNode };

const OBJECT_KEYWORDS = ['properties', 'required', 'additionalProperties', 'patternProperties', 'dependencies', 'minProperties', 'maxProperties', 'unevaluatedProperties'];
const ARRAY_KEYWORDS = ['items', 'additionalItems', 'minItems', 'maxItems', 'uniqueItems', 'unevaluatedItems', 'contains', 'prefixItems'];
const STRING_KEYWORDS = ['minLength', 'maxLength', 'pattern'];
const NUMBER_KEYWORDS = ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf'];

/** Builds nodes for the schema JSON of one set of documents; `$ref`s are followed with `resolveRef`. */
export class JsonSchemaLoader {
  private readonly nodes = new Map<JsonNode, JsonSchemaNode>();

  constructor(private readonly resolveRef: RefResolver) {}

  load(json: JsonNode, document: JsonNode): JsonSchemaNode {
    let node = this.nodes.get(json);
    if (node === undefined) {
      node = this.build(json, document);
      this.nodes.set(json, node);
    }
    return node;
  }

  private build(json: JsonNode, document: JsonNode): JsonSchemaNode {
    if (json.kind === 'boolean') return { ...NO_ANNOTATIONS, kind: json.value ? 'empty' : 'false' };
    if (json.kind !== 'object') throw new InvalidJsonSchema(`a schema must be an object or a boolean, found ${json.kind}`);
    const annotations = annotationsOf(json);
    const ref = textValue(json.entries.get('$ref'));
    if (ref !== undefined) {
      let target: JsonSchemaNode | undefined;
      return {
        ...annotations,
        kind: 'ref',
        ref,
        target: () => {
          if (target === undefined) {
            const found = this.resolveRef(ref, document);
            target = this.load(found.node, found.document);
          }
          return target;
        },
      };
    }
    const parts: JsonSchemaNode[] = [];
    const typed = this.typedParts(json, document);
    if (typed.length === 1) parts.push(typed[0]!);
    else if (typed.length > 1) parts.push({ ...NO_ANNOTATIONS, kind: 'combined', criterion: 'anyOf', subschemas: typed });
    const enumValues = json.entries.get('enum');
    if (enumValues?.kind === 'array') parts.push({ ...NO_ANNOTATIONS, kind: 'enum', values: enumValues.items });
    const constValue = json.entries.get('const');
    if (constValue !== undefined) parts.push({ ...NO_ANNOTATIONS, kind: 'const', value: constValue });
    const not = json.entries.get('not');
    if (not !== undefined) parts.push({ ...NO_ANNOTATIONS, kind: 'not', schema: this.load(not, document) });
    for (const criterion of ['allOf', 'anyOf', 'oneOf'] as const) {
      const list = json.entries.get(criterion);
      if (list?.kind === 'array') {
        parts.push({ ...NO_ANNOTATIONS, kind: 'combined', criterion, subschemas: list.items.map((item) => this.load(item, document)) });
      }
    }
    if (parts.length === 0) return { ...annotations, kind: 'empty' };
    if (parts.length === 1) return { ...parts[0]!, ...annotations };
    return { ...annotations, kind: 'combined', criterion: 'allOf', subschemas: parts };
  }

  private typedParts(json: JsonObjectNode, document: JsonNode): JsonSchemaNode[] {
    const typeNode = json.entries.get('type');
    let types: string[];
    if (typeNode?.kind === 'string') types = [typeNode.value];
    else if (typeNode?.kind === 'array') types = typeNode.items.flatMap((t) => (t.kind === 'string' ? [t.value] : []));
    else {
      types = [];
      const has = (keywords: string[]): boolean => keywords.some((k) => json.entries.has(k));
      if (has(OBJECT_KEYWORDS)) types.push('object');
      if (has(ARRAY_KEYWORDS)) types.push('array');
      if (has(STRING_KEYWORDS)) types.push('string');
      if (has(NUMBER_KEYWORDS)) types.push('number');
    }
    return [...new Set(types)].map((type) => this.typed(type, json, document));
  }

  private typed(type: string, json: JsonObjectNode, document: JsonNode): JsonSchemaNode {
    const get = (key: string): JsonNode | undefined => json.entries.get(key);
    switch (type) {
      case 'string':
        return { ...NO_ANNOTATIONS, kind: 'string', minLength: numberOf(get('minLength')), maxLength: numberOf(get('maxLength')), pattern: textValue(get('pattern')) };
      case 'number':
      case 'integer': {
        const multipleOf = get('multipleOf');
        return {
          ...NO_ANNOTATIONS,
          kind: 'number',
          requiresInteger: type === 'integer',
          minimum: numberOf(get('minimum')),
          maximum: numberOf(get('maximum')),
          exclusiveMinimum: numberOf(get('exclusiveMinimum')),
          exclusiveMaximum: numberOf(get('exclusiveMaximum')),
          multipleOf: multipleOf?.kind === 'integer' ? multipleOf.value.toString() : multipleOf?.kind === 'double' ? (multipleOf.text ?? String(multipleOf.value)) : undefined,
        };
      }
      case 'boolean':
      case 'null':
        return { ...NO_ANNOTATIONS, kind: type };
      case 'object':
        return this.objectNode(json, document);
      case 'array':
        return this.arrayNode(json, document);
      default:
        throw new InvalidJsonSchema(`unknown type: [${type}]`);
    }
  }

  private objectNode(json: JsonObjectNode, document: JsonNode): JsonSchemaNode {
    const get = (key: string): JsonNode | undefined => json.entries.get(key);
    const properties = new Map<string, JsonSchemaNode>();
    const propertiesNode = get('properties');
    if (propertiesNode?.kind === 'object') for (const [name, schema] of propertiesNode.entries) properties.set(name, this.load(schema, document));
    const requiredNode = get('required');
    const required = new Set(requiredNode?.kind === 'array' ? requiredNode.items.flatMap((r) => (r.kind === 'string' ? [r.value] : [])) : []);
    const patternProperties = new Map<string, JsonSchemaNode>();
    const patternNode = get('patternProperties');
    if (patternNode?.kind === 'object') for (const [pattern, schema] of patternNode.entries) patternProperties.set(pattern, this.load(schema, document));
    const propertyDependencies = new Map<string, ReadonlySet<string>>();
    const schemaDependencies = new Map<string, JsonSchemaNode>();
    const dependencies = get('dependencies');
    if (dependencies?.kind === 'object') {
      for (const [name, dependency] of dependencies.entries) {
        if (dependency.kind === 'array') propertyDependencies.set(name, new Set(dependency.items.flatMap((d) => (d.kind === 'string' ? [d.value] : []))));
        else schemaDependencies.set(name, this.load(dependency, document));
      }
    }
    const additional = get('additionalProperties');
    const unevaluated = get('unevaluatedProperties');
    return {
      ...NO_ANNOTATIONS,
      kind: 'object',
      properties,
      required,
      permitsAdditionalProperties: !(additional?.kind === 'boolean' && !additional.value),
      additionalPropertiesSchema: additional === undefined || additional.kind === 'boolean' ? undefined : this.load(additional, document),
      patternProperties,
      propertyDependencies,
      schemaDependencies,
      unevaluatedProperties: unevaluated === undefined ? undefined : this.load(unevaluated, document),
      minProperties: numberOf(get('minProperties')),
      maxProperties: numberOf(get('maxProperties')),
    };
  }

  private arrayNode(json: JsonObjectNode, document: JsonNode): JsonSchemaNode {
    const get = (key: string): JsonNode | undefined => json.entries.get(key);
    const items = get('items');
    const prefixItems = get('prefixItems');
    const additional = get('additionalItems');
    const unevaluated = get('unevaluatedItems');
    const tuple = items?.kind === 'array' ? items.items : prefixItems?.kind === 'array' ? prefixItems.items : undefined;
    return {
      ...NO_ANNOTATIONS,
      kind: 'array',
      allItems: items !== undefined && items.kind !== 'array' ? this.load(items, document) : undefined,
      itemTuple: tuple?.map((item) => this.load(item, document)),
      permitsAdditionalItems: !(additional?.kind === 'boolean' && !additional.value),
      additionalItemsSchema: additional === undefined || additional.kind === 'boolean' ? undefined : this.load(additional, document),
      unevaluatedItems: unevaluated === undefined ? undefined : this.load(unevaluated, document),
      minItems: numberOf(get('minItems')),
      maxItems: numberOf(get('maxItems')),
      minContains: integerOf(get('minContains')),
      maxContains: integerOf(get('maxContains')),
      uniqueItems: get('uniqueItems')?.kind === 'boolean' && (get('uniqueItems') as { value: boolean }).value,
    };
  }
}

/** A schema the loader cannot make sense of (reported as an invalid schema). */
export class InvalidJsonSchema extends Error {}

const NO_ANNOTATIONS: JsonSchemaAnnotations = {
  id: undefined,
  title: undefined,
  description: undefined,
  default: undefined,
  connectType: undefined,
};

function annotationsOf(json: JsonObjectNode): JsonSchemaAnnotations {
  return {
    id: textValue(json.entries.get('$id')) ?? textValue(json.entries.get('id')),
    title: textValue(json.entries.get('title')),
    description: textValue(json.entries.get('description')),
    default: json.entries.get('default'),
    connectType: textValue(json.entries.get('connect.type')),
  };
}

/** Confluent compares minContains/maxContains as ints (a fraction is truncated). */
function integerOf(node: JsonNode | undefined): number | undefined {
  const value = numberOf(node);
  return value === undefined ? undefined : Math.trunc(value);
}

function numberOf(node: JsonNode | undefined): number | undefined {
  if (node?.kind === 'integer') return Number(node.value);
  if (node?.kind === 'double') return node.value;
  return undefined;
}

/** Follows `$ref` nodes until a schema that is not a reference (a loop of references is an error). */
export function dereference(node: JsonSchemaNode): Exclude<JsonSchemaNode, { kind: 'ref' }> {
  let current: JsonSchemaNode = node;
  for (let hops = 0; current.kind === 'ref'; hops++) {
    if (hops > 100) throw new InvalidJsonSchema(`$ref '${current.ref}' refers to itself`);
    current = current.target();
  }
  return current;
}

/** Java `Objects.equals` of two optional JSON values. */
export function sameJson(a: JsonNode | undefined, b: JsonNode | undefined): boolean {
  return a === undefined || b === undefined ? a === b : jsonEquals(a, b);
}
