import { describe, expect, it } from 'vitest';
import { ALL_APIS, type AnyApi } from '../../../../broker/protocol/apis/index.js';
import { Reader } from '../../../../broker/protocol/reader.js';
import type { Field, Fields, MessageCodec } from '../../../../broker/protocol/schema.js';
import { Writer } from '../../../../broker/protocol/writer.js';

/**
 * Builds a message value for one version from the declaration: every field the version carries
 * gets a distinct non-default value (so swapped or skipped fields show up), or null where the
 * `nulls` variant asks for it and the version allows it; fields the version lacks hold the
 * default the decoder fills in.
 */
class Sample {
  private n = 0;

  constructor(private readonly version: number, private readonly nulls: boolean) {}

  message(fields: Fields): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [name, f] of Object.entries(fields)) {
      const carried = this.version >= f.since && this.version <= f.until;
      out[name] = carried ? this.value(f) : Array.isArray(f.defaultValue) ? [] : f.defaultValue;
    }
    return out;
  }

  private value(f: Field<unknown>): unknown {
    if (this.nulls && this.version >= f.nullableSince) return null;
    const n = ++this.n;
    if (f.kind === 'array') return [this.value(f.element!), this.value(f.element!)];
    if (f.kind === 'struct') return this.message(f.fields!);
    const sign = n % 2 === 0 ? 1 : -1;
    switch (f.scalar) {
      case 'int8': return 1 + (n % 120);
      case 'int16': return sign * (1000 + n);
      case 'int32': return sign * (100_000 + n);
      case 'int64': return sign * (2 ** 40 + n);
      case 'uint16': return 40_000 + n;
      case 'uint32': return 3_000_000_000 + n;
      case 'float64': return n + 0.5;
      case 'bool': return f.defaultValue !== true;
      case 'string': return `s${n}-ü`;
      case 'bytes': return Buffer.from([n & 0xff, 0, 0xff]);
      case 'records': return Buffer.from([0, 0, 0, 0, 0, 0, 0, n & 0xff, 1, 2, 3]);
      case 'uuid': return Buffer.alloc(16, n & 0xff).toString('base64url');
    }
    throw new Error(`no sample for ${String(f.scalar)}`);
  }
}

function testedVersions(api: AnyApi): number[] {
  const versions = new Set([api.minVersion, api.maxVersion]);
  if (api.flexibleSince >= api.minVersion && api.flexibleSince <= api.maxVersion) versions.add(api.flexibleSince);
  return [...versions].sort((a, b) => a - b);
}

function roundTrip(codec: MessageCodec<Fields>, version: number, value: Record<string, unknown>): { decoded: unknown; left: number } {
  const bytes = codec.encode(new Writer(), version, value).toBuffer();
  const reader = new Reader(bytes);
  const decoded = codec.decode(reader, version);
  return { decoded, left: reader.remaining };
}

describe('protocol API declarations', () => {
  for (const api of ALL_APIS) {
    for (const version of testedVersions(api)) {
      const flexible = api.flexibleSince <= version ? 'flexible' : 'classic';
      it(`round-trips ${api.name} v${version} (${flexible}) requests and responses field for field`, () => {
        for (const [codec, side] of [[api.request, 'request'], [api.response, 'response']] as const) {
          const value = new Sample(version, false).message(codec.fields);
          const { decoded, left } = roundTrip(codec, version, value);
          expect(decoded, `${side} v${version}`).toEqual(value);
          expect(left, `${side} v${version} leaves no trailing bytes`).toBe(0);
        }
      });

      it(`round-trips ${api.name} v${version} with every field that may be null set to null`, () => {
        for (const codec of [api.request, api.response]) {
          const value = new Sample(version, true).message(codec.fields);
          const { decoded, left } = roundTrip(codec, version, value);
          expect(decoded).toEqual(value);
          expect(left).toBe(0);
        }
      });
    }
  }
});
