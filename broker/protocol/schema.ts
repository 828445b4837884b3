/**
 * A compact, declarative description of Kafka protocol messages, and the codec it drives.
 *
 * Each API is declared once (`defineApi`) with its request and response fields. A field says
 * from which version it exists (`since`/`until`), from which version it may be null
 * (`nullableSince`), and whether it is a tagged field (`tag`). The codec derives everything
 * else: classic vs compact encodings from the API's first flexible version, tagged-field
 * sections, defaults for fields the version does not carry. Decoded messages and the values
 * handlers encode are typed from the same declaration.
 *
 * Per (API, version) the field lists are compiled once and cached.
 */
import { ProtocolError } from './protocol-error.js';
import type { Reader } from './reader.js';
import { Writer } from './writer.js';

type Scalar = 'int8' | 'int16' | 'int32' | 'int64' | 'uint16' | 'uint32' | 'float64' | 'bool'
  | 'string' | 'bytes' | 'records' | 'uuid';

interface FieldOptions<T> {
  /** First version that carries the field (default 0). */
  since?: number;
  /** Last version that carries the field (default: all). */
  until?: number;
  /** Tagged field number; tagged fields live in the flexible tag section. */
  tag?: number;
  /** Value when the version lacks the field or a tagged field is absent. */
  default?: T;
}

interface NullableOptions<T> extends FieldOptions<T> {
  /** First version in which null is allowed (default 0). */
  nullableSince?: number;
}

export interface Field<T> {
  readonly kind: 'scalar' | 'array' | 'struct';
  readonly scalar?: Scalar;
  readonly element?: Field<unknown>;
  readonly fields?: Fields;
  readonly since: number;
  readonly until: number;
  readonly nullableSince: number;
  readonly tag?: number;
  readonly defaultValue: T;
  /** Phantom member carrying the decoded type. */
  readonly __type?: T;
}

export type Fields = Record<string, Field<unknown>>;

export type Infer<F> = F extends Field<infer T> ? T : never;
export type Struct<S extends Fields> = { [K in keyof S]: Infer<S[K]> };

/** What handlers may pass to the encoder: any field may be left out and gets its default. */
export type Encodable<T> = T extends Buffer ? T
  : T extends (infer E)[] ? Encodable<E>[]
    : T extends object ? { [K in keyof T]?: Encodable<T[K]> }
      : T;

const NEVER = Number.MAX_SAFE_INTEGER;

function scalar<T>(type: Scalar, fallback: T, opts: NullableOptions<T> = {}, nullable = false): Field<T> {
  return {
    kind: 'scalar',
    scalar: type,
    since: opts.since ?? 0,
    until: opts.until ?? NEVER,
    nullableSince: nullable ? (opts.nullableSince ?? 0) : NEVER,
    tag: opts.tag,
    defaultValue: opts.default !== undefined ? opts.default : fallback,
  };
}

export const int8 = (o?: FieldOptions<number>) => scalar<number>('int8', 0, o);
export const int16 = (o?: FieldOptions<number>) => scalar<number>('int16', 0, o);
export const int32 = (o?: FieldOptions<number>) => scalar<number>('int32', 0, o);
export const int64 = (o?: FieldOptions<number>) => scalar<number>('int64', 0, o);
export const uint16 = (o?: FieldOptions<number>) => scalar<number>('uint16', 0, o);
export const uint32 = (o?: FieldOptions<number>) => scalar<number>('uint32', 0, o);
export const float64 = (o?: FieldOptions<number>) => scalar<number>('float64', 0, o);
export const bool = (o?: FieldOptions<boolean>) => scalar<boolean>('bool', false, o);
export const string = (o?: FieldOptions<string>) => scalar<string>('string', '', o);
export const nullableString = (o?: NullableOptions<string | null>) =>
  scalar<string | null>('string', null, o, true);
