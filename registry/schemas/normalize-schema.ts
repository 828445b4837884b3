/**
 * Confluent's `normalize` (query flag `normalize=true` on register, lookup and compatibility checks, or
 * `normalize: true` in the subject's or global config): the schema is rewritten in a normal form before
 * its canonical text is computed, so that equivalent spellings share one id.
 *
 * - AVRO: Confluent's normal form (avro-normalize.ts), read again and printed as Java does.
 * - JSON: the canonical text with object keys sorted at every level.
 * - PROTOBUF: Confluent's normal form for ordinary schemas (protobuf-normalize.ts): sorted imports,
 *   options, fields, oneofs, constants and ranges; type names resolved to full names.
 * References are sorted by subject and version, repeats dropped, as Confluent does.
 */
import { normalizedAvroText } from './avro-normalize.js';
import { parseAvroSchema } from './avro-schema.js';
import { jacksonText } from './jackson-text.js';
import { normalizeProtoFile } from './protobuf-normalize.js';
import { protoFileText } from './protobuf-schema-text.js';
import { readJsonTree } from './json-tree.js';
import type { JsonNode } from './json-tree.js';
import type { ParsedSchema } from './parse-schema.js';
import type { ReferenceResolver, SchemaReference } from './schema-types.js';

export function normalizeSchema(parsed: ParsedSchema, resolveReference: ReferenceResolver): ParsedSchema {
  const references = sortedReferences(parsed.references);
  switch (parsed.schemaType) {
    case 'AVRO': {
      const normalized = parseAvroSchema(normalizedAvroText(parsed.avro, parsed.referencedNames), references, resolveReference);
      return { ...normalized, originalText: parsed.originalText, ...(parsed.version === undefined ? {} : { version: parsed.version }) };
    }
    case 'JSON':
      return { ...parsed, references, canonicalText: jacksonText(sortedKeys(readJsonTree(parsed.canonicalText)), 'bigdecimal') };
    case 'PROTOBUF': {
      const proto = normalizeProtoFile(parsed.proto, parsed.dependencies);
      return { ...parsed, references, proto, canonicalText: protoFileText(proto) };
    }
  }
}

function sortedReferences(references: readonly SchemaReference[]): SchemaReference[] {
  const distinct = references.filter(
    (ref, i) => references.findIndex((other) => other.name === ref.name && other.subject === ref.subject && other.version === ref.version) === i,
  );
  return distinct.sort((a, b) => (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : a.version - b.version));
}

function sortedKeys(node: JsonNode): JsonNode {
  if (node.kind === 'object') {
    return { kind: 'object', entries: new Map([...node.entries.keys()].sort().map((key) => [key, sortedKeys(node.entries.get(key)!)])) };
  }
  if (node.kind === 'array') return { kind: 'array', items: node.items.map(sortedKeys) };
  return node;
}
