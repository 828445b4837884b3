/**
 * Confluent's ElasticsearchSinkConnector: tasks.max identical task configs; the consumer group
 * spreads the topic partitions over the tasks.
 */
import type { Connector, ConnectorContext, RawConfig } from '../sdk/connector.js';
import { ConnectError } from '../sdk/errors.js';
import { elasticsearchSinkSpec } from './elasticsearch-sink-config.js';

export class ElasticsearchSinkConnector implements Connector {
  #config: RawConfig | null = null;

  start(config: RawConfig, _context: ConnectorContext): void {
    elasticsearchSinkSpec.parse(config);
    this.#config = { ...config };
  }

  taskConfigs(maxTasks: number): RawConfig[] {
    const config = this.#config;
    if (config === null) throw new ConnectError('The Elasticsearch sink connector was asked for task configs before it started');
    return Array.from({ length: maxTasks }, () => ({ ...config }));
  }

  stop(): void {
    this.#config = null;
  }
}
