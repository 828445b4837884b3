/** Registers snappy, lz4 and zstd with kafkajs the way the runtime does, so tests can use every codec. */
import kafkajs from 'kafkajs';
import { registerKafkajsCodecs } from '../../runtime/kafka/kafkajs-codecs.js';

registerKafkajsCodecs();

export const { CompressionTypes } = kafkajs;
