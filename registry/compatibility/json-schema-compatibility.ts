/**
 * JSON Schema compatibility as Confluent Schema Registry decides it: a diff between the original
 * (writer's) schema and the update (reader's) classifies every difference, and the reader is
 * compatible when every difference is in the policy's compatible set (STRICT by default, LENIENT on
 * request).
 *
 * Covered (difference types as Confluent names them):
 * - any schema: TYPE_CHANGED (kinds differ; a `false` original or an empty update is fine, and two
 *   `connect.type: bytes` schemas are equal), ID/TITLE/DESCRIPTION/DEFAULT_CHANGED, SCHEMA_ADDED/REMOVED;
 * - a non-combined schema becoming `anyOf`/`oneOf` that contains a compatible branch (SUM_TYPE_EXTENDED),
 *   an `allOf` becoming one of its branches (PRODUCT_TYPE_NARROWED), singleton combinations;
 * - string: MAX/MIN_LENGTH_*, PATTERN_ADDED/REMOVED/CHANGED;
 * - number: MAXIMUM_*, MINIMUM_*, EXCLUSIVE_MAXIMUM_*, EXCLUSIVE_MINIMUM_*, MULTIPLE_OF_* (exact
 *   decimals), TYPE_EXTENDED/NARROWED for integer↔number;
 * - object: REQUIRED_ATTRIBUTE_*, properties added/removed under open, closed and partially open
 *   content models (additionalProperties, patternProperties, unevaluatedProperties), property
 *   and schema dependencies, ADDITIONAL_PROPERTIES_*, UNEVALUATED_PROPERTIES_*, MAX/MIN_PROPERTIES_*;
 * - array: items (one schema or a tuple, with items added/removed under the content models),
 *   ADDITIONAL_ITEMS_*, UNEVALUATED_ITEMS_*, MAX/MIN_ITEMS_*, UNIQUE_ITEMS_*, MAX/MIN_CONTAINS_*;
 * - enum: ENUM_ARRAY_EXTENDED/NARROWED/CHANGED; const: ENUM_ARRAY_CHANGED; not: NOT_TYPE_*;
 * - combined (both sides): COMBINED_TYPE_EXTENDED/CHANGED, SUM/PRODUCT_TYPE_EXTENDED/NARROWED, and
 *   COMBINED_TYPE_SUBSCHEMAS_CHANGED when a maximum matching of compatible subschema pairs does not
 *   cover the smaller side;
 * - `$ref`s are followed; a pair met again while it is being compared counts as compatible.
 * Not covered: draft-04 boolean exclusive limits (Confluent ignores them too), reserved-field checks
 * (`validateFields`), and Confluent's second pass that re-checks recursive pairs assumed compatible.
 * Properties are visited in the original's order, then the update's new ones (Confluent's order is a
 * hash order), so message order may differ from Confluent's; the set of messages is the same.
 */
import { dereference, sameJson } from '../schemas/json-schema-model.js';
import type { JsonSchemaNode } from '../schemas/json-schema-model.js';
import { jsonEquals } from '../schemas/json-tree.js';

export type JsonSchemaCompatibilityPolicy = 'STRICT' | 'LENIENT';

export interface JsonSchemaDifference {
  readonly type: string;
  /** `#/properties/a/maxLength` style. */
  readonly path: string;
}

