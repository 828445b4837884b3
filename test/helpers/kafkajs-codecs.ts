/**
 * Registers snappy, lz4 and zstd with kafkajs (it ships only gzip), backed by the broker's
 * own codecs, so tests can produce and consume every compression type with kafkajs.
 */
import kafkajs from 'kafkajs';
import { compress, decompress } from '../../broker/protocol/compression.js';
import { CompressionCodec } from '../../broker/protocol/batch-header.js';

const { CompressionCodecs, CompressionTypes } = kafkajs;

function codec(id: CompressionCodec) {
  return () => ({
    compress: async (encoder: { buffer: Buffer }) => compress(id, encoder.buffer),
    decompress: async (buffer: Buffer) => decompress(id, buffer),
  });
}

CompressionCodecs[CompressionTypes.Snappy] = codec(CompressionCodec.Snappy);
CompressionCodecs[CompressionTypes.LZ4] = codec(CompressionCodec.Lz4);
CompressionCodecs[CompressionTypes.ZSTD] = codec(CompressionCodec.Zstd);

export { CompressionTypes };
