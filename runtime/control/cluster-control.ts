/**
 * ClusterControl: the facade the REST API (and the CLI) calls to manage connectors. Every
 * method is async and either returns Kafka Connect's entity shapes or throws a RuntimeError
 * (runtime/errors.ts), which the API maps to Kafka Connect's status codes.
 *
 * Desired state (configs, target states) and observed state (statuses) are kept apart:
 * writes change the desired state; status reads show what the workers last reported.
 */
import type { ConfigInfos, ConfigKeyInfo } from '../../connectors/sdk/config/config-spec.js';
import type { ConnectorReplication } from './monitoring/mirror-replication.js';
import type { ConnectorLag } from './monitoring/sink-lag.js';

export type { CheckpointEntry, ConnectorReplication, ReplicatedPartition, ReplicatedTopic } from './monitoring/mirror-replication.js';
export type { ConnectorLag, PartitionLag } from './monitoring/sink-lag.js';

export type ConnectorType = 'source' | 'sink' | 'unknown';
export type TargetState = 'STARTED' | 'PAUSED' | 'STOPPED';
export type InitialState = 'RUNNING' | 'PAUSED' | 'STOPPED';
export type ConnectorConfigMap = Record<string, string>;

export interface ServerInfo {
  version: string;
  commit: string;
  kafka_cluster_id: string;
}

export interface ConnectorTaskId {
  connector: string;
  task: number;
}

export interface ConnectorInfo {
  name: string;
  config: ConnectorConfigMap;
  tasks: ConnectorTaskId[];
  type: ConnectorType;
}

export interface InstanceState {
  state: string;
  worker_id: string;
  trace?: string;
}

export interface TaskState extends InstanceState {
  id: number;
}

export interface ConnectorStateInfo {
  name: string;
  connector: InstanceState;
  tasks: TaskState[];
  type: ConnectorType;
}

export interface TaskInfo {
  id: ConnectorTaskId;
  config: ConnectorConfigMap;
}

export interface PluginInfo {
  class: string;
  type: 'source' | 'sink' | 'converter' | 'header_converter' | 'transformation' | 'predicate';
  version?: string;
}

export interface RestartOptions {
  includeTasks: boolean;
  onlyFailed: boolean;
}

/**
 * One entry of ConnectorOffsets (KIP-875). Sink connectors: partition
 * `{kafka_topic, kafka_partition}`, offset `{kafka_offset}`. Source connectors: the maps the
 * connector chose. A null offset (in a PATCH) removes the stored offset.
 */
export interface ConnectorOffset {
  partition: Record<string, unknown>;
  offset: Record<string, unknown> | null;
}

export interface ConnectorOffsets {
  offsets: ConnectorOffset[];
}

/** An entry of a PATCH body as received: the partition may be missing or null (a 400 for sinks). */
export interface ConnectorOffsetInput {
  partition?: Record<string, unknown> | null;
  offset?: Record<string, unknown> | null;
}

export interface Message {
  message: string;
}

export interface LoggerLevel {
  /** log4j level name: OFF, FATAL, ERROR, WARN, INFO, DEBUG, TRACE or ALL. */
  level: string;
  /** Epoch ms of the last change through the API on this worker. */
  last_modified: number | null;
}

export type WorkerHealth = 'healthy' | 'starting' | 'unhealthy';

export interface WorkerStatus {
  status: WorkerHealth;
  message: string;
}

