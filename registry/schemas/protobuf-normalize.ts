/**
 * Confluent's normalized form of a Protobuf schema (`normalize=true`), for the parts that change how
 * ordinary schemas are written:
 * - `syntax` only when proto3; imports (and public imports) sorted, repeats dropped;
 * - options sorted by name; aggregate option values with sorted keys and one-element lists unwrapped;
 *   numbers written plainly (at most three fraction digits, as Java's default DecimalFormat does);
 * - fields sorted by number; oneofs without fields dropped, their fields sorted, oneofs ordered by their
 *   first field's number; enum constants sorted by number then name; `reserved` and `extensions`
 *   split into one value each and sorted (a one-number range becomes that number);
 * - message and enum type names in fields, map values and rpcs written as resolved full names with a
 *   leading dot; map fields lose their label.
 * Not done (Confluent does): custom option names resolved and merged, extend blocks grouped by
 * resolved name. Type names that resolve to nothing known here (Confluent's well-known imports other
 * than google/protobuf) are kept as written; `google.protobuf.*` names resolve to themselves.
 */
import { declaredProtoTypes, resolveProtoTypeName } from './protobuf-names.js';
import { SCALAR_TYPES } from './protobuf-schema-model.js';
import type {
  ProtoEnum,
  ProtoField,
  ProtoFile,
  ProtoMessage,
  ProtoOneOf,
  ProtoOption,
  ProtoOptionValue,
  ProtoRanges,
  ProtoType,
} from './protobuf-schema-model.js';

