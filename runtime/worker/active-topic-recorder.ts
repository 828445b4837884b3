/**
 * Topic tracking (KIP-558, `topic.tracking.enable`): the first time a connector's task uses a
 * topic, a `status-topic-{topic}:connector-{c}` record is written to the status topic. A topic
 * already in the status store (or being written) is not written again; after a reset
 * (tombstones) the next use records it anew.
 */
import type { TaskLogger } from '../../connectors/sdk/task-logger.js';
import type { StatusStore } from '../stores/status-store.js';
import type { TaskId } from '../stores/task-id.js';

export class ActiveTopicRecorder {
  readonly #writing = new Set<string>();

  constructor(
    private readonly statuses: StatusStore,
    private readonly logger: TaskLogger,
    private readonly now: () => number = Date.now,
  ) {}

  /** The `onTopicUsed` callback of one task. */
  forTask(id: TaskId): (topic: string) => void {
    return (topic) => this.record(id, topic);
  }

  record(id: TaskId, topic: string): void {
    if (this.statuses.getTopic(id.connector, topic)) return;
    const key = `${id.connector}\u0000${topic}`;
    if (this.#writing.has(key)) return;
    this.#writing.add(key);
    this.statuses.putTopic({ topic, connector: id.connector, task: id.task, discoverTimestamp: this.now() })
      .then(() => this.statuses.readToEnd())
      .catch((err: unknown) => this.logger.warn({ err, connector: id.connector, task: id.task, topic }, 'could not record an active topic'))
      .finally(() => this.#writing.delete(key));
  }
}