const STRICT_COMPATIBLE = new Set([
  'ID_CHANGED', 'DESCRIPTION_CHANGED', 'TITLE_CHANGED', 'DEFAULT_CHANGED', 'SCHEMA_REMOVED', 'TYPE_EXTENDED',
  'MAX_LENGTH_INCREASED', 'MAX_LENGTH_REMOVED', 'MIN_LENGTH_DECREASED', 'MIN_LENGTH_REMOVED', 'PATTERN_REMOVED',
  'MAXIMUM_INCREASED', 'MAXIMUM_REMOVED', 'MINIMUM_DECREASED', 'MINIMUM_REMOVED',
  'EXCLUSIVE_MAXIMUM_INCREASED', 'EXCLUSIVE_MAXIMUM_REMOVED', 'EXCLUSIVE_MINIMUM_DECREASED', 'EXCLUSIVE_MINIMUM_REMOVED',
  'MULTIPLE_OF_REDUCED', 'MULTIPLE_OF_REMOVED', 'REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED', 'REQUIRED_ATTRIBUTE_REMOVED',
  'DEPENDENCY_ARRAY_NARROWED', 'DEPENDENCY_ARRAY_REMOVED', 'DEPENDENCY_SCHEMA_REMOVED',
  'MAX_PROPERTIES_INCREASED', 'MAX_PROPERTIES_REMOVED', 'MIN_PROPERTIES_DECREASED', 'MIN_PROPERTIES_REMOVED',
  'ADDITIONAL_PROPERTIES_ADDED', 'ADDITIONAL_PROPERTIES_EXTENDED', 'UNEVALUATED_PROPERTIES_ADDED', 'UNEVALUATED_PROPERTIES_EXTENDED',
  'PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL', 'REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL',
  'OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL', 'PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL',
  'PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL', 'PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
  'PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
  'MAX_ITEMS_INCREASED', 'MAX_ITEMS_REMOVED', 'MIN_ITEMS_DECREASED', 'MIN_ITEMS_REMOVED', 'UNIQUE_ITEMS_REMOVED',
  'ADDITIONAL_ITEMS_ADDED', 'ADDITIONAL_ITEMS_EXTENDED', 'UNEVALUATED_ITEMS_ADDED', 'UNEVALUATED_ITEMS_EXTENDED',
  'ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL', 'ITEM_ADDED_TO_CLOSED_CONTENT_MODEL',
  'ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL', 'ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL',
  'ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL', 'ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
  'ENUM_ARRAY_EXTENDED', 'COMBINED_TYPE_EXTENDED', 'PRODUCT_TYPE_NARROWED', 'SUM_TYPE_EXTENDED', 'NOT_TYPE_NARROWED',
]);

const LENIENT_COMPATIBLE = new Set([
  ...STRICT_COMPATIBLE,
  'ADDITIONAL_PROPERTIES_NARROWED', 'ADDITIONAL_PROPERTIES_REMOVED', 'UNEVALUATED_PROPERTIES_NARROWED',
  'UNEVALUATED_PROPERTIES_REMOVED', 'REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL',
  'OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL', 'PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL',
  'PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL', 'PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
  'PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
]);

/** Every difference between `original` and `update`, compatible or not. */
export function jsonSchemaDifferences(
  original: JsonSchemaNode,
  update: JsonSchemaNode,
  policy: JsonSchemaCompatibilityPolicy = 'STRICT',
): JsonSchemaDifference[] {
  const context = new DiffContext(policy === 'LENIENT' ? LENIENT_COMPATIBLE : STRICT_COMPATIBLE, new Map(), new Set(), []);
  context.compare(original, update);
  return context.differences;
}

/** The differences that make `update` unable to read what `original` described. */
export function jsonSchemaIncompatibilities(
  original: JsonSchemaNode,
  update: JsonSchemaNode,
  policy: JsonSchemaCompatibilityPolicy = 'STRICT',
): JsonSchemaDifference[] {
  const compatible = policy === 'LENIENT' ? LENIENT_COMPATIBLE : STRICT_COMPATIBLE;
  return jsonSchemaDifferences(original, update, policy).filter((d) => !compatible.has(d.type));
}

type Pair = Map<JsonSchemaNode, readonly JsonSchemaDifference[]>;
type Concrete = ReturnType<typeof dereference>;
type Of<K extends Concrete['kind']> = Extract<Concrete, { kind: K }>;

class DiffContext {
  readonly differences: JsonSchemaDifference[] = [];

  constructor(
    private readonly compatibleTypes: ReadonlySet<string>,
    private readonly memo: Map<JsonSchemaNode, Pair>,
    private readonly inProgress: Set<string>,
    private readonly path: string[],
  ) {}

  sub(): DiffContext {
    return new DiffContext(this.compatibleTypes, this.memo, this.inProgress, [...this.path]);
  }

  isCompatible(): boolean {
    return this.differences.every((d) => this.compatibleTypes.has(d.type));
  }

  add(type: string, attribute?: string): void {
    const path = attribute === undefined ? this.path : [...this.path, attribute];
    this.differences.push({ type, path: `#/${path.join('/')}` });
  }

  within(segment: string, body: () => void): void {
    this.path.push(segment);
    try {
      body();
    } finally {
      this.path.pop();
    }
  }

  compare(originalNode: JsonSchemaNode | undefined, updateNode: JsonSchemaNode | undefined): void {
    if (originalNode === undefined && updateNode === undefined) return;
    if (originalNode === undefined) return this.add('SCHEMA_ADDED');
    if (updateNode === undefined) return this.add('SCHEMA_REMOVED');
    const original = dereference(originalNode);
    const update = dereference(updateNode);
    const prefix = this.path.length === 0 ? undefined : `#/${this.path.join('/')}`;
    for (const difference of this.memoized(original, update)) {
      const rest = difference.path.slice(2);
      this.differences.push({ type: difference.type, path: prefix === undefined ? difference.path : rest === '' ? prefix : `${prefix}/${rest}` });
    }
  }

