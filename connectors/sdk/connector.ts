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

export interface Connector {
  start(config: RawConfig, context: ConnectorContext): void | Promise<void>;
  taskConfigs(maxTasks: number): RawConfig[] | Promise<RawConfig[]>;
  stop(): void | Promise<void>;
  /** Rules that span several keys; single keys are checked by the plugin's config spec. */
  validate?(config: RawConfig): FieldIssue[];
}
