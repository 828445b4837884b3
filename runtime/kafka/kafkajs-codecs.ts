/**
 * Registers snappy, lz4 and zstd with kafkajs (it ships only gzip), backed by the broker's own
 * codecs, so producers can compress with every compression.type and sink consumers can read
 * topics written with any codec. kafkajs keeps codecs in a process-wide table; registering
 * twice is harmless.
 */
import kafkajs from 'kafkajs';
import { CompressionCodec } from '../../broker/protocol/batch-header.js';
import { compress, decompress } from '../../broker/protocol/compression.js';
import type { Compression } from './client-settings.js';

const { CompressionCodecs, CompressionTypes } = kafkajs;

function codec(id: CompressionCodec) {
  return () => ({
    compress: async (encoder: { buffer: Buffer }) => compress(id, encoder.buffer),
    decompress: async (buffer: Buffer) => decompress(id, buffer),
  });
}

let registered = false;

export function registerKafkajsCodecs(): void {
  if (registered) return;
  registered = true;
  CompressionCodecs[CompressionTypes.Snappy] = codec(CompressionCodec.Snappy);
  CompressionCodecs[CompressionTypes.LZ4] = codec(CompressionCodec.Lz4);
  CompressionCodecs[CompressionTypes.ZSTD] = codec(CompressionCodec.Zstd);
}

export function kafkajsCompression(compression: Compression): kafkajs.CompressionTypes {
  switch (compression) {
    case 'none': return CompressionTypes.None;
    case 'gzip': return CompressionTypes.GZIP;
    case 'snappy': return CompressionTypes.Snappy;
    case 'lz4': return CompressionTypes.LZ4;
    case 'zstd': return CompressionTypes.ZSTD;
  }
}