  /** The pair's differences relative to the pair itself; a pair already on the stack counts as compatible. */
  private memoized(original: Concrete, update: Concrete): readonly JsonSchemaDifference[] {
    let byUpdate = this.memo.get(original);
    const cached = byUpdate?.get(update);
    if (cached !== undefined) return cached;
    const key = `${nodeId(original)}:${nodeId(update)}`;
    if (this.inProgress.has(key)) return [];
    this.inProgress.add(key);
    try {
      const context = new DiffContext(this.compatibleTypes, this.memo, this.inProgress, []);
      context.compareTypes(original, update);
      if (byUpdate === undefined) this.memo.set(original, (byUpdate = new Map()));
      byUpdate.set(update, context.differences);
      return context.differences;
    } finally {
      this.inProgress.delete(key);
    }
  }

  private compareTypes(original: Concrete, update: Concrete): void {
    if (original.kind !== 'combined' && update.kind === 'combined') {
      if (update.subschemas.length === 1) {
        if (this.adoptIfCompatible(original, update.subschemas[0]!)) return;
      } else if (update.criterion !== 'allOf') {
        for (const branch of update.subschemas) {
          if (this.adoptIfCompatible(original, branch)) return this.add('SUM_TYPE_EXTENDED');
        }
      }
    } else if (original.kind === 'combined' && update.kind !== 'combined') {
      if (original.subschemas.length === 1) {
        if (this.adoptIfCompatible(original.subschemas[0]!, update)) return;
      } else if (original.criterion === 'allOf') {
        for (const branch of original.subschemas) {
          if (this.adoptIfCompatible(branch, update)) return this.add('PRODUCT_TYPE_NARROWED');
        }
      }
    }
    if (original.kind !== update.kind) {
      if (original.kind === 'false' || update.kind === 'empty') return;
      if (original.connectType === 'bytes' && update.connectType === 'bytes') return;
      return this.add('TYPE_CHANGED');
    }
    if (original.id !== update.id) this.add('ID_CHANGED');
    if (original.title !== update.title) this.add('TITLE_CHANGED');
    if (original.description !== update.description) this.add('DESCRIPTION_CHANGED');
    if (!sameJson(original.default, update.default)) this.add('DEFAULT_CHANGED');
    switch (original.kind) {
      case 'string':
        return this.compareString(original, update as Of<'string'>);
      case 'number':
        return this.compareNumber(original, update as Of<'number'>);
      case 'const':
        if (!jsonEquals(original.value, (update as Of<'const'>).value)) this.add('ENUM_ARRAY_CHANGED', 'const');
        return;
      case 'enum':
        return this.compareEnum(original, update as Of<'enum'>);
      case 'combined':
        return this.compareCombined(original, update as Of<'combined'>);
      case 'not':
        return this.within('not', () => {
          const context = this.sub();
          context.compare((update as Of<'not'>).schema, original.schema);
          this.add(context.isCompatible() ? 'NOT_TYPE_NARROWED' : 'NOT_TYPE_EXTENDED');
        });
      case 'object':
        return this.compareObject(original, update as Of<'object'>);
      case 'array':
        return this.compareArray(original, update as Of<'array'>);
      default:
        return;
    }
  }

  /** Compares in a sub-context; when compatible, keeps its differences and says so. */
  private adoptIfCompatible(original: JsonSchemaNode, update: JsonSchemaNode): boolean {
    const context = this.sub();
    context.compare(original, update);
    if (!context.isCompatible()) return false;
    this.differences.push(...context.differences);
    return true;
  }

  /** Adds a sub-context's differences, then `compatible` or `incompatible` depending on them. */
  private coveredBy(original: JsonSchemaNode, update: JsonSchemaNode, compatible: string, incompatible: string): void {
    const context = this.sub();
    context.compare(original, update);
    this.differences.push(...context.differences);
    this.add(context.isCompatible() ? compatible : incompatible);
  }

  private limit(attribute: string, original: number | undefined, update: number | undefined, name: string): void {
    if (original === update) return;
    if (original === undefined) this.add(`${name}_ADDED`, attribute);
    else if (update === undefined) this.add(`${name}_REMOVED`, attribute);
    else if (original < update) this.add(`${name}_INCREASED`, attribute);
    else this.add(`${name}_DECREASED`, attribute);
  }

