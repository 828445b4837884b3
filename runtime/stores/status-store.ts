/**
 * Connector, task and active-topic statuses kept in the status topic (docs:
 * shared/reference/kafka-connect.md §2.5, §7.1). Holds observed state only, never desired state.
 *
 * The cache changes only as records are read back; writes resolve once the log acknowledges
 * them, so call `readToEnd()` to see your own write. As in Kafka Connect, a connector tombstone
 * also forgets that connector's task statuses. `putIfNewerGeneration` is Kafka's "safe" write,
 * decided against the last status read back.
 *
 * Readers ignore two kinds of stale records (each reported through onSkippedRecord):
 * - Kafka Connect's rule: a task's UNASSIGNED written in a generation not newer than the RUNNING
 *   status already read (a worker that had not yet seen the task start elsewhere);
 * - zombie writes: a connector or task status from another worker whose generation is older
 *   than the stored one's. A worker that lost its group membership but still writes (a process
 *   frozen past its session) cannot override the status of the worker the task moved to.
 *   The group generation restarts at 1 when a group is emptied and recreated (every worker
 *   stopped), so this rule only holds while the stored generation is not newer than the group's
 *   current generation as this worker knows it (followGroupGeneration); records read before
 *   the worker joined, or left over from an older incarnation of the group, are taken as they
 *   come.
 */
import type { CompactedTopic, TopicAppend, TopicRecord } from './compacted-topic.js';
import type { TaskId } from './task-id.js';
import {
  decodeStatusValue,
  decodeTopicStatusValue,
  encodeStatusKey,
  encodeStatusValue,
  encodeTopicStatusValue,
  parseStatusKey,
} from './topic/status-records.js';
import type { StatusKey, StatusValue, TopicStatus } from './topic/status-records.js';

export interface ConnectorStatus extends StatusValue {
  readonly connector: string;
  readonly task?: undefined;
}

export interface TaskStatus extends StatusValue {
  readonly connector: string;
  readonly task: number;
}

export type Status = ConnectorStatus | TaskStatus;

export interface StatusStoreOptions {
  /** Told about every record Kafka Connect would log and skip, and every stale record ignored. */
  readonly onSkippedRecord?: (record: TopicRecord, reason: string) => void;
}

export class StatusStore {
  readonly #topic: CompactedTopic;
  readonly #options: StatusStoreOptions;
  readonly #connectors = new Map<string, ConnectorStatus>();
  readonly #tasks = new Map<string, Map<number, TaskStatus>>();
  readonly #topics = new Map<string, Map<string, TopicStatus>>();
  /** The group generation this worker belongs to (see followGroupGeneration); -1 while none. */
  #groupGeneration: () => number = () => -1;

