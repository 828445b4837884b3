/**
 * The Kafka Connect REST entities the CLI reads (reference: kafka-connect.md §1.3). Every field
 * is optional in practice: renderers must cope with workers of other versions leaving some out.
 */

export type ConnectorConfig = Record<string, unknown>;

export interface ConnectorInfo {
  name?: string;
  config?: ConnectorConfig;
  tasks?: { connector?: string; task?: number }[];
  type?: string;
}

export interface InstanceState {
  state?: string;
  worker_id?: string;
  trace?: string;
}

export interface TaskState extends InstanceState {
  id?: number;
}

export interface ConnectorStateInfo {
  name?: string;
  connector?: InstanceState;
  tasks?: TaskState[];
  type?: string;
}

/** One entry of `GET /connectors?expand=status&expand=info`. */
export interface ConnectorExpansion {
  status?: ConnectorStateInfo;
  info?: ConnectorInfo;
}

export interface ConnectorOffset {
  partition?: Record<string, unknown>;
  offset?: Record<string, unknown> | null;
}

export interface ConnectorOffsets {
  offsets?: ConnectorOffset[];
}

/** `POST /connectors` body. */
export interface CreateConnectorRequest {
  name: string;
  config: ConnectorConfig;
  initial_state?: string;
}