  private compareString(original: Of<'string'>, update: Of<'string'>): void {
    this.limit('maxLength', original.maxLength, update.maxLength, 'MAX_LENGTH');
    this.limit('minLength', original.minLength, update.minLength, 'MIN_LENGTH');
    if (original.pattern === undefined && update.pattern !== undefined) this.add('PATTERN_ADDED', 'pattern');
    else if (original.pattern !== undefined && update.pattern === undefined) this.add('PATTERN_REMOVED', 'pattern');
    else if (original.pattern !== update.pattern) this.add('PATTERN_CHANGED', 'pattern');
  }

  private compareNumber(original: Of<'number'>, update: Of<'number'>): void {
    this.limit('maximum', original.maximum, update.maximum, 'MAXIMUM');
    this.limit('minimum', original.minimum, update.minimum, 'MINIMUM');
    this.limit('exclusiveMaximum', original.exclusiveMaximum, update.exclusiveMaximum, 'EXCLUSIVE_MAXIMUM');
    this.limit('exclusiveMinimum', original.exclusiveMinimum, update.exclusiveMinimum, 'EXCLUSIVE_MINIMUM');
    const before = original.multipleOf === undefined ? undefined : Decimal.parse(original.multipleOf);
    const after = update.multipleOf === undefined ? undefined : Decimal.parse(update.multipleOf);
    if (!(before === undefined ? after === undefined : after !== undefined && before.equals(after))) {
      if (before === undefined) this.add('MULTIPLE_OF_ADDED', 'multipleOf');
      else if (after === undefined) this.add('MULTIPLE_OF_REMOVED', 'multipleOf');
      else if (!before.isZero() && after.isMultipleOf(before)) this.add('MULTIPLE_OF_EXPANDED', 'multipleOf');
      else if (!after.isZero() && before.isMultipleOf(after)) this.add('MULTIPLE_OF_REDUCED', 'multipleOf');
      else this.add('MULTIPLE_OF_CHANGED', 'multipleOf');
    }
    if (original.requiresInteger !== update.requiresInteger) this.add(original.requiresInteger ? 'TYPE_EXTENDED' : 'TYPE_NARROWED');
  }

  private compareEnum(original: Of<'enum'>, update: Of<'enum'>): void {
    const contains = (values: readonly unknown[], value: unknown): boolean => values.some((v) => jsonEquals(v as never, value as never));
    const updateHasAll = original.values.every((v) => contains(update.values, v));
    const originalHasAll = update.values.every((v) => contains(original.values, v));
    if (updateHasAll && originalHasAll) return;
    this.add(updateHasAll ? 'ENUM_ARRAY_EXTENDED' : originalHasAll ? 'ENUM_ARRAY_NARROWED' : 'ENUM_ARRAY_CHANGED', 'enum');
  }

  private compareCombined(original: Of<'combined'>, update: Of<'combined'>): void {
    if (original.criterion !== update.criterion) {
      const singleton = (node: Of<'combined'>): boolean => node.subschemas.length === 1;
      const extended =
        update.criterion === 'anyOf' ||
        (singleton(original) && singleton(update)) ||
        (singleton(original) && update.criterion === 'oneOf') ||
        (singleton(update) && original.criterion === 'allOf');
      if (!extended) return this.add('COMBINED_TYPE_CHANGED');
      this.add('COMBINED_TYPE_EXTENDED');
    }
    const originals = distinctSchemas(original.subschemas);
    const updates = distinctSchemas(update.subschemas);
    if (originals.length < updates.length) this.add(update.criterion === 'allOf' ? 'PRODUCT_TYPE_EXTENDED' : 'SUM_TYPE_EXTENDED');
    else if (originals.length > updates.length) this.add(original.criterion === 'allOf' ? 'PRODUCT_TYPE_NARROWED' : 'SUM_TYPE_NARROWED');
    const compatiblePairs = new Map<number, Map<number, readonly JsonSchemaDifference[]>>();
    originals.forEach((originalBranch, i) => {
      this.within(`${original.criterion}/${i}`, () => {
        updates.forEach((updateBranch, j) => {
          const context = this.sub();
          context.compare(originalBranch, updateBranch);
          if (context.isCompatible()) {
            if (!compatiblePairs.has(i)) compatiblePairs.set(i, new Map());
            compatiblePairs.get(i)!.set(j, context.differences);
          }
        });
      });
    });
    const matching = maximumMatching(originals.length, compatiblePairs);
    for (const [i, j] of matching) this.differences.push(...compatiblePairs.get(i)!.get(j)!);
    if (matching.length < Math.min(originals.length, updates.length)) this.add('COMBINED_TYPE_SUBSCHEMAS_CHANGED');
  }