  constructor(topic: CompactedTopic, options: StatusStoreOptions = {}) {
    this.#topic = topic;
    this.#options = options;
    topic.onRecord((record) => this.#apply(record));
  }

  /**
   * Tells the store the group generation this worker belongs to, so it can ignore zombie writes
   * (see the header). Until called, no status is ignored for its generation.
   */
  followGroupGeneration(generation: () => number): void {
    this.#groupGeneration = generation;
  }

  start(): Promise<void> {
    return this.#topic.start();
  }

  stop(): Promise<void> {
    return this.#topic.stop();
  }

  readToEnd(): Promise<void> {
    return this.#topic.readToEnd();
  }

  put(status: Status): Promise<void> {
    return this.#topic.append(encodeStatusKey(keyOf(status)), encodeStatusValue(status));
  }

  /**
   * Writes unless another worker's status is stored with an older generation than this one's:
   * it writes when nothing is stored, when the stored status has the same `workerId`, or when
   * the stored generation is not newer than `status.generation` (Kafka compares with `<=`, so an
   * equal generation also overwrites). Resolves to whether it wrote.
   */
  async putIfNewerGeneration(status: Status): Promise<boolean> {
    const stored = status.task === undefined ? this.get(status.connector) : this.getTask(status);
    const writable = !stored || stored.workerId === status.workerId || stored.generation <= status.generation;
    if (writable) await this.put(status);
    return writable;
  }

  get(connector: string): ConnectorStatus | undefined {
    return this.#connectors.get(connector);
  }

  getTask(id: TaskId): TaskStatus | undefined {
    return this.#tasks.get(id.connector)?.get(id.task);
  }

  /** Task statuses of the connector, by task index. */
  listForConnector(connector: string): TaskStatus[] {
    return [...(this.#tasks.get(connector)?.values() ?? [])].sort((a, b) => a.task - b.task);
  }

  /** Connectors with a stored connector status. */
  connectors(): string[] {
    return [...this.#connectors.keys()];
  }

  /** Tombstones every known task status of the connector, then the connector status. */
  removeConnector(connector: string): Promise<void> {
    const appends: TopicAppend[] = this.listForConnector(connector).map((t) => tombstone({ kind: 'task', connector, task: t.task }));
    appends.push(tombstone({ kind: 'connector', connector }));
    return this.#topic.appendBatch(appends);
  }

  removeTask(id: TaskId): Promise<void> {
    const t = tombstone({ kind: 'task', connector: id.connector, task: id.task });
    return this.#topic.append(t.key, t.value);
  }

  putTopic(status: TopicStatus): Promise<void> {
    const key = encodeStatusKey({ kind: 'topic', topic: status.topic, connector: status.connector });
    return this.#topic.append(key, encodeTopicStatusValue(status));
  }

  getTopic(connector: string, topic: string): TopicStatus | undefined {
    return this.#topics.get(connector)?.get(topic);
  }

  /** Topics the connector's tasks have used since the last reset, in order of first use. */
  topicsFor(connector: string): TopicStatus[] {
    return [...(this.#topics.get(connector)?.values() ?? [])];
  }

  /** Tombstones every tracked topic of the connector. */
  async resetTopics(connector: string): Promise<void> {
    const appends = this.topicsFor(connector).map((t) => tombstone({ kind: 'topic', topic: t.topic, connector }));
    if (appends.length > 0) await this.#topic.appendBatch(appends);
  }

  #apply(record: TopicRecord): void {
    const keyText = record.key?.toString('utf8');
    const key = keyText === undefined ? undefined : parseStatusKey(keyText);
    if (!key) return this.#skip(record, `invalid status key '${keyText ?? '(none)'}'`);
    switch (key.kind) {
      case 'connector': {
        if (record.value === null) {
          this.#connectors.delete(key.connector);
          this.#tasks.delete(key.connector);
          return;
        }
        const value = decodeStatusValue(record.value);
        if (!value) return this.#skip(record, `unparseable status of connector '${key.connector}'`);
        const stale = this.#staleReason(this.#connectors.get(key.connector), value);
        if (stale) return this.#skip(record, `${stale} for connector '${key.connector}'`);
        this.#connectors.set(key.connector, { connector: key.connector, ...value });
        return;
      }
      case 'task': {
        const tasks = this.#tasks.get(key.connector);
        if (record.value === null) {
          tasks?.delete(key.task);
          if (tasks?.size === 0) this.#tasks.delete(key.connector);
          return;
        }
        const value = decodeStatusValue(record.value);
        if (!value) return this.#skip(record, `unparseable status of task ${key.task} of connector '${key.connector}'`);
        const stored = tasks?.get(key.task);
        if (value.state === 'UNASSIGNED' && stored?.state === 'RUNNING' && stored.generation >= value.generation) {
          return this.#skip(record, `stale UNASSIGNED status of task ${key.task} of connector '${key.connector}' (RUNNING at generation ${stored.generation})`);
        }
        const stale = this.#staleReason(stored, value);
        if (stale) return this.#skip(record, `${stale} for task ${key.task} of connector '${key.connector}'`);
        const status: TaskStatus = { connector: key.connector, task: key.task, ...value };
        if (tasks) tasks.set(key.task, status);
        else this.#tasks.set(key.connector, new Map([[key.task, status]]));
        return;
      }
      case 'topic': {
        const topics = this.#topics.get(key.connector);
        if (record.value === null) {
          topics?.delete(key.topic);
          if (topics?.size === 0) this.#topics.delete(key.connector);
          return;
        }
        const value = decodeTopicStatusValue(record.value);
        if (!value) return this.#skip(record, `unparseable status of topic '${key.topic}' of connector '${key.connector}'`);
        if (topics) topics.set(key.topic, value);
        else this.#topics.set(key.connector, new Map([[key.topic, value]]));
        return;
      }
    }
  }

  /** Why `next` is a zombie write over `stored` (see the header), or undefined when it is not. */
  #staleReason(stored: StatusValue | undefined, next: StatusValue): string | undefined {
    if (!stored || stored.workerId === next.workerId || next.generation >= stored.generation) return undefined;
    if (stored.generation > this.#groupGeneration()) return undefined;
    return `ignored status from worker ${next.workerId} of generation ${next.generation}: `
      + `worker ${stored.workerId} wrote generation ${stored.generation}`;
  }

  #skip(record: TopicRecord, reason: string): void {
    this.#options.onSkippedRecord?.(record, reason);
  }
}

function keyOf(status: Status): StatusKey {
  return status.task === undefined
    ? { kind: 'connector', connector: status.connector }
    : { kind: 'task', connector: status.connector, task: status.task };
}

function tombstone(key: StatusKey): TopicAppend {
  return { key: encodeStatusKey(key), value: null };
}
