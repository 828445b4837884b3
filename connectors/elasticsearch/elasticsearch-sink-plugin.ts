/** The plugin descriptor of Confluent's Elasticsearch sink connector, as ferry implements it. */
import type { SinkConnectorPlugin } from '../sdk/plugin.js';
import { elasticsearchSinkSpec } from './elasticsearch-sink-config.js';
import { ElasticsearchSinkConnector } from './elasticsearch-sink-connector.js';
import { ElasticsearchSinkTask } from './elasticsearch-sink-task.js';
import { ELASTICSEARCH_CONNECTOR_VERSION } from './version.js';

export const elasticsearchSinkPlugin: SinkConnectorPlugin = Object.freeze({
  className: 'io.confluent.connect.elasticsearch.ElasticsearchSinkConnector',
  aliases: Object.freeze(['ElasticsearchSink', 'ElasticsearchSinkConnector']),
  kind: 'sink',
  version: ELASTICSEARCH_CONNECTOR_VERSION,
  taskClassName: 'io.confluent.connect.elasticsearch.ElasticsearchSinkTask',
  configSpec: elasticsearchSinkSpec,
  createConnector: () => new ElasticsearchSinkConnector(),
  createTask: () => new ElasticsearchSinkTask(),
});