  private compareObject(original: Of<'object'>, update: Of<'object'>): void {
    this.within('required', () => {
      for (const name of original.properties.keys()) {
        if (!update.properties.has(name)) continue;
        const wasRequired = original.required.has(name);
        const isRequired = update.required.has(name);
        if (wasRequired && !isRequired) this.add('REQUIRED_ATTRIBUTE_REMOVED', name);
        else if (!wasRequired && isRequired) {
          this.add(update.properties.get(name)!.default !== undefined ? 'REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED' : 'REQUIRED_ATTRIBUTE_ADDED', name);
        }
      }
    });
    this.within('properties', () => {
      const names = new Set([...original.properties.keys(), ...update.properties.keys()]);
      for (const name of names) this.within(name, () => this.compareProperty(name, original, update));
    });
    this.within('dependencies', () => {
      for (const name of new Set([...original.propertyDependencies.keys(), ...update.propertyDependencies.keys()])) {
        const before = original.propertyDependencies.get(name);
        const after = update.propertyDependencies.get(name);
        if (after === undefined) this.add('DEPENDENCY_ARRAY_REMOVED', name);
        else if (before === undefined) this.add('DEPENDENCY_ARRAY_ADDED', name);
        else {
          const afterHasAll = [...before].every((d) => after.has(d));
          const beforeHasAll = [...after].every((d) => before.has(d));
          if (!(afterHasAll && beforeHasAll)) {
            this.add(afterHasAll ? 'DEPENDENCY_ARRAY_EXTENDED' : beforeHasAll ? 'DEPENDENCY_ARRAY_NARROWED' : 'DEPENDENCY_ARRAY_CHANGED', name);
          }
        }
      }
      for (const name of new Set([...original.schemaDependencies.keys(), ...update.schemaDependencies.keys()])) {
        const before = original.schemaDependencies.get(name);
        const after = update.schemaDependencies.get(name);
        if (after === undefined) this.add('DEPENDENCY_SCHEMA_REMOVED', name);
        else if (before === undefined) this.add('DEPENDENCY_SCHEMA_ADDED', name);
        else this.within(name, () => this.compare(before, after));
      }
    });
    this.compareAdditional(
      'additionalProperties',
      'ADDITIONAL_PROPERTIES',
      { permits: original.permitsAdditionalProperties, schema: original.additionalPropertiesSchema },
      { permits: update.permitsAdditionalProperties, schema: update.additionalPropertiesSchema },
    );
    this.compareUnevaluated('unevaluatedProperties', 'UNEVALUATED_PROPERTIES', original.unevaluatedProperties, update.unevaluatedProperties);
    this.limit('maxProperties', original.maxProperties, update.maxProperties, 'MAX_PROPERTIES');
    this.limit('minProperties', original.minProperties, update.minProperties, 'MIN_PROPERTIES');
  }

  private compareProperty(name: string, original: Of<'object'>, update: Of<'object'>): void {
    const before = original.properties.get(name);
    const after = update.properties.get(name);
    if (after === undefined) {
      if (isOpenObject(update)) return this.add('PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL');
      const partial = partialPropertySchema(update, name);
      if (partial !== undefined) {
        return this.coveredBy(before!, partial, 'PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL', 'PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL');
      }
      return this.add(dereference(before!).kind === 'false' ? 'PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL' : 'PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL');
    }
    if (before !== undefined) return this.compare(before, after);
    const required = update.required.has(name);
    const hasDefault = after.default !== undefined;
    if (isOpenObject(original)) {
      if (dereference(after).kind === 'empty') return this.add('PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL');
      if (!required) return this.add('OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL');
      return this.add(hasDefault ? 'REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL' : 'REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL');
    }
    const partial = partialPropertySchema(original, name);
    if (partial !== undefined) {
      this.coveredBy(partial, after, 'PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL', 'PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL');
    }
    if (!required) return this.add('OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL');
    this.add(hasDefault ? 'REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL' : 'REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL');
  }

