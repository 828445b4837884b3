/**
 * Registers snappy, lz4 and zstd with kafkajs (it ships only gzip), backed by the broker's own
 * codecs, so tests' kafkajs producers can compress with every codec and their consumers read
 * topics written with any. kafkajs keeps codecs in a process-wide table: importing this module
 * registers them once. Ferry itself uses no kafkajs; only tests' reference clients do.
 */
import kafkajs from 'kafkajs';
import { CompressionCodec } from '../../broker/protocol/batch-header.js';
import { compress, decompress } from '../../broker/protocol/compression.js';

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
