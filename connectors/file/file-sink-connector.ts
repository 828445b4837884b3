/**
 * Kafka's FileStreamSinkConnector: tasks.max identical task configs. Several tasks appending
 * to one file interleave whole put batches; Kafka allows it too, but one task is the sane choice.
 */
import type { Connector, ConnectorContext, RawConfig } from '../sdk/connector.js';
import { ConnectError } from '../sdk/errors.js';
import { fileSinkSpec } from './file-sink-config.js';

export class FileStreamSinkConnector implements Connector {
  #config: RawConfig | null = null;

  start(config: RawConfig, _context: ConnectorContext): void {
    fileSinkSpec.parse(config);
    this.#config = { ...config };
  }

  taskConfigs(maxTasks: number): RawConfig[] {
    const config = this.#config;
    if (config === null) throw new ConnectError('The file sink connector was asked for task configs before it started');
    return Array.from({ length: maxTasks }, () => ({ ...config }));
  }

  stop(): void {
    this.#config = null;
  }
}