export const bytes = (o?: FieldOptions<Buffer>) => scalar<Buffer>('bytes', Buffer.alloc(0), o);
export const nullableBytes = (o?: NullableOptions<Buffer | null>) =>
  scalar<Buffer | null>('bytes', null, o, true);
/** A RECORDS field: raw record-batch bytes, kept as a view of the frame. */
export const records = (o?: NullableOptions<Buffer | null>) =>
  scalar<Buffer | null>('records', null, o, true);
export const ZERO_UUID = 'AAAAAAAAAAAAAAAAAAAAAA';
export const uuid = (o?: FieldOptions<string>) => scalar<string>('uuid', ZERO_UUID, o);

/** An array of a scalar field (`array(int32())`) or of a struct (`array({ ... })`). */
export function array<E extends Field<unknown>>(element: E, opts?: FieldOptions<Infer<E>[]>): Field<Infer<E>[]>;
export function array<S extends Fields>(fields: S, opts?: FieldOptions<Struct<S>[]>): Field<Struct<S>[]>;
export function array(elementOrFields: Field<unknown> | Fields, opts: FieldOptions<unknown[]> = {}): Field<unknown[]> {
  return arrayField(elementOrFields, opts, false) as Field<unknown[]>;
}

export function nullableArray<E extends Field<unknown>>(element: E, opts?: NullableOptions<Infer<E>[] | null>): Field<Infer<E>[] | null>;
export function nullableArray<S extends Fields>(fields: S, opts?: NullableOptions<Struct<S>[] | null>): Field<Struct<S>[] | null>;
export function nullableArray(elementOrFields: Field<unknown> | Fields, opts: NullableOptions<unknown[] | null> = {}): Field<unknown[] | null> {
  return arrayField(elementOrFields, opts, true) as Field<unknown[] | null>;
}

function arrayField(elementOrFields: Field<unknown> | Fields, opts: NullableOptions<unknown>, nullable: boolean): Field<unknown> {
  const element = isField(elementOrFields) ? elementOrFields : struct(elementOrFields);
  return {
    kind: 'array',
    element,
    since: opts.since ?? 0,
    until: opts.until ?? NEVER,
    nullableSince: nullable ? (opts.nullableSince ?? 0) : NEVER,
    tag: opts.tag,
    defaultValue: opts.default !== undefined ? opts.default : nullable ? null : [],
  };
}

/** A nested struct field (not an array). */
export function struct<S extends Fields>(fields: S, opts: NullableOptions<Struct<S> | null> & { nullable?: boolean } = {}): Field<Struct<S>> {
  return {
    kind: 'struct',
    fields,
    since: opts.since ?? 0,
    until: opts.until ?? NEVER,
    nullableSince: opts.nullable ? (opts.nullableSince ?? 0) : NEVER,
    tag: opts.tag,
    defaultValue: (opts.default ?? null) as Struct<S>,
  };
}

function isField(x: Field<unknown> | Fields): x is Field<unknown> {
  return typeof (x as Field<unknown>).kind === 'string' && typeof (x as Field<unknown>).since === 'number';
}

interface CompiledStruct {
  names: string[];
  plain: [string, Field<unknown>][];
  tagged: [string, Field<unknown>][];
  absent: [string, Field<unknown>][];
}

/** Codec of one message (request or response body) across all versions of its API. */
export class MessageCodec<S extends Fields> {
  private readonly compiled = new Map<string, CompiledStruct>();

  constructor(readonly fields: S, readonly flexibleSince: number) {}

  isFlexible(version: number): boolean {
    return version >= this.flexibleSince;
  }

  decode(reader: Reader, version: number): Struct<S> {
    return this.readStruct(reader, this.fields, version, this.isFlexible(version)) as Struct<S>;
  }

  encode(writer: Writer, version: number, value: Encodable<Struct<S>>): Writer {
    this.writeStruct(writer, this.fields, version, this.isFlexible(version), value as Record<string, unknown>);
    return writer;
  }

