/** Kafka Connect REST shapes as ferry's worker answers them (see api/schemas/ on the server side). */

export type ConnectorType = 'source' | 'sink' | 'unknown';

/** UNASSIGNED, RUNNING, PAUSED, STOPPED (connector only), FAILED, RESTARTING. */
export type WorkerState = 'UNASSIGNED' | 'RUNNING' | 'PAUSED' | 'STOPPED' | 'FAILED' | 'RESTARTING' | 'DESTROYED';

export interface ServerInfo {
  version: string;
  commit: string;
  kafka_cluster_id: string;
}

export interface ConnectorTaskId {
  connector: string;
  task: number;
}

/** GET /connectors/{name}. */
export interface ConnectorInfo {
  name: string;
  config: Record<string, string>;
  tasks: ConnectorTaskId[];
  type: ConnectorType;
}

export interface ConnectorStateInfo {
  state: WorkerState;
  worker_id: string;
  trace?: string;
}

export interface TaskStatus {
  id: number;
  state: WorkerState;
  worker_id: string;
  trace?: string;
}

/** GET /connectors/{name}/status. */
export interface ConnectorStatus {
  name: string;
  connector: ConnectorStateInfo;
  tasks: TaskStatus[];
  type: ConnectorType;
}

/** One entry of GET /connectors?expand=status&expand=info, keyed by connector name. */
export interface ConnectorExpanded {
  status?: ConnectorStatus;
  info?: ConnectorInfo;
}

export type ConnectorsExpanded = Record<string, ConnectorExpanded>;

export type PluginType = 'source' | 'sink' | 'converter' | 'header_converter' | 'transformation' | 'predicate';

/** GET /connector-plugins entries. */
export interface PluginInfo {
  class: string;
  type: PluginType;
  version?: string;
}

export type ConfigType = 'BOOLEAN' | 'STRING' | 'INT' | 'SHORT' | 'LONG' | 'DOUBLE' | 'LIST' | 'CLASS' | 'PASSWORD';

/** A key's definition (GET /connector-plugins/{class}/config, and `definition` in validate answers). */
export interface ConfigKeyInfo {
  name: string;
  type: ConfigType;
  required: boolean;
  default_value: string | null;
  importance: 'HIGH' | 'MEDIUM' | 'LOW';
  documentation: string | null;
  group: string | null;
  order: number;
  width: 'NONE' | 'SHORT' | 'MEDIUM' | 'LONG';
  display_name: string;
  dependents: string[];
}

export interface ConfigValueInfo {
  name: string;
  value: string | null;
  recommended_values: string[];
  errors: string[];
  visible: boolean;
}

export interface ConfigInfo {
  /** null for keys the plugin does not declare. */
  definition: ConfigKeyInfo | null;
  value: ConfigValueInfo | null;
}

/** PUT /connector-plugins/{class}/config/validate. */
export interface ConfigInfos {
  name: string;
  error_count: number;
  groups: string[];
  configs: ConfigInfo[];
}

export interface ConnectorOffset {
  partition: Record<string, unknown>;
  offset: Record<string, unknown> | null;
}

/** GET /connectors/{name}/offsets. */
export interface ConnectorOffsets {
  offsets: ConnectorOffset[];
}

/** GET /connectors/{name}/topics. */
export type ConnectorTopics = Record<string, { topics: string[] }>;

/** Connect's error body. */
export interface ErrorMessage {
  error_code: number;
  message: string;
}
