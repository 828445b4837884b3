/**
 * Avro reader/writer compatibility, following Apache Avro's `SchemaCompatibility` (1.12), which
 * Confluent Schema Registry runs for Avro subjects: "can a reader with schema R decode data written
 * with schema W?", answered with every incompatibility found, each with its type and a JSON-pointer
 * location inside the reader schema.
 *
 * Rules (reader \ writer):
 * - same primitive: compatible (logical types are ignored); promotions int→long/float/double,
 *   long→float/double, float→double, string↔bytes;
 * - record: names match (see below); each reader field is found in the writer by name or by one of the
 *   reader field's aliases and its types are checked recursively; a reader field missing from the
 *   writer needs a default (READER_FIELD_MISSING_DEFAULT_VALUE). As in Avro, a missing reader field
 *   whose type is an enum with an enum default and that has no field default is checked against the
 *   writer record itself, which yields TYPE_MISMATCH;
 * - enum: names match; writer symbols missing from the reader are MISSING_ENUM_SYMBOLS unless the reader
 *   enum has a default;
 * - fixed: names match; sizes equal (FIXED_SIZE_MISMATCH);
 * - array items / map values recursively;
 * - writer union: every branch must be readable (both unions: MISSING_UNION_BRANCH per unreadable
 *   writer branch; reader not a union: the branch's own incompatibilities);
 * - reader union, writer not: some reader branch must read the writer, else MISSING_UNION_BRANCH;
 * - anything else: TYPE_MISMATCH.
 * Names match when the unqualified names are equal or the writer's full name is a reader alias.
 * Recursive types are handled by memoizing reader/writer pairs ("compatible unless proven otherwise"
 * while a pair is being checked), so the same pair met twice reports its incompatibilities once with
 * the location where it was first met, as Avro does.
 */
import { aliasFullNames, javaTypeName } from '../schemas/avro-schema-model.js';
import type { AvroField, AvroNamedType, AvroRecord, AvroType } from '../schemas/avro-schema-model.js';
import { avroSchemaText } from '../schemas/avro-schema-text.js';

export type AvroIncompatibilityType =
  | 'NAME_MISMATCH'
  | 'FIXED_SIZE_MISMATCH'
  | 'MISSING_ENUM_SYMBOLS'
  | 'READER_FIELD_MISSING_DEFAULT_VALUE'
  | 'TYPE_MISMATCH'
  | 'MISSING_UNION_BRANCH';

export interface AvroIncompatibility {
  readonly type: AvroIncompatibilityType;
  /** JSON pointer into the reader schema, e.g. `/fields/1/type`. */
  readonly location: string;
  /** Avro's detail: the field name, `[A, B]` missing symbols, `expected: 4, found: 8`, ... */
  readonly message: string;
}

/** Raised where Avro throws during the check (a reader field matching two writer fields by aliases). */
export class AvroCompatibilityCheckError extends Error {}

/** Every reason `reader` cannot decode data written with `writer`; empty when it can. */
export function avroReaderWriterIncompatibilities(reader: AvroType, writer: AvroType): AvroIncompatibility[] {
  return [...new ReaderWriterChecker().check(reader, writer)];
}

type PairResult = readonly AvroIncompatibility[] | 'in-progress';

const COMPATIBLE: readonly AvroIncompatibility[] = [];

class ReaderWriterChecker {
  private readonly memo = new Map<AvroType, Map<AvroType, PairResult>>();

  check(reader: AvroType, writer: AvroType): readonly AvroIncompatibility[] {
    return this.pair('', reader, writer, []);
  }

  private pair(token: string, reader: AvroType, writer: AvroType, location: string[]): readonly AvroIncompatibility[] {
    location.push(token);
    let byWriter = this.memo.get(reader);
    if (byWriter === undefined) this.memo.set(reader, (byWriter = new Map()));
    let result = byWriter.get(writer);
    if (result === 'in-progress') {
      result = COMPATIBLE;
    } else if (result === undefined) {
      byWriter.set(writer, 'in-progress');
      result = this.calculate(reader, writer, location);
      byWriter.set(writer, result);
    }
    location.pop();
    return result;
  }

