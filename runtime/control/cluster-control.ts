/**
 * ClusterControl: the facade the REST API (and the CLI) calls to manage connectors. Every
 * method is async and either returns Kafka Connect's entity shapes or throws a RuntimeError
 * (runtime/errors.ts), which the API maps to Kafka Connect's status codes.
 *
 * Desired state (configs, target states) and observed state (statuses) are kept apart:
 * writes change the desired state; status reads show what the workers last reported.
 */
import type { ConfigInfos, ConfigKeyInfo } from '../config/config-spec.js';

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
}
