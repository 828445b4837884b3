/**
 * A stand-in SchemaProvider until the format parsers and checkers (registry/schemas,
 * registry/compatibility) are wired in: Avro and JSON schemas must be JSON and are stored as
 * compact JSON (an Avro primitive written as `{"type":"string"}` becomes `"string"`),
 * Protobuf text is stored trimmed, and every change is compatible.
 */
import type { SchemaType } from '../store/schemas-topic-codec.js';
import type { ParsedSchemaHandle, SchemaProvider } from './schema-provider.js';

const AVRO_PRIMITIVES = new Set(['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string']);

export const interimSchemaProvider: SchemaProvider = {
  parse(schemaType: SchemaType, text: string): ParsedSchemaHandle {
    if (schemaType === 'PROTOBUF') {
      if (text.trim() === '') throw new Error('Empty schema');
      return { canonical: text.trim(), parsed: text };
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw new Error(`the schema is not JSON: ${(err as Error).message}`, { cause: err });
    }
    if (schemaType === 'AVRO' && parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
      const o = parsed as Record<string, unknown>;
      if (Object.keys(o).length === 1 && typeof o.type === 'string' && AVRO_PRIMITIVES.has(o.type)) parsed = o.type;
    }
    return { canonical: JSON.stringify(parsed), parsed };
  },
  check(): string[] {
    return [];
  },
};
