/** ferry's file connectors: Kafka's FileStreamSource/FileStreamSink, with a tailing source. */
export { fileSinkSpec, type FileSinkConfig } from './file-sink-config.js';
export { FileStreamSinkConnector } from './file-sink-connector.js';
export { fileStreamSinkPlugin } from './file-sink-plugin.js';
export { FileStreamSinkTask, type FileStreamSinkTaskOptions } from './file-sink-task.js';
export { fileSourceSpec, type FileSourceConfig } from './file-source-config.js';
export { FileStreamSourceConnector } from './file-source-connector.js';
export { fileStreamSourcePlugin } from './file-source-plugin.js';
export { FileStreamSourceTask, type FileStreamSourceTaskOptions } from './file-source-task.js';
export { InvalidLineError } from './invalid-line-error.js';
export { FILE_CONNECTORS_VERSION } from './version.js';