  /** additionalProperties / additionalItems: allowed or not (`false`), and the schema extra ones must match. */
  private compareAdditional(
    attribute: string,
    name: string,
    before: { permits: boolean; schema: JsonSchemaNode | undefined },
    after: { permits: boolean; schema: JsonSchemaNode | undefined },
  ): void {
    this.within(attribute, () => {
      if (before.permits !== after.permits) this.add(after.permits ? `${name}_ADDED` : `${name}_REMOVED`);
      else if (before.schema === undefined && after.schema !== undefined) this.add(`${name}_NARROWED`);
      else if (after.schema === undefined && before.schema !== undefined) this.add(`${name}_EXTENDED`);
      else this.compare(before.schema, after.schema);
    });
  }

  private compareUnevaluated(attribute: string, name: string, before: JsonSchemaNode | undefined, after: JsonSchemaNode | undefined): void {
    if (before === undefined && after === undefined) return;
    this.within(attribute, () => {
      const beforeKind = before === undefined ? undefined : dereference(before).kind;
      const afterKind = after === undefined ? undefined : dereference(after).kind;
      if (before === undefined) this.add(afterKind === 'false' ? `${name}_REMOVED` : `${name}_NARROWED`);
      else if (after === undefined) this.add(beforeKind === 'false' ? `${name}_ADDED` : `${name}_EXTENDED`);
      else if (beforeKind === 'false' && afterKind !== 'false') this.add(`${name}_ADDED`);
      else if (beforeKind !== 'false' && afterKind === 'false') this.add(`${name}_REMOVED`);
      else if (beforeKind === 'empty' && afterKind !== 'empty') this.add(`${name}_NARROWED`);
      else if (beforeKind !== 'empty' && afterKind === 'empty') this.add(`${name}_EXTENDED`);
      else this.compare(before, after);
    });
  }

  private compareArray(original: Of<'array'>, update: Of<'array'>): void {
    this.within('items', () => this.compare(original.allItems, update.allItems));
    const before = original.itemTuple ?? [];
    const after = update.itemTuple ?? [];
    for (let index = 0; index < Math.max(before.length, after.length); index++) {
      this.within(`items/${index}`, () => {
        const originalItem = before[index];
        const updateItem = after[index];
        if (originalItem !== undefined && updateItem !== undefined) return this.compare(originalItem, updateItem);
        if (originalItem !== undefined) {
          if (isOpenArray(update)) return this.add('ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL');
          const partial = partialItemSchema(update);
          if (partial !== undefined) {
            return this.coveredBy(originalItem, partial, 'ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL', 'ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL');
          }
          return this.add(dereference(originalItem).kind === 'false' ? 'ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL' : 'ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL');
        }
        if (isOpenArray(original)) {
          return this.add(dereference(updateItem!).kind === 'empty' ? 'ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL' : 'ITEM_ADDED_TO_OPEN_CONTENT_MODEL');
        }
        const partial = partialItemSchema(original);
        if (partial !== undefined) {
          return this.coveredBy(partial, updateItem!, 'ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL', 'ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL');
        }
        this.add('ITEM_ADDED_TO_CLOSED_CONTENT_MODEL');
      });
    }
    this.compareAdditional(
      'additionalItems',
      'ADDITIONAL_ITEMS',
      { permits: original.permitsAdditionalItems, schema: original.additionalItemsSchema },
      { permits: update.permitsAdditionalItems, schema: update.additionalItemsSchema },
    );
    this.compareUnevaluated('unevaluatedItems', 'UNEVALUATED_ITEMS', original.unevaluatedItems, update.unevaluatedItems);
    this.limit('maxItems', original.maxItems, update.maxItems, 'MAX_ITEMS');
    this.limit('minItems', original.minItems, update.minItems, 'MIN_ITEMS');
    if (original.uniqueItems !== update.uniqueItems) this.add(original.uniqueItems ? 'UNIQUE_ITEMS_REMOVED' : 'UNIQUE_ITEMS_ADDED', 'uniqueItems');
    this.limit('maxContains', original.maxContains, update.maxContains, 'MAX_CONTAINS');
    this.limit('minContains', original.minContains, update.minContains, 'MIN_CONTAINS');
  }
}

const nodeIds = new WeakMap<JsonSchemaNode, number>();
let nextNodeId = 0;
function nodeId(node: JsonSchemaNode): number {
  let id = nodeIds.get(node);
  if (id === undefined) nodeIds.set(node, (id = nextNodeId++));
  return id;
}

/** Open: extra properties allowed with no schema for them and no pattern properties. */
function isOpenObject(node: Of<'object'>): boolean {
  if (!node.permitsAdditionalProperties || node.additionalPropertiesSchema !== undefined || node.patternProperties.size > 0) return false;
  return node.unevaluatedProperties === undefined || dereference(node.unevaluatedProperties).kind === 'empty';
}

