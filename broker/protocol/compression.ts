/**
 * The four record-batch codecs (broker notes §3.5), synchronous.
 *
 * Snappy has two framings on the wire: raw snappy (librdkafka) and the xerial stream Java
 * clients write (magic, version, compatible version, then {int32 length, raw block}*).
 * `decompress` accepts both; `compress` writes xerial, which Java, librdkafka and kafkajs's
 * snappy codec all read.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { compressSync as snappyCompress, uncompressSync as snappyUncompress } from 'snappy';
import { compressFrameSync as lz4Compress, decompressFrameSync as lz4Decompress } from 'lz4-napi';
import { compress as zstdCompress, decompress as zstdDecompress } from 'zstd-napi';
import { CompressionCodec } from './batch-header.js';

/** A codec id outside 0–4. Kafka answers 76 UNSUPPORTED_COMPRESSION_TYPE. */
export class UnsupportedCompressionError extends Error {
  override readonly name = 'UnsupportedCompressionError';
  readonly kafkaCode = 76;
  constructor(readonly codec: number) {
    super(`unsupported compression codec ${codec}`);
  }
}

/** Compressed bytes the codec cannot decode. Kafka answers 2 CORRUPT_MESSAGE. */
export class DecompressionError extends Error {
  override readonly name = 'DecompressionError';
  readonly kafkaCode = 2;
}

const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);
const XERIAL_HEADER_SIZE = 16;
const XERIAL_VERSION = 1;
const XERIAL_COMPATIBLE_VERSION = 1;
const XERIAL_BLOCK_SIZE = 32 * 1024;

export function compress(codec: CompressionCodec, data: Buffer): Buffer {
  switch (codec) {
    case CompressionCodec.None: return data;
    case CompressionCodec.Gzip: return gzipSync(data);
    case CompressionCodec.Snappy: return xerialCompress(data);
    case CompressionCodec.Lz4: return lz4Compress(data);
    case CompressionCodec.Zstd: return zstdCompress(data);
    default: throw new UnsupportedCompressionError(codec);
  }
}

export function decompress(codec: CompressionCodec, data: Buffer): Buffer {
  if (codec === CompressionCodec.None) return data;
  if (!(codec >= CompressionCodec.Gzip && codec <= CompressionCodec.Zstd)) {
    throw new UnsupportedCompressionError(codec);
  }
  try {
    switch (codec) {
      case CompressionCodec.Gzip: return gunzipSync(data);
      case CompressionCodec.Snappy: return isXerial(data) ? xerialDecompress(data) : snappyRaw(data);
      case CompressionCodec.Lz4: return lz4Decompress(data);
      case CompressionCodec.Zstd: return zstdDecompress(data);
    }
  } catch (err) {
    if (err instanceof DecompressionError) throw err;
    throw new DecompressionError(`cannot decompress ${CompressionCodec[codec]} data: ${(err as Error).message}`, { cause: err });
  }
}

function snappyRaw(block: Buffer): Buffer {
  return snappyUncompress(block, { asBuffer: true }) as Buffer;
}

function isXerial(data: Buffer): boolean {
  return data.length >= XERIAL_HEADER_SIZE && data.compare(XERIAL_MAGIC, 0, 8, 0, 8) === 0;
}

function xerialCompress(data: Buffer): Buffer {
  const parts: Buffer[] = [];
  const header = Buffer.alloc(XERIAL_HEADER_SIZE);
  XERIAL_MAGIC.copy(header, 0);
  header.writeInt32BE(XERIAL_VERSION, 8);
  header.writeInt32BE(XERIAL_COMPATIBLE_VERSION, 12);
  parts.push(header);
  let total = XERIAL_HEADER_SIZE;
  for (let at = 0; at < data.length; at += XERIAL_BLOCK_SIZE) {
    const block = snappyCompress(data.subarray(at, Math.min(at + XERIAL_BLOCK_SIZE, data.length)));
    const len = Buffer.allocUnsafe(4);
    len.writeInt32BE(block.length, 0);
    parts.push(len, block);
    total += 4 + block.length;
  }
  return Buffer.concat(parts, total);
}

function xerialDecompress(data: Buffer): Buffer {
  const parts: Buffer[] = [];
  let total = 0;
  let at = XERIAL_HEADER_SIZE;
  while (at < data.length) {
    if (at + 4 > data.length) throw new DecompressionError('xerial snappy stream ends inside a block length');
    const len = data.readInt32BE(at);
    at += 4;
    if (len < 0 || at + len > data.length) {
      throw new DecompressionError(`xerial snappy block of ${len} bytes overruns the stream`);
    }
    const block = snappyRaw(data.subarray(at, at + len));
    parts.push(block);
    total += block.length;
    at += len;
  }
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts, total);
}
