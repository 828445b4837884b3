/**
 * What the registry needs from the schema formats (registry/schemas, registry/compatibility):
 * parse a schema with its references into the canonical text Confluent stores and hashes
 * (reference §3.5), and check a parsed schema against a subject's earlier versions under a
 * compatibility level, with Confluent's messages.
 */
import type { SchemaReference, SchemaType } from '../store/schemas-topic-codec.js';

export type CompatibilityLevel =
  | 'NONE' | 'BACKWARD' | 'BACKWARD_TRANSITIVE' | 'FORWARD' | 'FORWARD_TRANSITIVE' | 'FULL' | 'FULL_TRANSITIVE';

export const COMPATIBILITY_LEVELS: readonly CompatibilityLevel[] = [
  'NONE', 'BACKWARD', 'BACKWARD_TRANSITIVE', 'FORWARD', 'FORWARD_TRANSITIVE', 'FULL', 'FULL_TRANSITIVE',
];

/** A referenced subject version as the store holds it; undefined when it does not exist (or may not be used). */
export type ReferenceLookup = (reference: SchemaReference) => { schemaType: SchemaType; schema: string; references: readonly SchemaReference[] } | undefined;

export interface ProvidedSchema {
  readonly schemaType: SchemaType;
  /** The text the registry stores, hashes and answers with. */
  readonly canonicalText: string;
  /** The references as stored (normalizing sorts them); the given ones when absent. */
  readonly references?: readonly SchemaReference[];
  /** The subject version the schema is stored as, when it is; compatibility messages name it. */
  readonly version?: number;
}

export interface SchemaProvider {
  /**
   * Throws an Error with `errorCode` 42201 and Confluent's message when the schema is invalid;
   * `normalize`: the canonical text of Confluent's normal form (`normalize=true`).
   */
  parse(schemaType: SchemaType, text: string, references: readonly SchemaReference[], lookup: ReferenceLookup, normalize: boolean): ProvidedSchema;
  /**
   * Confluent's messages for why `candidate` is incompatible with the earlier versions `previous`
   * (oldest first) under `level`; empty when compatible. Transitive levels look at every earlier
   * version, the others at the newest only.
   */
  check(candidate: ProvidedSchema, previous: readonly ProvidedSchema[], level: CompatibilityLevel): string[];
}
