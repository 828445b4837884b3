/**
 * Confluent's S3SinkConnector: tasks.max identical task configs; the runtime's consumer group
 * spreads the topic partitions over the tasks, and every partition is written by one task.
 */
import type { Connector, ConnectorContext, RawConfig } from '../../sdk/connector.js';
import { ConnectError } from '../../sdk/errors.js';
import { s3SinkSpec } from './s3-sink-config.js';

export class S3SinkConnector implements Connector {
  #config: RawConfig | null = null;

  start(config: RawConfig, _context: ConnectorContext): void {
    s3SinkSpec.parse(config);
    this.#config = { ...config };
  }

  taskConfigs(maxTasks: number): RawConfig[] {
    const config = this.#config;
    if (config === null) throw new ConnectError('The S3 sink connector was asked for task configs before it started');
    return Array.from({ length: maxTasks }, () => ({ ...config }));
  }

  stop(): void {
    this.#config = null;
  }
}
