/**
 * The Protobuf message indexes Confluent's wire format puts between the schema id and the
 * Protobuf bytes: the path of the record's message inside the .proto file, each index the
 * position among the message declarations (enums skipped) at its nesting level.
 *
 * Encoding: a count, then the indexes, each a zig-zag varint (Kafka's ByteUtils.writeVarint); the
 * common path [0] (the first top-level message) is the single byte 0x00 (count 0). Reading accepts
 * both 0x00 and the long form 02 00 for [0].
 */
import { DataError } from '../../../../connectors/sdk/errors.js';

function writeVarint(value: number, out: number[]): void {
  let v = ((value << 1) ^ (value >> 31)) >>> 0;
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  out.push(v);
}

/** The bytes of a message-index path. */
export function encodeMessageIndexes(indexes: readonly number[]): Buffer {
  if (indexes.length === 1 && indexes[0] === 0) return Buffer.from([0]);
  const out: number[] = [];
  writeVarint(indexes.length, out);
  for (const i of indexes) writeVarint(i, out);
  return Buffer.from(out);
}

/** The message-index path at the start of `bytes`, and where the Protobuf payload begins. */
export function decodeMessageIndexes(bytes: Buffer): { readonly indexes: number[]; readonly offset: number } {
  let offset = 0;
  const readVarint = (): number => {
    let raw = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      if (offset >= bytes.length) throw new DataError('Invalid Protobuf message indexes: the data ends inside a varint');
      const b = bytes[offset++]!;
      raw |= (b & 0x7f) << shift;
      if ((b & 0x80) === 0) return (raw >>> 1) ^ -(raw & 1);
    }
    throw new DataError('Invalid Protobuf message indexes: a varint is longer than 5 bytes');
  };
  const count = readVarint();
  if (count === 0) return { indexes: [0], offset };
  if (count < 0 || count > bytes.length) throw new DataError(`Invalid Protobuf message indexes: count ${count}`);
  const indexes: number[] = [];
  for (let i = 0; i < count; i++) indexes.push(readVarint());
  return { indexes, offset };
}
