/**
 * The descriptor each bundled connector exports (replacing Kafka's class lookup): its
 * names, kind, version, config spec, and factories. runtime/plugins/builtin-plugins.ts lists
 * them all in one place.
 */
import type { ConfigFields, ConfigSpec } from './config/config-spec.js';
import type { Connector } from './connector.js';
import type { SinkTask } from './sink-task.js';
import type { SourceTask } from './source-task.js';

interface PluginBase {
  /** The Kafka-style class name users put in `connector.class`. */
  readonly className: string;
  /** Other names accepted in `connector.class` (short names). */
  readonly aliases: readonly string[];
  readonly version: string;
  /** The class name written as `task.class` in task configs. */
  readonly taskClassName: string;
  readonly configSpec: ConfigSpec<ConfigFields>;
  createConnector(): Connector;
}

export interface SourceConnectorPlugin extends PluginBase {
  readonly kind: 'source';
  createTask(): SourceTask;
}

export interface SinkConnectorPlugin extends PluginBase {
  readonly kind: 'sink';
  createTask(): SinkTask;
}

export type ConnectorPlugin = SourceConnectorPlugin | SinkConnectorPlugin;