/** The schema a partially open object applies to a property it does not name, if any. */
function partialPropertySchema(node: Of<'object'>, name: string): JsonSchemaNode | undefined {
  for (const [pattern, schema] of node.patternProperties) {
    if (safeRegExp(pattern)?.test(name) === true) return schema;
  }
  if (node.additionalPropertiesSchema !== undefined) return node.additionalPropertiesSchema;
  return partialFromUnevaluated(node.permitsAdditionalProperties, node.unevaluatedProperties);
}

function isOpenArray(node: Of<'array'>): boolean {
  if (!node.permitsAdditionalItems || node.additionalItemsSchema !== undefined) return false;
  return node.unevaluatedItems === undefined || dereference(node.unevaluatedItems).kind === 'empty';
}

function partialItemSchema(node: Of<'array'>): JsonSchemaNode | undefined {
  if (node.additionalItemsSchema !== undefined) return node.additionalItemsSchema;
  return partialFromUnevaluated(node.permitsAdditionalItems, node.unevaluatedItems);
}

function partialFromUnevaluated(permitsAdditional: boolean, unevaluated: JsonSchemaNode | undefined): JsonSchemaNode | undefined {
  if (!permitsAdditional || unevaluated === undefined) return undefined;
  const kind = dereference(unevaluated).kind;
  return kind === 'false' || kind === 'empty' ? undefined : unevaluated;
}

function safeRegExp(pattern: string): RegExp | undefined {
  try {
    return new RegExp(pattern, 'u');
  } catch {
    return undefined;
  }
}

/** Subschemas without repeats (Confluent collects them into a set of equal schemas). */
function distinctSchemas(nodes: readonly JsonSchemaNode[]): JsonSchemaNode[] {
  const result: JsonSchemaNode[] = [];
  for (const node of nodes) if (!result.includes(node)) result.push(node);
  return result;
}

/** A maximum bipartite matching (augmenting paths) of original index → update index. */
function maximumMatching(originalCount: number, edges: ReadonlyMap<number, ReadonlyMap<number, unknown>>): Array<[number, number]> {
  const matchOfUpdate = new Map<number, number>();
  const augment = (i: number, visited: Set<number>): boolean => {
    for (const j of edges.get(i)?.keys() ?? []) {
      if (visited.has(j)) continue;
      visited.add(j);
      const current = matchOfUpdate.get(j);
      if (current === undefined || augment(current, visited)) {
        matchOfUpdate.set(j, i);
        return true;
      }
    }
    return false;
  };
  for (let i = 0; i < originalCount; i++) augment(i, new Set());
  return [...matchOfUpdate].map(([j, i]) => [i, j]);
}

/** An exact decimal (unscaled × 10^-scale) for multipleOf comparisons. */
class Decimal {
  private constructor(
    readonly unscaled: bigint,
    readonly scale: number,
  ) {}

  static parse(literal: string): Decimal {
    const match = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(literal);
    if (match === null) return new Decimal(0n, 0);
    const fraction = match[3] ?? '';
    const unscaled = BigInt(`${match[1]}${match[2]}${fraction}`);
    return new Decimal(unscaled, fraction.length - Number(match[4] ?? '0'));
  }

  isZero(): boolean {
    return this.unscaled === 0n;
  }

  private aligned(other: Decimal): [bigint, bigint] {
    const scale = Math.max(this.scale, other.scale);
    return [this.unscaled * 10n ** BigInt(scale - this.scale), other.unscaled * 10n ** BigInt(scale - other.scale)];
  }

  equals(other: Decimal): boolean {
    const [a, b] = this.aligned(other);
    return a === b;
  }

  isMultipleOf(other: Decimal): boolean {
    const [a, b] = this.aligned(other);
    return b !== 0n && a % b === 0n;
  }
}

