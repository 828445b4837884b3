/**
 * An immutable view of the config topic as read up to `offset` (Kafka's ClusterConfigState).
 * Holds desired state only: what the user configured and asked for, never what is running.
 */
import type { PropertyMap, SessionKey, TargetState } from './topic/config-records.js';
import type { TaskId } from './task-id.js';

export interface ClusterConfigSnapshotData {
  /** Offset of the next config record to read: Kafka's `config-offset` in group metadata; -1 before any record. */
  readonly offset: number;
  readonly connectorConfigs: ReadonlyMap<string, PropertyMap>;
  readonly targetStates: ReadonlyMap<string, TargetState>;
  readonly taskCounts: ReadonlyMap<string, number>;
  /** Committed task configs by connector and task index; inner maps are never mutated. */
  readonly taskConfigs: ReadonlyMap<string, ReadonlyMap<number, PropertyMap>>;
  readonly inconsistentConnectors: ReadonlySet<string>;
  readonly appliedConnectorConfigs: ReadonlyMap<string, PropertyMap>;
  readonly taskCountRecords: ReadonlyMap<string, number>;
  /** Complete task-config sets applied per connector, counted from 0. */
  readonly taskConfigGenerations: ReadonlyMap<string, number>;
  /** Connectors with a commit record after their latest task-count record. */
  readonly connectorsPendingFencing: ReadonlySet<string>;
  readonly sessionKey: SessionKey | undefined;
}

const NO_TASK_CONFIGS: ReadonlyMap<number, PropertyMap> = new Map();

export class ClusterConfigSnapshot {
  static readonly EMPTY = new ClusterConfigSnapshot({
    offset: -1,
    connectorConfigs: new Map(),
    targetStates: new Map(),
    taskCounts: new Map(),
    taskConfigs: new Map(),
    inconsistentConnectors: new Set(),
    appliedConnectorConfigs: new Map(),
    taskCountRecords: new Map(),
    taskConfigGenerations: new Map(),
    connectorsPendingFencing: new Set(),
    sessionKey: undefined,
  });

  readonly #data: ClusterConfigSnapshotData;

  constructor(data: ClusterConfigSnapshotData) {
    this.#data = data;
  }

  get offset(): number {
    return this.#data.offset;
  }

  get sessionKey(): SessionKey | undefined {
    return this.#data.sessionKey;
  }

  connectors(): string[] {
    return [...this.#data.connectorConfigs.keys()];
  }

  contains(connector: string): boolean {
    return this.#data.connectorConfigs.has(connector);
  }

  /** The raw config, with `${provider:…}` placeholders unresolved. */
  connectorConfig(connector: string): PropertyMap | undefined {
    return this.#data.connectorConfigs.get(connector);
  }

  /** STARTED when no target state was ever written for the connector. */
  targetState(connector: string): TargetState {
    return this.#data.targetStates.get(connector) ?? 'STARTED';
  }

  /** The task count of the last commit record, whether or not its task set was complete. */
  taskCount(connector: string): number {
    return this.#data.taskCounts.get(connector) ?? 0;
  }

  /** Tasks 0 … count-1 of the last consistent commit; none while the connector is inconsistent. */
  taskIds(connector: string): TaskId[] {
    if (this.isInconsistent(connector)) return [];
    return Array.from({ length: this.taskCount(connector) }, (_, task) => ({ connector, task }));
  }

  taskConfig(id: TaskId): PropertyMap | undefined {
    return (this.#data.taskConfigs.get(id.connector) ?? NO_TASK_CONFIGS).get(id.task);
  }

  /** Committed configs of tasks 0 … count-1, in task order; empty while inconsistent. */
  taskConfigs(connector: string): PropertyMap[] {
    const configs = this.#data.taskConfigs.get(connector) ?? NO_TASK_CONFIGS;
    const result: PropertyMap[] = [];
    for (const { task } of this.taskIds(connector)) {
      const config = configs.get(task);
      if (config) result.push(config);
    }
    return result;
  }

  /** A commit record arrived without all of its task configs: the leader must regenerate them. */
  isInconsistent(connector: string): boolean {
    return this.#data.inconsistentConnectors.has(connector);
  }

  inconsistentConnectors(): string[] {
    return [...this.#data.inconsistentConnectors];
  }

  /** The connector config in effect when the current task configs were committed. */
  appliedConnectorConfig(connector: string): PropertyMap | undefined {
    return this.#data.appliedConnectorConfigs.get(connector);
  }

  /** Task count of the latest `tasks-fencing-{c}` record (exactly-once source support). */
  taskCountRecord(connector: string): number | undefined {
    return this.#data.taskCountRecords.get(connector);
  }

  /**
   * How many complete task-config sets were applied before the current one (0 for the first;
   * undefined before any): an exactly-once task started for one generation must not run once
   * the connector has moved on to the next.
   */
  taskConfigGeneration(connector: string): number | undefined {
    return this.#data.taskConfigGenerations.get(connector);
  }

  /**
   * Task configs were committed after the latest `tasks-fencing-{c}` record (or there is none):
   * the previous generation's task producers must be fenced before tasks of the new one start.
   */
  pendingFencing(connector: string): boolean {
    return this.#data.connectorsPendingFencing.has(connector);
  }
}
