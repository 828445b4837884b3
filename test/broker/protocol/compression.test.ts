import { describe, expect, it } from 'vitest';
import { compressSync as rawSnappy } from 'snappy';
import { CompressionCodec } from '../../../broker/protocol/batch-header.js';
import {
  compress, decompress, DecompressionError, UnsupportedCompressionError,
} from '../../../broker/protocol/compression.js';

const XERIAL_MAGIC = [0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00];

function sample(n: number): Buffer {
  const buf = Buffer.allocUnsafe(n);
  for (let i = 0; i < n; i++) buf[i] = (i % 251) ^ (i >> 9);
  return buf;
}

/** A xerial stream as Java's SnappyOutputStream lays it out, framed by hand. */
function xerialFrame(blocks: Buffer[]): Buffer {
  const header = Buffer.alloc(16);
  Buffer.from(XERIAL_MAGIC).copy(header, 0);
  header.writeInt32BE(1, 8);
  header.writeInt32BE(1, 12);
  const parts: Buffer[] = [header];
  for (const block of blocks) {
    const packed = rawSnappy(block);
    const len = Buffer.alloc(4);
    len.writeInt32BE(packed.length, 0);
    parts.push(len, packed);
  }
  return Buffer.concat(parts);
}

describe('compression codecs', () => {
  const codecs = [CompressionCodec.Gzip, CompressionCodec.Snappy, CompressionCodec.Lz4, CompressionCodec.Zstd];

  it.each(codecs)('round-trips data through codec %i', (codec) => {
    for (const data of [Buffer.alloc(0), Buffer.from('x'), sample(200_000)]) {
      const packed = compress(codec, data);
      expect(decompress(codec, packed).equals(data)).toBe(true);
    }
  });

  it('passes data through untouched for codec none', () => {
    const data = sample(10);
    expect(compress(CompressionCodec.None, data)).toBe(data);
    expect(decompress(CompressionCodec.None, data)).toBe(data);
  });

  it('writes the standard stream formats other Kafka clients read', () => {
    const data = sample(1000);
    expect([...compress(CompressionCodec.Gzip, data).subarray(0, 2)]).toEqual([0x1f, 0x8b]);
    expect([...compress(CompressionCodec.Lz4, data).subarray(0, 4)]).toEqual([0x04, 0x22, 0x4d, 0x18]);
    expect([...compress(CompressionCodec.Zstd, data).subarray(0, 4)]).toEqual([0x28, 0xb5, 0x2f, 0xfd]);
  });

  it('writes snappy in the xerial framing with 32 KiB blocks', () => {
    const data = sample(80_000);
    const packed = compress(CompressionCodec.Snappy, data);
    expect([...packed.subarray(0, 8)]).toEqual(XERIAL_MAGIC);
    expect(packed.readInt32BE(8)).toBe(1);
    expect(packed.readInt32BE(12)).toBe(1);
    let at = 16;
    let blocks = 0;
    while (at < packed.length) {
      at += 4 + packed.readInt32BE(at);
      blocks++;
    }
    expect(at).toBe(packed.length);
    expect(blocks).toBe(3);
  });

  it('reads xerial-framed snappy made of several hand-framed blocks', () => {
    const blocks = [sample(32_768), Buffer.from('second block'), sample(5)];
    const framed = xerialFrame(blocks);
    expect(decompress(CompressionCodec.Snappy, framed).equals(Buffer.concat(blocks))).toBe(true);
  });

  it('reads raw, unframed snappy as librdkafka writes it', () => {
    const data = sample(50_000);
    expect(decompress(CompressionCodec.Snappy, rawSnappy(data)).equals(data)).toBe(true);
  });

  it('reports a truncated xerial block as a decompression error', () => {
    const framed = xerialFrame([sample(1000)]);
    expect(() => decompress(CompressionCodec.Snappy, framed.subarray(0, framed.length - 3))).toThrow(DecompressionError);
  });

  it.each(codecs)('reports garbage input for codec %i as a decompression error', (codec) => {
    expect(() => decompress(codec, Buffer.from('definitely not compressed data'))).toThrow(DecompressionError);
  });

  it('rejects codec ids 5 to 7 with an error carrying Kafka code 76', () => {
    for (const codec of [5, 6, 7] as unknown as CompressionCodec[]) {
      expect(() => compress(codec, sample(4))).toThrow(UnsupportedCompressionError);
      try {
        decompress(codec, sample(4));
        expect.unreachable();
      } catch (err) {
        expect(err).toBeInstanceOf(UnsupportedCompressionError);
        expect((err as UnsupportedCompressionError).kafkaCode).toBe(76);
      }
    }
  });
});