export interface ClusterControl {
  serverInfo(): Promise<ServerInfo>;
  listConnectors(): Promise<string[]>;
  connectorInfo(name: string): Promise<ConnectorInfo>;
  connectorConfig(name: string): Promise<ConnectorConfigMap>;
  /** Throws ConnectorExistsError (409), ConfigInvalidError (400), PluginNotFoundError (500). */
  createConnector(name: string, config: ConnectorConfigMap, initialState?: InitialState): Promise<ConnectorInfo>;
  /** Upsert: `created` tells 201 from 200. */
  putConnectorConfig(name: string, config: ConnectorConfigMap): Promise<{ created: boolean; info: ConnectorInfo }>;
  /** Merge: a null value removes the key. */
  patchConnectorConfig(name: string, patch: Record<string, string | null>): Promise<ConnectorInfo>;
  deleteConnector(name: string): Promise<void>;
  connectorStatus(name: string): Promise<ConnectorStateInfo>;
  taskStatus(name: string, task: number): Promise<TaskState>;
  taskInfos(name: string): Promise<TaskInfo[]>;
  pauseConnector(name: string): Promise<void>;
  resumeConnector(name: string): Promise<void>;
  stopConnector(name: string): Promise<void>;
  /** Returns null for the legacy restart (204), else the preview state with RESTARTING (202). */
  restartConnector(name: string, options: RestartOptions): Promise<ConnectorStateInfo | null>;
  restartTask(name: string, task: number): Promise<void>;
  connectorPlugins(connectorsOnly: boolean): Promise<PluginInfo[]>;
  /** Throws PluginNotFoundError(404) for an unknown plugin. */
  pluginConfig(plugin: string): Promise<ConfigKeyInfo[]>;
  validateConfig(plugin: string | null, config: Record<string, string | null>): Promise<ConfigInfos>;
  /** Deprecated endpoint's shape: task configs keyed `{c}-{n}`, in task order. */
  taskConfigs(name: string): Promise<Record<string, ConnectorConfigMap>>;
  /** Topics the connector's tasks used since the last reset; empty (not 404) for an unknown connector. */
  connectorActiveTopics(name: string): Promise<string[]>;
  resetConnectorActiveTopics(name: string): Promise<void>;
  /** Throws ConnectorNotFoundError (404). */
  connectorOffsets(name: string): Promise<ConnectorOffsets>;
  /** The connector must be STOPPED (BadRequestError otherwise); malformed sink partitions are BadRequestErrors too. */
  alterConnectorOffsets(name: string, offsets: readonly ConnectorOffsetInput[]): Promise<Message>;
  resetConnectorOffsets(name: string): Promise<Message>;
  /** Every known logger with its level, keyed by name, `root` included. */
  loggerLevels(): Promise<Record<string, LoggerLevel>>;
  /** null when no logger of that name exists. */
  loggerLevel(name: string): Promise<LoggerLevel | null>;
  /** Sets the level of the namespace and every logger under it on this worker; returns their names, sorted. */
  setWorkerLoggerLevel(namespace: string, level: string): Promise<string[]>;
  /** Writes the level to the config topic; every worker applies it when it reads it back. */
  setClusterLoggerLevel(namespace: string, level: string): Promise<void>;
  /** healthy once started and the worker's command queue answers; unhealthy when it does not within 10 s. */
  health(): Promise<WorkerStatus>;
  /**
   * Zombie fencing for an exactly-once source connector (PUT /connectors/{c}/fence, internal):
   * the leader fences the producers of the connector's previous task generation and writes its
   * task-count record. Throws ConnectorNotFoundError (404), BadRequestError for a sink (400),
   * RebalanceInProgressError when newer task configs arrived meanwhile (409), NotLeaderError
   * on a worker that cannot reach the leader.
   */
  fenceZombies(name: string): Promise<void>;
  /**
   * Task configs a follower's connector generated, written by the leader (POST
   * /connectors/{c}/tasks, internal): with exactly-once source support (preparing or enabled)
   * only the leader writes the config topic. Throws ConnectorNotFoundError (404), NotLeaderError
   * on a follower.
   */
  putTaskConfigs(name: string, configs: readonly ConnectorConfigMap[]): Promise<void>;
  /**
   * ferry extension (GET /connectors/{c}/lag): a sink connector's consumer lag per partition,
   * read from Kafka; a connector that is not a sink answers with its type and no partitions.
   * Throws ConnectorNotFoundError (404).
   */
  connectorLag(name: string): Promise<ConnectorLag>;
  /**
   * ferry extension (GET /connectors/{c}/replication): a MirrorMaker connector's flow,
   * replicated topics with their replication lag, or latest checkpoints. Throws
   * ConnectorNotFoundError (404), BadRequestError (400) for other connectors.
   */
  connectorReplication(name: string): Promise<ConnectorReplication>;
}
