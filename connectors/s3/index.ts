/** The S3 connectors' plugin descriptors. */
export { s3SinkPlugin } from './sink/s3-sink-plugin.js';
export { s3SourcePlugin } from './source/s3-source-plugin.js';