  private compile(fields: Fields, version: number): CompiledStruct {
    const key = `${version}`;
    let cache = this.compiled;
    if (fields !== this.fields) {
      cache = structCaches.get(fields) ?? new Map();
      structCaches.set(fields, cache);
    }
    let c = cache.get(key);
    if (!c) {
      c = { names: Object.keys(fields), plain: [], tagged: [], absent: [] };
      for (const [name, f] of Object.entries(fields)) {
        if (version < f.since || version > f.until) c.absent.push([name, f]);
        else if (f.tag !== undefined) c.tagged.push([name, f]);
        else c.plain.push([name, f]);
      }
      c.tagged.sort((a, b) => a[1].tag! - b[1].tag!);
      cache.set(key, c);
    }
    return c;
  }

  private readStruct(r: Reader, fields: Fields, v: number, flex: boolean): Record<string, unknown> {
    const c = this.compile(fields, v);
    const out: Record<string, unknown> = {};
    for (const [name, f] of c.absent) out[name] = cloneDefault(f.defaultValue);
    for (const [name, f] of c.plain) out[name] = this.readField(r, f, v, flex);
    for (const [name, f] of c.tagged) out[name] = cloneDefault(f.defaultValue);
    if (flex) {
      const count = r.uvarint();
      for (let i = 0; i < count; i++) {
        const tag = r.uvarint();
        const size = r.uvarint();
        const known = c.tagged.find(([, f]) => f.tag === tag);
        if (!known) {
          r.raw(size);
          continue;
        }
        const end = r.offset + size;
        out[known[0]] = this.readField(r, known[1], v, flex);
        if (r.offset !== end) throw new ProtocolError(`tagged field ${tag} size mismatch`);
      }
    }
    return out;
  }

  private readField(r: Reader, f: Field<unknown>, v: number, flex: boolean): unknown {
    const nullable = v >= f.nullableSince;
    if (f.kind === 'array') {
      const n = r.arrayLength(flex);
      if (n < 0) {
        if (!nullable) throw new ProtocolError('null array where the version forbids it');
        return null;
      }
      const items = new Array(n);
      for (let i = 0; i < n; i++) items[i] = this.readField(r, f.element!, v, flex);
      return items;
    }
    if (f.kind === 'struct') {
      if (nullable && r.int8() < 0) return null;
      return this.readStruct(r, f.fields!, v, flex);
    }
    switch (f.scalar) {
      case 'int8': return r.int8();
      case 'int16': return r.int16();
      case 'int32': return r.int32();
      case 'int64': return r.int64();
      case 'uint16': return r.uint16();
      case 'uint32': return r.uint32();
      case 'float64': return r.float64();
      case 'bool': return r.bool();
      case 'uuid': return r.uuid();
      case 'string':
        if (flex) return nullable ? r.compactNullableString() : r.compactString();
        return nullable ? r.nullableString() : r.string();
      case 'bytes':
      case 'records':
        if (flex) return nullable ? r.compactNullableBytes() : r.compactBytes();
        return nullable ? r.nullableBytes() : r.bytes();
    }
    throw new ProtocolError(`unknown field type ${String(f.scalar)}`);
  }

  private writeStruct(w: Writer, fields: Fields, v: number, flex: boolean, value: Record<string, unknown> | null | undefined): void {
    const c = this.compile(fields, v);
    const obj = value ?? {};
    for (const [name, f] of c.plain) this.writeField(w, f, v, flex, obj[name], name);
    if (!flex) return;
    const present = c.tagged.filter(([name, f]) => obj[name] !== undefined && !isDefault(obj[name], f.defaultValue));
    w.uvarint(present.length);
    for (const [name, f] of present) {
      const inner = new Writer(64);
      this.writeField(inner, f, v, flex, obj[name], name);
      const bytes = inner.toBuffer();
      w.uvarint(f.tag!).uvarint(bytes.length).raw(bytes);
    }
  }

