/**
 * What every schema format of the registry shares: the type names, references, the error a bad schema
 * raises (reported by the REST layer as HTTP 422 with error code 42201) and the fields of a parsed schema.
 */

export type SchemaType = 'AVRO' | 'JSON' | 'PROTOBUF';

export const SCHEMA_TYPES: readonly SchemaType[] = ['AVRO', 'JSON', 'PROTOBUF'];

/** `{name, subject, version}` as in Confluent's `SchemaReference`. */
export interface SchemaReference {
  /** Avro: the referenced full type name; Protobuf: the import path; JSON Schema: the `$ref` URL. */
  readonly name: string;
  readonly subject: string;
  readonly version: number;
}

/** A referenced schema as the store holds it; `references` lets a referenced schema have its own. */
export interface ResolvedReference {
  readonly schemaType?: SchemaType;
  readonly schema: string;
  readonly references?: readonly SchemaReference[];
}

/** Looks a reference up by subject and version; undefined when that subject version does not exist. */
export type ReferenceResolver = (reference: SchemaReference) => ResolvedReference | undefined;

/** Fields common to the parsed schema of every format. */
export interface ParsedSchemaBase {
  readonly schemaType: SchemaType;
  /** The text Confluent stores and hashes for identity (MD5 with the references) and returns to clients. */
  readonly canonicalText: string;
  /** The text as submitted. */
  readonly originalText: string;
  readonly references: readonly SchemaReference[];
  /**
   * The subject version this schema is stored as, when known. Compatibility messages name it
   * (`{oldSchemaVersion: N}`); set it with `{ ...parsed, version }`.
   */
  readonly version?: number;
}

/**
 * A schema text that does not parse or validate. `detail` is the parser's own message; `message` is
 * the text Confluent answers with error code 42201: `Invalid schema of type <TYPE>, details: <detail>`.
 */
export class InvalidSchemaError extends Error {
  override readonly name = 'InvalidSchemaError';
  readonly errorCode = 42201;

  /**
   * @param message the whole message when Confluent does not use the `Invalid schema of type` form
   *   (`Empty schema`, `Invalid schema type X`)
   */
  constructor(
    readonly schemaType: SchemaType,
    readonly detail: string,
    message?: string,
  ) {
    super(message ?? `Invalid schema of type ${schemaType}, details: ${detail}`);
  }
}

/** One resolved reference in dependency order (a reference's own references come before it). */
export interface ResolvedReferenceText {
  readonly name: string;
  readonly schemaType: SchemaType;
  readonly schema: string;
}

/**
 * The transitive closure of `references`, each name once, dependencies first: the order in which
 * Confluent feeds referenced schemas to the parser before the schema itself.
 */
export function resolveReferenceClosure(
  schemaType: SchemaType,
  references: readonly SchemaReference[],
  resolve: ReferenceResolver,
): ResolvedReferenceText[] {
  const result: ResolvedReferenceText[] = [];
  const visited = new Set<string>();
  const visit = (refs: readonly SchemaReference[], depth: number): void => {
    if (depth > 100) throw new InvalidSchemaError(schemaType, 'References nest deeper than 100 levels');
    for (const ref of refs) {
      if (typeof ref.name !== 'string' || typeof ref.subject !== 'string' || !Number.isInteger(ref.version)) {
        throw new InvalidSchemaError(schemaType, `Invalid reference: ${describeReference(ref)}`);
      }
      if (visited.has(ref.name)) continue;
      visited.add(ref.name);
      const found = resolve(ref);
      if (found === undefined) {
        throw new InvalidSchemaError(
          schemaType,
          `No schema reference found for subject "${ref.subject}" and version ${ref.version}`,
        );
      }
      visit(found.references ?? [], depth + 1);
      result.push({ name: ref.name, schemaType: found.schemaType ?? 'AVRO', schema: found.schema });
    }
  };
  visit(references, 0);
  return result;
}

function describeReference(ref: SchemaReference): string {
  return `{name='${String(ref.name)}', subject='${String(ref.subject)}', version=${String(ref.version)}}`;
}
