/** The plugin descriptor of Kafka's FileStreamSinkConnector, as ferry implements it. */
import type { SinkConnectorPlugin } from '../sdk/plugin.js';
import { fileSinkSpec } from './file-sink-config.js';
import { FileStreamSinkConnector } from './file-sink-connector.js';
import { FileStreamSinkTask } from './file-sink-task.js';
import { FILE_CONNECTORS_VERSION } from './version.js';

export const fileStreamSinkPlugin: SinkConnectorPlugin = Object.freeze({
  className: 'org.apache.kafka.connect.file.FileStreamSinkConnector',
  aliases: Object.freeze(['FileStreamSink', 'FileStreamSinkConnector']),
  kind: 'sink',
  version: FILE_CONNECTORS_VERSION,
  taskClassName: 'org.apache.kafka.connect.file.FileStreamSinkTask',
  configSpec: fileSinkSpec,
  createConnector: () => new FileStreamSinkConnector(),
  createTask: () => new FileStreamSinkTask(),
});
