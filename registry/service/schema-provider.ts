/**
 * What the registry needs from the schema formats: parse a schema (with its resolved
 * references) into a canonical text, the text Confluent stores and hashes (reference §3.5),
 * and check one parsed schema against earlier ones under a compatibility direction.
 *
 * The service calls the checker once per earlier version with a non-transitive level and
 * applies the transitive rules itself, so it can name the version a message is about.
 */
import type { SchemaType } from '../store/schemas-topic-codec.js';

export type CompatibilityLevel =
  | 'NONE' | 'BACKWARD' | 'BACKWARD_TRANSITIVE' | 'FORWARD' | 'FORWARD_TRANSITIVE' | 'FULL' | 'FULL_TRANSITIVE';

export const COMPATIBILITY_LEVELS: readonly CompatibilityLevel[] = [
  'NONE', 'BACKWARD', 'BACKWARD_TRANSITIVE', 'FORWARD', 'FORWARD_TRANSITIVE', 'FULL', 'FULL_TRANSITIVE',
];

export interface ResolvedReference {
  readonly name: string;
  readonly subject: string;
  readonly version: number;
  readonly schemaType: SchemaType;
  /** The referenced version's stored (canonical) text. */
  readonly schema: string;
}

export interface ParsedSchemaHandle {
  /** The text the registry stores, hashes and answers with. */
  readonly canonical: string;
  /** The format's own parsed form, handed back to the compatibility checker. */
  readonly parsed: unknown;
}

export interface SchemaProvider {
  /** Throws an Error whose message says what is wrong with the schema (answered as 42201). */
  parse(schemaType: SchemaType, text: string, references: readonly ResolvedReference[]): ParsedSchemaHandle;
  /**
   * Messages saying why `candidate` is incompatible with `previous` under `level`
   * (BACKWARD, FORWARD or FULL); empty when compatible.
   */
  check(schemaType: SchemaType, candidate: ParsedSchemaHandle, previous: ParsedSchemaHandle, level: 'BACKWARD' | 'FORWARD' | 'FULL'): string[];
}
