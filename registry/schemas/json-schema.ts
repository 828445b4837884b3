/**
 * Parses JSON Schema text as Confluent Schema Registry does for schemaType JSON.
 *
 * - The canonical text is Jackson's re-serialization of the parsed tree with Confluent's mapper:
 *   compact, keys in textual order, fractional numbers kept as exact decimals (`1.50` stays `1.50`,
 *   `1e7` becomes `1E+7`).
 * - The root must be an object or a boolean.
 * - The schema is checked against its draft's meta-schema (draft-07 when `$schema` is absent or not
 *   recognised; 2019-09, 2020-12 and draft-06 by their `$schema`; draft-04 and older are not
 *   meta-validated) with ajv, unknown keywords allowed (the Connect converter writes `connect.*`).
 * - Every `$ref` must resolve: `#...` JSON pointers inside the same document, or a reference's
 *   `name` (optionally followed by `#pointer`), as written or made absolute against the document's
 *   `$id`. Remote (http) references are not fetched.
 */
import { createRequire } from 'node:module';
import { Ajv } from 'ajv';
import type { AnySchemaObject } from 'ajv';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { JsonSyntaxError, readJsonTree, textValue } from './json-tree.js';
import type { JsonNode } from './json-tree.js';
import { jacksonText } from './jackson-text.js';
import { dereference, InvalidJsonSchema, JsonSchemaLoader } from './json-schema-model.js';
import type { JsonSchemaNode } from './json-schema-model.js';
import { InvalidSchemaError, resolveReferenceClosure } from './schema-types.js';
import type { ParsedSchemaBase, ReferenceResolver, SchemaReference } from './schema-types.js';

export interface JsonParsedSchema extends ParsedSchemaBase {
  readonly schemaType: 'JSON';
  readonly jsonSchema: JsonSchemaNode;
}

export function parseJsonSchema(
  text: string,
  references: readonly SchemaReference[],
  resolveReference: ReferenceResolver,
): JsonParsedSchema {
  const referenced = resolveReferenceClosure('JSON', references, resolveReference);
  let tree: JsonNode;
  try {
    tree = readJsonTree(text);
  } catch (error) {
    if (error instanceof JsonSyntaxError) throw new InvalidSchemaError('JSON', `Invalid JSON schema: ${error.message}`);
    throw error;
  }
  if (tree.kind !== 'object' && tree.kind !== 'boolean') {
    throw new InvalidSchemaError('JSON', `Invalid JSON schema: expected an object or boolean at the root, found ${JACKSON_NODE_TYPES[tree.kind]}`);
  }
  try {
    metaValidate(tree);
    const documents = new Map<string, JsonNode>();
    for (const ref of referenced) documents.set(ref.name, readJsonTree(ref.schema));
    const loader = new JsonSchemaLoader((ref, document) => resolveRef(ref, document, tree, documents));
    const jsonSchema = loader.load(tree, tree);
    visitAll(jsonSchema);
    return {
      schemaType: 'JSON',
      canonicalText: jacksonText(tree, 'bigdecimal'),
      originalText: text,
      references: [...references],
      jsonSchema,
    };
  } catch (error) {
    if (error instanceof InvalidJsonSchema || error instanceof JsonSyntaxError) {
      throw new InvalidSchemaError('JSON', `Invalid JSON: ${error.message}`);
    }
    throw error;
  }
}

const JACKSON_NODE_TYPES: Record<JsonNode['kind'], string> = {
  null: 'NULL',
  boolean: 'BOOLEAN',
  integer: 'NUMBER',
  double: 'NUMBER',
  string: 'STRING',
  array: 'ARRAY',
  object: 'OBJECT',
};

const require = createRequire(import.meta.url);
const DRAFT_06 = require('ajv/dist/refs/json-schema-draft-06.json') as AnySchemaObject;

type MetaValidator = Pick<Ajv, 'validateSchema' | 'errorsText' | 'errors'>;
let validators: { draft7: MetaValidator; draft2019: MetaValidator; draft2020: MetaValidator } | undefined;

function metaValidator(schemaUri: string | undefined): MetaValidator | undefined {
  validators ??= (() => {
    const draft7 = new Ajv({ strict: false, validateFormats: false });
    draft7.addMetaSchema(DRAFT_06);
    return { draft7, draft2019: new Ajv2019({ strict: false, validateFormats: false }), draft2020: new Ajv2020({ strict: false, validateFormats: false }) };
  })();
  if (schemaUri === undefined) return validators.draft7;
  if (schemaUri.includes('2020-12')) return validators.draft2020;
  if (schemaUri.includes('2019-09')) return validators.draft2019;
  if (/draft-0[0-5]\b/.test(schemaUri)) return undefined;
  return validators.draft7;
}

