/**
 * The block codecs of Avro object container files (`avro.codec`): null, deflate (raw RFC 1951
 * deflate, no zlib header) and snappy (a Snappy block followed by the big-endian CRC-32 of the
 * uncompressed bytes), as the Avro specification defines them. bzip2 and the others Confluent
 * lists need a compressor Node does not ship and are refused by name.
 */
import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib';
import { snappyUncompress } from 'hyparquet';
import { snappyCompress } from 'hyparquet-writer/src/snappy.js';
import { DataError } from '../../sdk/errors.js';

export const AVRO_CODECS = ['null', 'deflate', 'snappy'] as const;
export type AvroCodecName = typeof AVRO_CODECS[number];

export interface AvroCodec {
  readonly name: AvroCodecName;
  compress(block: Buffer): Buffer;
  decompress(block: Buffer): Buffer;
}

const CODECS: Readonly<Record<AvroCodecName, AvroCodec>> = {
  null: { name: 'null', compress: (b) => b, decompress: (b) => b },
  deflate: { name: 'deflate', compress: (b) => deflateRawSync(b), decompress: (b) => inflateRawSync(b) },
  snappy: {
    name: 'snappy',
    compress(block) {
      const compressed = snappyCompress(block);
      const out = Buffer.allocUnsafe(compressed.length + 4);
      out.set(compressed, 0);
      out.writeUInt32BE(crc32(block), compressed.length);
      return out;
    },
    decompress(block) {
      const body = block.subarray(0, block.length - 4);
      const out = Buffer.alloc(snappyLength(body));
      snappyUncompress(body, out);
      if (crc32(out) !== block.readUInt32BE(block.length - 4)) throw new DataError('An Avro snappy block fails its CRC-32 check; the file is damaged');
      return out;
    },
  },
};

/** The codec a file names (`avro.codec`, absent meaning null); DataError for one ferry cannot read. */
export function avroCodec(name: string): AvroCodec {
  const codec = (CODECS as Record<string, AvroCodec>)[name];
  if (codec === undefined) throw new DataError(`Avro codec "${name}" is not supported; ferry reads and writes ${AVRO_CODECS.join(', ')}`);
  return codec;
}

/** The uncompressed length a Snappy block starts with (a varint). */
function snappyLength(block: Buffer): number {
  let length = 0;
  for (let i = 0, shift = 0; i < 5 && i < block.length; i++, shift += 7) {
    const byte = block[i]!;
    length += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) return length;
  }
  throw new DataError('An Avro snappy block has no valid length');
}