export function normalizeProtoFile(file: ProtoFile, dependencies: ReadonlyMap<string, ProtoFile>): ProtoFile {
  const declared = declaredProtoTypes(file, dependencies);
  const packageName = file.packageName ?? '';
  const resolve = (type: string, scope: readonly string[]): string => {
    const full = resolveProtoTypeName(type, packageName, scope, (name) => declared.has(name) || name.startsWith('google.protobuf.'));
    return full === undefined ? type : `.${full}`;
  };

  const field = (f: ProtoField, scope: readonly string[]): ProtoField => {
    const defaultValue = f.defaultValue === undefined ? undefined : normalizedValue(f.defaultValue);
    const options = sortedOptions(f.options);
    if (f.type.startsWith('map<')) {
      const inner = f.type.slice(4, -1);
      const comma = inner.indexOf(',');
      const value = inner.slice(comma + 1).trim();
      const valueType = SCALAR_TYPES.has(value) ? value : resolve(value, scope);
      return { ...f, label: undefined, type: `map<${inner.slice(0, comma).trim()}, ${valueType}>`, options, defaultValue };
    }
    return { ...f, type: SCALAR_TYPES.has(f.type) ? f.type : resolve(f.type, scope), options, defaultValue };
  };

  const message = (m: ProtoMessage, outer: readonly string[]): ProtoMessage => {
    const scope = [...outer, m.name];
    const oneOfs: ProtoOneOf[] = m.oneOfs
      .filter((o) => o.fields.length > 0)
      .map((o) => ({ ...o, options: sortedOptions(o.options), fields: byTag(o.fields.map((f) => field(f, scope))) }))
      .sort((a, b) => a.fields[0]!.tag - b.fields[0]!.tag);
    return {
      ...m,
      reserveds: splitRanges(m.reserveds),
      options: sortedOptions(m.options),
      fields: byTag(m.fields.map((f) => field(f, scope))),
      oneOfs,
      extensions: splitRanges(m.extensions),
      extends: m.extends.map((e) => ({ name: resolve(e.name, scope), fields: byTag(e.fields.map((f) => field(f, scope))) })),
      nestedTypes: m.nestedTypes.map((t) => type(t, scope)),
    };
  };

  const enumType = (e: ProtoEnum): ProtoEnum => ({
    ...e,
    reserveds: splitRanges(e.reserveds),
    options: sortedOptions(e.options),
    constants: [...e.constants]
      .map((c) => ({ ...c, options: sortedOptions(c.options) }))
      .sort((a, b) => a.tag - b.tag || compareStrings(a.name, b.name)),
  });

  const type = (t: ProtoType, scope: readonly string[]): ProtoType => (t.kind === 'message' ? message(t, scope) : enumType(t));

  return {
    syntax: file.syntax === 'proto3' ? 'proto3' : undefined,
    packageName: file.packageName,
    imports: [...new Set(file.imports)].sort(compareStrings),
    publicImports: [...new Set(file.publicImports)].sort(compareStrings),
    options: sortedOptions(file.options),
    types: file.types.map((t) => type(t, [])),
    extends: file.extends.map((e) => ({ name: resolve(e.name, []), fields: byTag(e.fields.map((f) => field(f, []))) })),
    services: file.services.map((s) => ({
      ...s,
      options: sortedOptions(s.options),
      rpcs: s.rpcs.map((rpc) => ({
        ...rpc,
        requestType: resolve(rpc.requestType, []),
        responseType: resolve(rpc.responseType, []),
        options: sortedOptions(rpc.options),
      })),
    })),
  };
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function byTag(fields: readonly ProtoField[]): ProtoField[] {
  return [...fields].sort((a, b) => a.tag - b.tag);
}

function sortedOptions(options: readonly ProtoOption[]): ProtoOption[] {
  return options.map((o) => ({ name: o.name, value: normalizedValue(o.value) })).sort((a, b) => compareStrings(a.name, b.name));
}

function normalizedValue(value: ProtoOptionValue): ProtoOptionValue {
  switch (value.kind) {
    case 'number':
      return { kind: 'number', text: plainNumber(value.text) };
    case 'map':
      return {
        kind: 'map',
        entries: value.entries
          .filter(([, v]) => v.kind !== 'list' || v.items.length > 0)
          .map(([k, v]) => [k, v.kind === 'list' && v.items.length === 1 ? normalizedValue(v.items[0]!) : normalizedValue(v)] as const)
          .sort((a, b) => compareStrings(a[0], b[0])),
      };
    case 'list':
      return { kind: 'list', items: value.items.map(normalizedValue) };
    default:
      return value;
  }
}

/** A number as Java's default `DecimalFormat` without grouping prints it (three fraction digits, half-even). */
function plainNumber(text: string): string {
  const negative = text.startsWith('-');
  const body = negative ? text.slice(1) : text;
  if (/^0[xX][0-9a-fA-F]+$/.test(body)) return `${negative ? '-' : ''}${BigInt(body).toString()}`;
  if (/^\d+$/.test(body)) return `${negative ? '-' : ''}${BigInt(body).toString()}`;
  const value = Number(body.replace(/[fF]$/, ''));
  if (!Number.isFinite(value)) return text;
  const scaled = value * 1000;
  const floor = Math.floor(scaled);
  const diff = scaled - floor;
  const rounded = diff > 0.5 || (diff === 0.5 && floor % 2 === 1) ? floor + 1 : floor;
  const result = (rounded / 1000).toFixed(3).replace(/\.?0+$/, '');
  return `${negative && rounded !== 0 ? '-' : ''}${result}`;
}

function splitRanges(ranges: readonly ProtoRanges[]): ProtoRanges[] {
  const single = ranges.flatMap((r) =>
    r.values.map((value) => ({
      values: [typeof value === 'object' && value.end !== 'max' && value.start === value.end ? value.start : value],
      options: r.options,
    })),
  );
  const start = (r: ProtoRanges): number => {
    const value = r.values[0]!;
    return typeof value === 'number' ? value : typeof value === 'object' ? value.start : Number.MAX_SAFE_INTEGER;
  };
  const label = (r: ProtoRanges): string => {
    const value = r.values[0]!;
    return typeof value === 'object' ? `${value.start}..${value.end}` : String(value);
  };
  return single.sort((a, b) => start(a) - start(b) || compareStrings(label(a), label(b)));
}
