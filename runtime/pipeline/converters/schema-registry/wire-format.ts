/**
 * Confluent's wire format for registry-serialized keys and values: magic byte 0, the schema id as
 * a 4-byte big-endian signed int, then the payload. Null keys and values are never framed.
 */
export const MAGIC_BYTE = 0;
export const PREFIX_LENGTH = 5;

export interface Framed {
  readonly schemaId: number;
  readonly payload: Buffer;
}

/** The payload behind the 5-byte prefix naming `schemaId`. */
export function frame(schemaId: number, payload: Buffer): Buffer {
  const out = Buffer.allocUnsafe(PREFIX_LENGTH + payload.length);
  out[0] = MAGIC_BYTE;
  out.writeInt32BE(schemaId, 1);
  payload.copy(out, PREFIX_LENGTH);
  return out;
}

/** Why `bytes` are not framed, or null when they are. */
export function framingProblem(bytes: Buffer): string | null {
  if (bytes.length === 0) return 'Unknown magic byte! The data is empty, expected 0x00 and a 4-byte schema id';
  if (bytes[0] !== MAGIC_BYTE) {
    return `Unknown magic byte! The first byte is 0x${bytes[0]!.toString(16).padStart(2, '0')}, expected 0x00: `
      + 'the data was not written by a Schema Registry serializer or converter';
  }
  if (bytes.length < PREFIX_LENGTH) return `The data is ${bytes.length} bytes long, too short for the magic byte and a 4-byte schema id`;
  return null;
}

/** The schema id and payload of framed bytes; check `framingProblem` first. */
export function unframe(bytes: Buffer): Framed {
  return { schemaId: bytes.readInt32BE(1), payload: bytes.subarray(PREFIX_LENGTH) };
}
