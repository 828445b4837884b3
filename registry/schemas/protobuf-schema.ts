/**
 * Parses Protobuf schema text (`.proto`, proto2 or proto3) for the registry.
 *
 * - Validation: protobufjs parses the file with its references (each reference's `name` is the import
 *   path it satisfies) and resolves every type name, so syntax errors, duplicate names or numbers and
 *   unknown types are refused (42201) with protobufjs's message. Imports of `google/protobuf/*.proto`
 *   need no reference (protobufjs bundles them); Confluent's other well-known files
 *   (`google/type/*.proto`, `confluent/*.proto`) need none either, but types from them are not checked.
 *   Any other import must be given as a reference.
 * - Canonical text: Confluent's printer over Wire's elements (protobuf-schema-text.ts), read by our
 *   own parser (protobuf-parser.ts) because protobufjs does not keep what that text needs.
 * - A base64 `FileDescriptorProto` (non-Java Confluent serializers send one) is converted to `.proto`
 *   text first (protobuf-descriptor.ts) and then handled like text; the submitted text stays `originalText`.
 * Not supported: groups, editions.
 */
import protobuf from 'protobufjs';
import { protoFileFromDescriptor } from './protobuf-descriptor.js';
import { parseProtoFile, ProtoSyntaxError } from './protobuf-parser.js';
import type { ProtoFile } from './protobuf-schema-model.js';
import { protoFileText } from './protobuf-schema-text.js';
import { InvalidSchemaError, resolveReferenceClosure } from './schema-types.js';
import type { ParsedSchemaBase, ReferenceResolver, SchemaReference } from './schema-types.js';

export interface ProtobufParsedSchema extends ParsedSchemaBase {
  readonly schemaType: 'PROTOBUF';
  readonly proto: ProtoFile;
  /** The referenced files by import path (the reference name), for resolving imported type names. */
  readonly dependencies: ReadonlyMap<string, ProtoFile>;
}

/** Imports Confluent resolves without a reference. */
function isWellKnownImport(path: string): boolean {
  return path.startsWith('google/protobuf/') || path.startsWith('google/type/') || path.startsWith('confluent/');
}

export function parseProtobufSchema(
  text: string,
  references: readonly SchemaReference[],
  resolveReference: ReferenceResolver,
): ProtobufParsedSchema {
  const referenced = resolveReferenceClosure('PROTOBUF', references, resolveReference);
  const dependencyTexts = new Map(referenced.map((ref) => [ref.name, asProtoText(ref.schema)]));
  const protoText = asProtoText(text);
  try {
    checkWithProtobufjs(protoText, dependencyTexts);
    const proto = parseProtoFile(protoText);
    const dependencies = new Map([...dependencyTexts].map(([name, schema]) => [name, parseProtoFile(schema)]));
    return {
      schemaType: 'PROTOBUF',
      canonicalText: protoFileText(proto),
      originalText: text,
      references: [...references],
      proto,
      dependencies,
    };
  } catch (error) {
    if (error instanceof ProtoSyntaxError || error instanceof ProtobufValidationError) {
      throw new InvalidSchemaError('PROTOBUF', error.message);
    }
    if (error instanceof Error) throw new InvalidSchemaError('PROTOBUF', error.message);
    throw error;
  }
}

class ProtobufValidationError extends Error {}

/** `.proto` text as given, or converted from a base64 FileDescriptorProto. */
function asProtoText(text: string): string {
  const descriptorFile = protoFileFromDescriptor(text);
  return descriptorFile === undefined ? text : protoFileText(descriptorFile);
}

function checkWithProtobufjs(text: string, dependencyTexts: ReadonlyMap<string, string>): void {
  const root = new protobuf.Root();
  const loaded = new Set<string>();
  let typesCheckable = true;
  const load = (path: string, source: string, depth: number): void => {
    if (loaded.has(path)) return;
    loaded.add(path);
    let parsed: protobuf.IParserResult;
    try {
      parsed = protobuf.parse(source, root, { keepCase: true, alternateCommentMode: true });
    } catch (error) {
      const where = depth === 0 ? '' : ` (in the reference for "${path}")`;
      throw new ProtobufValidationError(`${(error as Error).message}${where}`);
    }
    for (const imported of [...(parsed.imports ?? []), ...(parsed.weakImports ?? [])]) {
      const dependency = dependencyTexts.get(imported);
      if (dependency !== undefined) {
        load(imported, dependency, depth + 1);
      } else if (imported.startsWith('google/protobuf/') && protobuf.common.get(imported) !== undefined) {
        if (!loaded.has(imported)) {
          loaded.add(imported);
          root.addJSON((protobuf.common.get(imported) as { nested: protobuf.INamespace['nested'] }).nested ?? {});
        }
      } else if (isWellKnownImport(imported)) {
        typesCheckable = false;
      } else {
        throw new ProtobufValidationError(`No reference for import "${imported}": add it to "references" with name "${imported}"`);
      }
    }
  };
  load('', text, 0);
  if (!typesCheckable) return;
  try {
    root.resolveAll();
  } catch (error) {
    throw new ProtobufValidationError((error as Error).message);
  }
}