  private writeField(w: Writer, f: Field<unknown>, v: number, flex: boolean, value: unknown, name: string): void {
    const val = value === undefined ? f.defaultValue : value;
    const nullable = v >= f.nullableSince;
    if (val === null && !nullable && f.kind !== 'scalar') {
      throw new ProtocolError(`field ${name} cannot be null in version ${v}`);
    }
    if (f.kind === 'array') {
      const items = val as unknown[] | null;
      w.arrayLength(items === null ? null : items.length, flex);
      if (items) for (const item of items) this.writeField(w, f.element!, v, flex, item, name);
      return;
    }
    if (f.kind === 'struct') {
      if (nullable) {
        w.int8(val === null ? -1 : 1);
        if (val === null) return;
      }
      this.writeStruct(w, f.fields!, v, flex, val as Record<string, unknown>);
      return;
    }
    switch (f.scalar) {
      case 'int8': w.int8(val as number); return;
      case 'int16': w.int16(val as number); return;
      case 'int32': w.int32(val as number); return;
      case 'int64': w.int64(val as number); return;
      case 'uint16': w.uint16(val as number); return;
      case 'uint32': w.uint32(val as number); return;
      case 'float64': w.float64(val as number); return;
      case 'bool': w.bool(val as boolean); return;
      case 'uuid': w.uuid(val as string); return;
      case 'string': {
        const s = val as string | null;
        if (s === null && !nullable) throw new ProtocolError(`field ${name} cannot be null in version ${v}`);
        if (flex) w.compactNullableString(s);
        else w.nullableString(s);
        return;
      }
      case 'bytes':
      case 'records': {
        const b = val as Buffer | null;
        if (b === null && !nullable) throw new ProtocolError(`field ${name} cannot be null in version ${v}`);
        if (flex) w.compactNullableBytes(b);
        else w.nullableBytes(b);
        return;
      }
    }
  }
}

const structCaches = new WeakMap<Fields, Map<string, CompiledStruct>>();

function cloneDefault(v: unknown): unknown {
  return Array.isArray(v) ? [] : v;
}

function isDefault(value: unknown, defaultValue: unknown): boolean {
  if (value === defaultValue) return true;
  if (Array.isArray(value) && Array.isArray(defaultValue)) return value.length === 0 && defaultValue.length === 0;
  return false;
}

export interface ApiDefinition<Req extends Fields, Res extends Fields> {
  readonly key: number;
  readonly name: string;
  /** Versions this broker serves. */
  readonly minVersion: number;
  readonly maxVersion: number;
  /** Lowest version advertised in ApiVersions (may be below minVersion; see broker notes §2.2). */
  readonly advertisedMin: number;
  readonly flexibleSince: number;
  readonly request: MessageCodec<Req>;
  readonly response: MessageCodec<Res>;
}

export type RequestOf<A> = A extends ApiDefinition<infer Req, Fields> ? Struct<Req> : never;
export type ResponseOf<A> = A extends ApiDefinition<Fields, infer Res> ? Encodable<Struct<Res>> : never;
export type DecodedResponseOf<A> = A extends ApiDefinition<Fields, infer Res> ? Struct<Res> : never;

export function defineApi<Req extends Fields, Res extends Fields>(spec: {
  key: number;
  name: string;
  versions: [number, number];
  advertisedMin?: number;
  /** First flexible version; omit for an API with none in the served range. */
  flexibleSince?: number;
  request: Req;
  response: Res;
}): ApiDefinition<Req, Res> {
  const flexibleSince = spec.flexibleSince ?? NEVER;
  return {
    key: spec.key,
    name: spec.name,
    minVersion: spec.versions[0],
    maxVersion: spec.versions[1],
    advertisedMin: spec.advertisedMin ?? spec.versions[0],
    flexibleSince,
    request: new MessageCodec(spec.request, flexibleSince),
    response: new MessageCodec(spec.response, flexibleSince),
  };
}
