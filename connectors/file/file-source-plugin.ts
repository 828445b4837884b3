/** The plugin descriptor of Kafka's FileStreamSourceConnector, as ferry implements it. */
import type { SourceConnectorPlugin } from '../sdk/plugin.js';
import { fileSourceSpec } from './file-source-config.js';
import { FileStreamSourceConnector } from './file-source-connector.js';
import { FileStreamSourceTask } from './file-source-task.js';
import { FILE_CONNECTORS_VERSION } from './version.js';

export const fileStreamSourcePlugin: SourceConnectorPlugin = Object.freeze({
  className: 'org.apache.kafka.connect.file.FileStreamSourceConnector',
  aliases: Object.freeze(['FileStreamSource', 'FileStreamSourceConnector']),
  kind: 'source',
  version: FILE_CONNECTORS_VERSION,
  taskClassName: 'org.apache.kafka.connect.file.FileStreamSourceTask',
  configSpec: fileSourceSpec,
  createConnector: () => new FileStreamSourceConnector(),
  createTask: () => new FileStreamSourceTask(),
});