  private calculate(reader: AvroType, writer: AvroType, location: string[]): readonly AvroIncompatibility[] {
    if (reader.type === writer.type) {
      switch (reader.type) {
        case 'array':
          return this.pair('items', reader.items, (writer as typeof reader).items, location);
        case 'map':
          return this.pair('values', reader.values, (writer as typeof reader).values, location);
        case 'fixed': {
          const other = writer as typeof reader;
          const problems = nameProblems(reader, other, location);
          if (reader.size !== other.size) {
            problems.push(incompatible('FIXED_SIZE_MISMATCH', [...location, 'size'], `expected: ${other.size}, found: ${reader.size}`));
          }
          return problems;
        }
        case 'enum': {
          const other = writer as typeof reader;
          const problems = nameProblems(reader, other, location);
          const missing = [...new Set(other.symbols)].filter((s) => !reader.symbols.includes(s)).sort();
          if (missing.length > 0 && reader.enumDefault === undefined) {
            problems.push(incompatible('MISSING_ENUM_SYMBOLS', [...location, 'symbols'], `[${missing.join(', ')}]`));
          }
          return problems;
        }
        case 'record':
          return [...nameProblems(reader, writer as AvroRecord, location), ...this.recordFields(reader, writer as AvroRecord, location)];
        case 'union': {
          const problems: AvroIncompatibility[] = [];
          (writer as typeof reader).branches.forEach((branch, index) => {
            if (this.pair('', reader, branch, []).length > 0) {
              problems.push(
                incompatible('MISSING_UNION_BRANCH', [...location, String(index)], `reader union lacking writer type: ${javaTypeName(branch)}`),
              );
            }
          });
          return problems;
        }
        default:
          return COMPATIBLE;
      }
    }
    if (writer.type === 'union') {
      return writer.branches.flatMap((branch, index) => this.pair(String(index), reader, branch, location));
    }
    if (reader.type === 'union') {
      if (reader.branches.some((branch) => this.pair('', branch, writer, []).length === 0)) return COMPATIBLE;
      return [incompatible('MISSING_UNION_BRANCH', location, `reader union lacking writer type: ${javaTypeName(writer)}`)];
    }
    if (PROMOTIONS[reader.type]?.includes(writer.type) === true) return COMPATIBLE;
    return [
      incompatible(
        'TYPE_MISMATCH',
        location,
        `reader type: ${javaTypeName(reader)} not compatible with writer type: ${javaTypeName(writer)}`,
      ),
    ];
  }

  private recordFields(reader: AvroRecord, writer: AvroRecord, location: string[]): AvroIncompatibility[] {
    const problems: AvroIncompatibility[] = [];
    location.push('fields');
    for (const readerField of reader.fields) {
      location.push(String(readerField.position));
      const writerField = lookupWriterField(writer, readerField);
      if (writerField !== undefined) {
        problems.push(...this.pair('type', readerField.type, writerField.type, location));
      } else if (readerField.default === undefined) {
        if (readerField.type.type === 'enum' && readerField.type.enumDefault !== undefined) {
          problems.push(...this.pair('type', readerField.type, writer, location));
        } else {
          problems.push(incompatible('READER_FIELD_MISSING_DEFAULT_VALUE', location, readerField.name));
        }
      }
      location.pop();
    }
    location.pop();
    return problems;
  }
}

/** Which writer types each reader type accepts besides its own. */
const PROMOTIONS: Partial<Record<AvroType['type'], readonly AvroType['type'][]>> = {
  long: ['int'],
  float: ['int', 'long'],
  double: ['int', 'long', 'float'],
  bytes: ['string'],
  string: ['bytes'],
};

function nameProblems(reader: AvroNamedType, writer: AvroNamedType, location: readonly string[]): AvroIncompatibility[] {
  if (reader.name.name === writer.name.name || aliasFullNames(reader).includes(writer.name.full)) return [];
  return [incompatible('NAME_MISMATCH', [...location, 'name'], `expected: ${writer.name.full}`)];
}

function lookupWriterField(writer: AvroRecord, readerField: AvroField): AvroField | undefined {
  const matches: AvroField[] = [];
  for (const name of [readerField.name, ...readerField.aliases]) {
    const found = writer.fields.find((f) => f.name === name);
    if (found !== undefined) matches.push(found);
  }
  if (matches.length > 1) {
    throw new AvroCompatibilityCheckError(
      `Reader record field ${readerField.name} type:${javaTypeName(readerField.type)} pos:${readerField.position} ` +
        `matches multiple fields in writer record schema ${avroSchemaText(writer)}`,
    );
  }
  return matches[0];
}

function incompatible(type: AvroIncompatibilityType, location: readonly string[], message: string): AvroIncompatibility {
  const pointer = location
    .slice(1)
    .map((token) => token.replace(/~/g, '~0').replace(/\//g, '~1'))
    .join('/');
  return { type, location: `/${pointer}`, message };
}

/**
 * Confluent's text for one incompatibility (`Difference.error()`), with "new"/"old" filled in:
 * `reader` and `writer` are the words for the reader's and the writer's schema.
 */
export function describeAvroIncompatibility(incompatibility: AvroIncompatibility, reader: string, writer: string): string {
  const { type, location: path, message } = incompatibility;
  let description: string;
  switch (type) {
    case 'FIXED_SIZE_MISMATCH':
      description = `The size of FIXED type field at path '${path}' in the ${reader} schema does not match with the ${writer} schema`;
      break;
    case 'TYPE_MISMATCH':
      description = `The type (path '${path}') of a field in the ${reader} schema does not match with the ${writer} schema`;
      break;
    case 'NAME_MISMATCH':
      description = `The name of the schema has changed (path '${path}')`;
      break;
    case 'MISSING_ENUM_SYMBOLS':
      description = `The ${reader} schema is missing enum symbols '${message}' at path '${path}' in the ${writer} schema`;
      break;
    case 'MISSING_UNION_BRANCH':
      description = `The ${reader} schema is missing a type inside a union field at path '${path}' in the ${writer} schema`;
      break;
    case 'READER_FIELD_MISSING_DEFAULT_VALUE':
      description = `The field '${message}' at path '${path}' in the ${reader} schema has no default value and is missing in the ${writer} schema`;
      break;
  }
  return `{errorType:'${type}', description:'${description}', additionalInfo:'${message}'}`;
}
