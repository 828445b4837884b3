/**
 * A connector (Kafka's Connector): it reads its config, decides how work splits into tasks,
 * and can ask the runtime to recompute task configs when its world changes.
 *
 * Calling rules: `start` once, then `taskConfigs` any number of times, then `stop` once.
 * Configs are the raw string maps Kafka Connect stores; a connector parses them with its
 * plugin's config spec. Task configs must be string maps too: they are written to the config
 * topic verbatim.
 */
import type { FieldIssue } from './config/config-spec.js';
import type { KafkaClusters } from './kafka-clusters.js';
import type { TaskLogger } from './task-logger.js';

export type RawConfig = Readonly<Record<string, string>>;

export interface ConnectorContext {
  /** Ask the runtime to call `taskConfigs` again and roll out the result. */
  requestTaskReconfiguration(): void;
  /** Report a failure found in the background; the connector becomes FAILED. */
  raiseError(error: Error): void;
  readonly logger: TaskLogger;
  /** Clients for other Kafka clusters; the runtime closes what the connector left open when it stops. */
  readonly kafka: KafkaClusters;
}

/** What a source connector says of exactly-once delivery with a given config (Kafka's ExactlyOnceSupport). */
export const ExactlyOnceSupport = { SUPPORTED: 'SUPPORTED', UNSUPPORTED: 'UNSUPPORTED' } as const;
export type ExactlyOnceSupport = typeof ExactlyOnceSupport[keyof typeof ExactlyOnceSupport];

/** Whether a source connector can define its own transaction boundaries (Kafka's ConnectorTransactionBoundaries). */
export const ConnectorTransactionBoundaries = { SUPPORTED: 'SUPPORTED', UNSUPPORTED: 'UNSUPPORTED' } as const;
export type ConnectorTransactionBoundaries = typeof ConnectorTransactionBoundaries[keyof typeof ConnectorTransactionBoundaries];

export interface Connector {
  start(config: RawConfig, context: ConnectorContext): void | Promise<void>;
  taskConfigs(maxTasks: number): RawConfig[] | Promise<RawConfig[]>;
  stop(): void | Promise<void>;
  /** Rules that span several keys; single keys are checked by the plugin's config spec. */
  validate?(config: RawConfig): FieldIssue[];
  /**
   * Source connectors (Kafka's SourceConnector.exactlyOnceSupport): whether the connector's
   * tasks can deliver exactly once with this config, i.e. they re-read exactly from the source
   * offsets they wrote. Called on a connector that was not started, during validation, when
   * `exactly.once.support=required`. Absent or null: the connector does not say, so `required`
   * is refused and `requested` accepted.
   */
  exactlyOnceSupport?(config: RawConfig): ExactlyOnceSupport | null;
  /**
   * Source connectors (Kafka's SourceConnector.canDefineTransactionBoundaries): whether its
   * tasks use SourceTaskContext.transactionContext to end transactions, so that
   * `transaction.boundary=connector` can be set. Called like exactlyOnceSupport; absent means
   * UNSUPPORTED.
   */
  canDefineTransactionBoundaries?(config: RawConfig): ConnectorTransactionBoundaries;
}
