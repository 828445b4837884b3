/** The S3 connectors' plugin descriptors. */
export { s3SinkPlugin } from './sink/s3-sink-plugin.js';
