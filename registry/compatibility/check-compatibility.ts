/**
 * Confluent Schema Registry's compatibility check of a candidate schema against a subject's earlier
 * versions under a compatibility level, with messages in Confluent's format.
 *
 * - BACKWARD*: the candidate reads data written with the earlier schema (reader "new", writer "old").
 * - FORWARD*: the earlier schema reads data written with the candidate (reader "old", writer "new").
 * - FULL*: both; the forward messages come first and only the backward ones are followed by the
 *   earlier schema's version and text (as Confluent's `mutualReadStrategy` does).
 * - Non-transitive levels look at the newest earlier version only; transitive levels at all of them,
 *   newest first, stopping at the first that fails.
 * - An earlier schema of another type fails with "Incompatible because of different schema type".
 * - When anything fails, the list ends with `{validateFields: 'false', compatibility: '<LEVEL>'}`
 *   (field validation, Confluent's `validateFields`, is not implemented).
 */
import type { ParsedSchema } from '../schemas/parse-schema.js';
import { avroReaderWriterIncompatibilities, AvroCompatibilityCheckError, describeAvroIncompatibility } from './avro-compatibility.js';
import { describeJsonSchemaDifference, jsonSchemaIncompatibilities } from './json-schema-compatibility.js';
import { describeProtobufDifference, protobufIncompatibilities } from './protobuf-compatibility.js';

export type CompatibilityLevel =
  | 'NONE'
  | 'BACKWARD'
  | 'BACKWARD_TRANSITIVE'
  | 'FORWARD'
  | 'FORWARD_TRANSITIVE'
  | 'FULL'
  | 'FULL_TRANSITIVE';

export const COMPATIBILITY_LEVELS: readonly CompatibilityLevel[] = [
  'NONE',
  'BACKWARD',
  'BACKWARD_TRANSITIVE',
  'FORWARD',
  'FORWARD_TRANSITIVE',
  'FULL',
  'FULL_TRANSITIVE',
];

/** Confluent's `compatibilityPolicy` config; only JSON Schema has a LENIENT rule set. */
export type CompatibilityPolicy = 'STRICT' | 'LENIENT';

export interface CompatibilityOptions {
  /** Default STRICT. */
  readonly policy?: CompatibilityPolicy;
}

const MAX_SCHEMA_TEXT_IN_MESSAGES = 10 * 1024;

/**
 * @param previous the subject's live versions, oldest first
 * @returns Confluent's messages; empty when the candidate is compatible
 */
export function checkCompatibility(
  candidate: ParsedSchema,
  previous: readonly ParsedSchema[],
  level: CompatibilityLevel,
  options: CompatibilityOptions = {},
): string[] {
  if (level === 'NONE' || previous.length === 0) return [];
  const newestFirst = [...previous].reverse();
  const toCheck = level.endsWith('_TRANSITIVE') ? newestFirst : newestFirst.slice(0, 1);
  for (const earlier of toCheck) {
    const messages = checkPair(candidate, earlier, level, options);
    if (messages.length > 0) {
      messages.push(`{validateFields: 'false', compatibility: '${level}'}`);
      return messages;
    }
  }
  return [];
}

/**
 * The messages for one earlier version under a level's direction (transitivity ignored), without the
 * final `{validateFields: ..., compatibility: ...}` line: for callers that walk the versions themselves.
 */
export function checkPair(
  candidate: ParsedSchema,
  earlier: ParsedSchema,
  level: CompatibilityLevel,
  options: CompatibilityOptions = {},
): string[] {
  if (level === 'NONE') return [];
  if (candidate.schemaType !== earlier.schemaType) return ['Incompatible because of different schema type'];
  const policy = options.policy ?? 'STRICT';
  const backward = (): string[] => withEarlierSchema(canRead(candidate, earlier, 'new', 'old', policy), earlier);
  const forward = (): string[] => canRead(earlier, candidate, 'old', 'new', policy);
  if (level.startsWith('BACKWARD')) return backward();
  if (level.startsWith('FORWARD')) return withEarlierSchema(forward(), earlier);
  return [...forward(), ...backward()];
}

/**
 * Messages for each reason `reader` cannot read data written with `writer`. Avro checks the pair as
 * reader and writer; JSON Schema and Protobuf diff the writer's schema (original) against the reader's
 * (update), as Confluent does.
 */
function canRead(
  reader: ParsedSchema,
  writer: ParsedSchema,
  readerWord: string,
  writerWord: string,
  policy: CompatibilityPolicy,
): string[] {
  if (reader.schemaType === 'JSON' && writer.schemaType === 'JSON') {
    return jsonSchemaIncompatibilities(writer.jsonSchema, reader.jsonSchema, policy).map((difference) =>
      describeJsonSchemaDifference(difference, readerWord, writerWord),
    );
  }
  if (reader.schemaType === 'PROTOBUF' && writer.schemaType === 'PROTOBUF') {
    return protobufIncompatibilities(writer, reader).map((difference) => describeProtobufDifference(difference, readerWord, writerWord));
  }
  if (reader.schemaType !== 'AVRO' || writer.schemaType !== 'AVRO') return ['Incompatible because of different schema type'];
  try {
    return avroReaderWriterIncompatibilities(reader.avro, writer.avro).map((incompatibility) =>
      describeAvroIncompatibility(incompatibility, readerWord, writerWord),
    );
  } catch (error) {
    if (error instanceof AvroCompatibilityCheckError) {
      return [`Unexpected exception during compatibility check: ${error.message}`];
    }
    throw error;
  }
}

function withEarlierSchema(messages: string[], earlier: ParsedSchema): string[] {
  if (messages.length === 0) return messages;
  if (earlier.version !== undefined) messages.push(`{oldSchemaVersion: ${earlier.version}}`);
  const text = earlier.canonicalText;
  messages.push(
    text.length <= MAX_SCHEMA_TEXT_IN_MESSAGES
      ? `{oldSchema: '${text}'}`
      : `{oldSchema: <truncated> '${text.slice(0, MAX_SCHEMA_TEXT_IN_MESSAGES)}...'}`,
  );
  return messages;
}
