/**
 * Debezium's MySqlConnector / MariaDbConnector: a binlog has one reader, so there is exactly one
 * task whatever tasks.max says, and it gets the connector's config unchanged (the runtime adds
 * task.class). Keys Debezium knows and ferry does not act on are logged once as ignored.
 */
import {
  ConnectorTransactionBoundaries, ExactlyOnceSupport, type Connector, type ConnectorContext, type RawConfig,
} from '../sdk/connector.js';
import { ConnectError } from '../sdk/errors.js';
import { ignoredKeys } from './ignored-keys.js';
import { mysqlSourceSpec } from './mysql-source-config.js';

export class MySqlSourceConnector implements Connector {
  #config: RawConfig | null = null;

  start(config: RawConfig, context: ConnectorContext): void {
    mysqlSourceSpec.parse(config);
    this.#config = { ...config };
    const ignored = ignoredKeys(config, new Set(mysqlSourceSpec.names));
    if (ignored.length > 0) {
      context.logger.warn({ ignored }, `These settings are not used by ferry's MySQL/MariaDB connector and are ignored: ${ignored.join(', ')}`);
    }
  }

  taskConfigs(_maxTasks: number): RawConfig[] {
    if (this.#config === null) throw new ConnectError('The MySQL connector was asked for task configs before it started');
    return [{ ...this.#config }];
  }

  stop(): void {
    this.#config = null;
  }

  // As Debezium's BinlogConnector: the offset (transaction start, GTIDs, events and rows to skip) resumes at the exact event.
  exactlyOnceSupport(_config: RawConfig): ExactlyOnceSupport {
    return ExactlyOnceSupport.SUPPORTED;
  }

  // Debezium keeps Kafka's default: the task never ends transactions itself (Debezium documents transaction.boundary=poll).
  canDefineTransactionBoundaries(_config: RawConfig): ConnectorTransactionBoundaries {
    return ConnectorTransactionBoundaries.UNSUPPORTED;
  }
}
