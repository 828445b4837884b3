/**
 * Kafka's FileStreamSourceConnector: one file has one reader, so there is exactly one task
 * whatever tasks.max says. The task gets the connector's config unchanged (the runtime adds
 * task.class).
 *
 * Exactly-once (KIP-618), as Kafka's connector answers: SUPPORTED when it reads a file, whose
 * source offset is the exact position after the last line sent; UNSUPPORTED for standard input,
 * whose position is not tracked. It never ends transactions itself.
 */
import {
  ConnectorTransactionBoundaries, ExactlyOnceSupport, type Connector, type ConnectorContext, type RawConfig,
} from '../sdk/connector.js';
import { ConnectError } from '../sdk/errors.js';
import { fileSourceSpec } from './file-source-config.js';

export class FileStreamSourceConnector implements Connector {
  #config: RawConfig | null = null;

  start(config: RawConfig, _context: ConnectorContext): void {
    fileSourceSpec.parse(config);
    this.#config = { ...config };
  }

  taskConfigs(_maxTasks: number): RawConfig[] {
    if (this.#config === null) throw new ConnectError('The file source connector was asked for task configs before it started');
    return [{ ...this.#config }];
  }

  stop(): void {
    this.#config = null;
  }

  exactlyOnceSupport(config: RawConfig): ExactlyOnceSupport {
    const file = config['file'];
    return file === undefined || file === '' ? ExactlyOnceSupport.UNSUPPORTED : ExactlyOnceSupport.SUPPORTED;
  }

  canDefineTransactionBoundaries(_config: RawConfig): ConnectorTransactionBoundaries {
    return ConnectorTransactionBoundaries.UNSUPPORTED;
  }
}
