/** The plugin descriptor of the S3 source connector (Confluent's backup-and-restore mode), as ferry implements it. */
import type { SourceConnectorPlugin } from '../../sdk/plugin.js';
import { S3_CONNECTORS_VERSION } from '../version.js';
import { s3SourceSpec } from './s3-source-config.js';
import { S3SourceConnector } from './s3-source-connector.js';
import { S3SourceTask } from './s3-source-task.js';

export const s3SourcePlugin: SourceConnectorPlugin = Object.freeze({
  className: 'io.confluent.connect.s3.source.S3SourceConnector',
  aliases: Object.freeze(['S3Source', 'S3SourceConnector']),
  kind: 'source',
  version: S3_CONNECTORS_VERSION,
  taskClassName: 'io.confluent.connect.s3.source.S3SourceTask',
  configSpec: s3SourceSpec,
  createConnector: () => new S3SourceConnector(),
  createTask: () => new S3SourceTask(),
});
