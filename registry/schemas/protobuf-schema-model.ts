/**
 * A `.proto` file as written, shaped after Square Wire's schema elements, which Confluent Schema
 * Registry parses schemas into and prints its canonical text from. Declaration details that change the
 * canonical text are kept: labels as written (none for a proto3 field without one), option values with
 * their kind (string, number, boolean, enum identifier, aggregate, list), reserved and extension
 * ranges, and the order of declarations within each kind.
 */

export interface ProtoFile {
  /** `proto2` / `proto3` when a syntax statement is present. */
  readonly syntax: string | undefined;
  readonly packageName: string | undefined;
  readonly imports: readonly string[];
  readonly publicImports: readonly string[];
  readonly options: readonly ProtoOption[];
  readonly types: readonly ProtoType[];
  readonly extends: readonly ProtoExtend[];
  readonly services: readonly ProtoService[];
}

export type ProtoType = ProtoMessage | ProtoEnum;

export interface ProtoMessage {
  readonly kind: 'message';
  readonly name: string;
  readonly reserveds: readonly ProtoRanges[];
  readonly options: readonly ProtoOption[];
  readonly fields: readonly ProtoField[];
  readonly oneOfs: readonly ProtoOneOf[];
  readonly extensions: readonly ProtoRanges[];
  readonly extends: readonly ProtoExtend[];
  readonly nestedTypes: readonly ProtoType[];
}

export interface ProtoEnum {
  readonly kind: 'enum';
  readonly name: string;
  readonly reserveds: readonly ProtoRanges[];
  readonly options: readonly ProtoOption[];
  readonly constants: readonly ProtoEnumConstant[];
}

export interface ProtoEnumConstant {
  readonly name: string;
  readonly tag: number;
  readonly options: readonly ProtoOption[];
}

export type ProtoLabel = 'optional' | 'required' | 'repeated';

export interface ProtoField {
  readonly label: ProtoLabel | undefined;
  /** As written, except map types, which read `map<K, V>`. */
  readonly type: string;
  readonly name: string;
  readonly tag: number;
  /** Options other than `default` and `json_name`, which Wire keeps apart. */
  readonly options: readonly ProtoOption[];
  readonly defaultValue: ProtoOptionValue | undefined;
  readonly jsonName: string | undefined;
}

export interface ProtoOneOf {
  readonly name: string;
  readonly options: readonly ProtoOption[];
  readonly fields: readonly ProtoField[];
}

/** `reserved` / `extensions` statement: numbers, ranges (`max` = the largest tag) and names. */
export interface ProtoRanges {
  readonly values: ReadonlyArray<number | { readonly start: number; readonly end: number | 'max' } | string>;
  readonly options: readonly ProtoOption[];
}

export interface ProtoExtend {
  readonly name: string;
  readonly fields: readonly ProtoField[];
}

export interface ProtoService {
  readonly name: string;
  readonly options: readonly ProtoOption[];
  readonly rpcs: readonly ProtoRpc[];
}

export interface ProtoRpc {
  readonly name: string;
  readonly requestType: string;
  readonly requestStreaming: boolean;
  readonly responseType: string;
  readonly responseStreaming: boolean;
  readonly options: readonly ProtoOption[];
}

export interface ProtoOption {
  /** As written: `java_package`, `(my.ext)`, `(my.ext).field`. */
  readonly name: string;
  readonly value: ProtoOptionValue;
}

export type ProtoOptionValue =
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'number' | 'boolean' | 'enum'; readonly text: string }
  | { readonly kind: 'map'; readonly entries: ReadonlyArray<readonly [string, ProtoOptionValue]> }
  | { readonly kind: 'list'; readonly items: readonly ProtoOptionValue[] };

export const SCALAR_TYPES: ReadonlySet<string> = new Set([
  'double', 'float', 'int32', 'int64', 'uint32', 'uint64', 'sint32', 'sint64',
  'fixed32', 'fixed64', 'sfixed32', 'sfixed64', 'bool', 'string', 'bytes',
]);

/** The largest field number; a range ending here prints as `max`. */
export const MAX_TAG = 536_870_911;
