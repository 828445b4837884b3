/** The plugin descriptor of Confluent's S3 sink connector, as ferry implements it. */
import type { SinkConnectorPlugin } from '../../sdk/plugin.js';
import { S3_CONNECTORS_VERSION } from '../version.js';
import { s3SinkSpec } from './s3-sink-config.js';
import { S3SinkConnector } from './s3-sink-connector.js';
import { S3SinkTask } from './s3-sink-task.js';

export const s3SinkPlugin: SinkConnectorPlugin = Object.freeze({
  className: 'io.confluent.connect.s3.S3SinkConnector',
  aliases: Object.freeze(['S3Sink', 'S3SinkConnector']),
  kind: 'sink',
  version: S3_CONNECTORS_VERSION,
  taskClassName: 'io.confluent.connect.s3.S3SinkTask',
  configSpec: s3SinkSpec,
  createConnector: () => new S3SinkConnector(),
  createTask: () => new S3SinkTask(),
});