const JSON_ERROR_TEMPLATES: ReadonlyArray<[ReadonlySet<string>, (path: string) => string]> = [
  [
    new Set(['MAXIMUM_ADDED', 'MINIMUM_ADDED', 'EXCLUSIVE_MAXIMUM_ADDED', 'EXCLUSIVE_MINIMUM_ADDED', 'MULTIPLE_OF_ADDED', 'MAX_LENGTH_ADDED', 'MIN_LENGTH_ADDED', 'PATTERN_ADDED', 'REQUIRED_ATTRIBUTE_ADDED', 'MAX_PROPERTIES_ADDED', 'MIN_PROPERTIES_ADDED', 'DEPENDENCY_ARRAY_ADDED', 'DEPENDENCY_SCHEMA_ADDED', 'MAX_ITEMS_ADDED', 'MIN_ITEMS_ADDED', 'MAX_CONTAINS_ADDED', 'MIN_CONTAINS_ADDED', 'UNIQUE_ITEMS_ADDED', 'ADDITIONAL_ITEMS_REMOVED', 'ADDITIONAL_PROPERTIES_REMOVED', 'UNEVALUATED_PROPERTIES_REMOVED', 'UNEVALUATED_ITEMS_REMOVED']),
    (p) => `The keyword at path '${p}' in the %R schema is not present in the %W schema`,
  ],
  [
    new Set(['MIN_LENGTH_INCREASED', 'MINIMUM_INCREASED', 'EXCLUSIVE_MINIMUM_INCREASED', 'MIN_PROPERTIES_INCREASED', 'MULTIPLE_OF_EXPANDED', 'MIN_ITEMS_INCREASED', 'MIN_CONTAINS_INCREASED']),
    (p) => `The value at path '${p}' in the %R schema is more than its value in the %W schema`,
  ],
  [
    new Set(['MAX_LENGTH_DECREASED', 'MAXIMUM_DECREASED', 'MAX_ITEMS_DECREASED', 'MAX_CONTAINS_DECREASED', 'EXCLUSIVE_MAXIMUM_DECREASED', 'MAX_PROPERTIES_DECREASED']),
    (p) => `The value at path '${p}' in the %R schema is less than its value in the %W schema`,
  ],
  [new Set(['PATTERN_CHANGED', 'MULTIPLE_OF_CHANGED', 'DEPENDENCY_ARRAY_CHANGED']), (p) => `The value at path '${p}' is different between the %R and %W schema`],
  [
    new Set(['ADDITIONAL_ITEMS_NARROWED', 'ENUM_ARRAY_NARROWED', 'SUM_TYPE_NARROWED', 'ADDITIONAL_PROPERTIES_NARROWED', 'UNEVALUATED_PROPERTIES_NARROWED', 'UNEVALUATED_ITEMS_NARROWED']),
    (p) => `An array or combined type at path '${p}' has fewer elements in the %R schema than the %W schema`,
  ],
  [
    new Set(['DEPENDENCY_ARRAY_EXTENDED', 'PRODUCT_TYPE_EXTENDED', 'SUM_TYPE_EXTENDED', 'NOT_TYPE_EXTENDED']),
    (p) => `An array or combined type at path '${p}' has more elements in the %R schema than the %W schema`,
  ],
  [
    new Set(['TYPE_CHANGED', 'TYPE_NARROWED', 'COMBINED_TYPE_CHANGED', 'COMBINED_TYPE_SUBSCHEMAS_CHANGED', 'ENUM_ARRAY_CHANGED']),
    (p) => `A type at path '${p}' is different between the %R schema and the %W schema`,
  ],
  [
    new Set(['REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL', 'REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL', 'OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL', 'ITEM_ADDED_TO_OPEN_CONTENT_MODEL']),
    (p) => `The %R schema has an open content model and has a property or item at path '${p}' which is missing in the %W schema`,
  ],
  [new Set(['REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL']), (p) => `The %R schema has an unopen content model and has a required property at path '${p}' which is missing in the %W schema`],
  [
    new Set(['PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL', 'ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL']),
    (p) => `The %R has a closed content model and is missing a property or item present at path '${p}' in the %W schema`,
  ],
  [
    new Set(['PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL', 'ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL']),
    (p) => `A property or item is missing in the %R schema but present at path '${p}' in the %W schema and is not covered by its partially open content model`,
  ],
  [
    new Set(['PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL', 'ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL']),
    (p) => `The %R schema has a property or item at path '${p}' which is missing in the %W schema and is not covered by its partially open content model`,
  ],
];

/**
 * Confluent's text for one JSON Schema difference (its `Difference.toString()`, quotes as Confluent
 * writes them), with `reader`/`writer` ("new"/"old") filled in.
 */
export function describeJsonSchemaDifference(difference: JsonSchemaDifference, reader: string, writer: string): string {
  const template = JSON_ERROR_TEMPLATES.find(([types]) => types.has(difference.type))?.[1](difference.path) ?? '';
  const description = template.replace('%R', reader).replace('%W', writer);
  return `{errorType:"${difference.type}", description:"${description}'}`;
}