function metaValidate(tree: JsonNode): void {
  const schemaUri = tree.kind === 'object' ? textValue(tree.entries.get('$schema')) : undefined;
  const validator = metaValidator(schemaUri);
  if (validator === undefined) return;
  const value = toPlainJson(tree) as AnySchemaObject;
  if (typeof value === 'object' && value !== null && !/draft-0[67]|2019-09|2020-12/.test(schemaUri ?? '')) delete value.$schema;
  let valid: boolean;
  try {
    valid = validator.validateSchema(value) as boolean;
  } catch {
    return; // a meta-schema ajv does not know: Confluent falls back to draft-07 loading, which accepts it
  }
  if (!valid) throw new InvalidJsonSchema(validator.errorsText(validator.errors, { dataVar: '#' }));
}

function toPlainJson(node: JsonNode): unknown {
  switch (node.kind) {
    case 'null':
      return null;
    case 'integer':
      return Number(node.value);
    case 'array':
      return node.items.map(toPlainJson);
    case 'object':
      return Object.fromEntries([...node.entries].map(([k, v]) => [k, toPlainJson(v)]));
    default:
      return node.value;
  }
}

/** Resolves `$ref` against the root document, the referenced documents (by reference name) and JSON pointers. */
function resolveRef(ref: string, document: JsonNode, root: JsonNode, documents: ReadonlyMap<string, JsonNode>): { node: JsonNode; document: JsonNode } {
  const hash = ref.indexOf('#');
  const base = hash < 0 ? ref : ref.slice(0, hash);
  const fragment = hash < 0 ? '' : ref.slice(hash + 1);
  let target = document;
  if (base !== '') {
    const absolute = resolvedAgainstId(base, idOf(document) ?? idOf(root));
    const found =
      documents.get(base) ??
      documents.get(base.replace(/^\.\//, '')) ??
      (absolute === undefined ? undefined : documents.get(absolute)) ??
      (idOf(root) === base || (absolute !== undefined && idOf(root) === absolute) ? root : undefined);
    if (found === undefined) throw new InvalidJsonSchema(`Unresolved $ref '${ref}': no reference named '${base}'`);
    target = found;
  }
  if (fragment !== '' && !fragment.startsWith('/')) throw new InvalidJsonSchema(`Unresolved $ref '${ref}': only JSON-pointer fragments are supported`);
  let node: JsonNode | undefined = target;
  for (const raw of fragment.split('/').slice(1)) {
    const token = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    node = node?.kind === 'object' ? node.entries.get(token) : node?.kind === 'array' ? node.items[Number(token)] : undefined;
  }
  if (node === undefined) throw new InvalidJsonSchema(`Unresolved $ref '${ref}'`);
  return { node, document: target };
}

/** `ref` made absolute against a document's `$id` (when that is an absolute URL). */
function resolvedAgainstId(ref: string, id: string | undefined): string | undefined {
  if (id === undefined) return undefined;
  try {
    return new URL(ref, id).href;
  } catch {
    return undefined;
  }
}

function idOf(node: JsonNode): string | undefined {
  return node.kind === 'object' ? (textValue(node.entries.get('$id')) ?? textValue(node.entries.get('id'))) : undefined;
}

/** Loads every node reachable from the root once, so unresolvable `$ref`s fail at registration. */
function visitAll(root: JsonSchemaNode): void {
  const seen = new Set<JsonSchemaNode>();
  const pending: JsonSchemaNode[] = [root];
  while (pending.length > 0) {
    const node = pending.pop()!;
    if (seen.has(node)) continue;
    seen.add(node);
    pending.push(...childrenOf(node));
  }
}

function childrenOf(node: JsonSchemaNode): JsonSchemaNode[] {
  switch (node.kind) {
    case 'ref':
      return [dereference(node)];
    case 'not':
      return [node.schema];
    case 'combined':
      return [...node.subschemas];
    case 'object':
      return [
        ...node.properties.values(),
        ...node.patternProperties.values(),
        ...node.schemaDependencies.values(),
        ...(node.additionalPropertiesSchema ? [node.additionalPropertiesSchema] : []),
        ...(node.unevaluatedProperties ? [node.unevaluatedProperties] : []),
      ];
    case 'array':
      return [
        ...(node.allItems ? [node.allItems] : []),
        ...(node.itemTuple ?? []),
        ...(node.additionalItemsSchema ? [node.additionalItemsSchema] : []),
        ...(node.unevaluatedItems ? [node.unevaluatedItems] : []),
      ];
    default:
      return [];
  }
}
