/**
 * Zombie fencing of an exactly-once source connector's previous task generation, as Kafka
 * Connect's leader does it (DistributedHerder, exactly-once.md §7.6) before tasks of new
 * task configs may start. Only the leader runs it (WorkerControl.fenceZombies; other workers
 * reach it through PUT /connectors/{c}/fence).
 *
 * A round, from the config topic read to its end:
 * - nothing pending (a `tasks-fencing-{c}` record follows the latest task configs): done;
 * - no task-count record yet (the connector's first run with exactly-once support; no task
 *   producer can have run): write `tasks-fencing-{c}` = current task count;
 * - the previous and the new generation both have one task: write the record (the new task's
 *   initTransactions fences the old one, which has the same transactional id);
 * - otherwise: fence the transactional ids `{group.id}-{c}-0` … `{group.id}-{c}-(previous-1)`
 *   (Admin.fenceProducers with the connector's admin settings), read the config topic again,
 *   and write the record only if no newer task configs arrived meanwhile (409 otherwise).
 * Concurrent requests for a connector whose fencing is under way share it.
 */
import { extractPrefixed } from '../config/config-prefix.js';
import type { KafkaClient } from '../kafka/kafka-client.js';
import type { PropertyMap } from '../stores/topic/config-records.js';
import type { ConfigStore } from '../stores/config-store.js';
import { RebalanceInProgressError } from '../errors.js';

export interface ZombieFencingOptions {
  /** The worker's group.id: task transactional ids are `{group.id}-{connector}-{task}`. */
  readonly groupId: string;
  /**
   * Fences the transactional ids (Admin.fenceProducers) with a client made from the connector's
   * admin settings (admin.* < admin.override.*, client id connector-worker-adminclient-{c});
   * see fenceWithConnectorAdmin.
   */
  fenceProducers(connector: string, connectorConfig: PropertyMap, transactionalIds: readonly string[]): Promise<void>;
}

interface Logger {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

export const FENCING_CONFLICT = 'Fencing failed because new task configurations were generated for the connector';
/** Kafka Connect's task failure when a worker has no way to ask the leader for fencing. */
export const NO_LEADER_CHANNEL = 'This worker is not able to communicate with the leader of the cluster, which is required for '
  + 'exactly-once source tasks. If running MirrorMaker 2 in dedicated mode, consider enabling inter-worker communication via '
  + 'the \'dedicated.mode.enable.internal.rest\' property.';
export const CONFIG_READ_FAILED = 'Failed to read to end of config topic before performing zombie fencing';

/** A source task's transactional id with exactly-once support (Kafka Connect's format). */
export function taskTransactionalId(groupId: string, connector: string, task: number): string {
  return `${groupId}-${connector}-${task}`;
}

export class ZombieFencing {
  readonly #configs: ConfigStore;
  readonly #options: ZombieFencingOptions;
  readonly #logger: Logger;
  readonly #active = new Map<string, Promise<void>>();

  constructor(configs: ConfigStore, options: ZombieFencingOptions, logger: Logger) {
    this.#configs = configs;
    this.#options = options;
    this.#logger = logger;
  }

  /** One round for a source connector that exists (the caller checked); rejects with what failed. */
  async fence(connector: string, connectorConfig: PropertyMap): Promise<void> {
    try {
      await this.#configs.readToEnd();
    } catch (error) {
      throw new Error(CONFIG_READ_FAILED, { cause: error });
    }
    const snapshot = this.#configs.snapshot();
    if (!snapshot.pendingFencing(connector)) {
      this.#logger.debug({ connector }, 'no zombie fencing needed: every older task generation is already fenced');
      return;
    }
    const taskCount = snapshot.taskCount(connector);
    const previous = snapshot.taskCountRecord(connector);
    if (previous !== undefined && (previous !== 1 || taskCount !== 1)) {
      let round = this.#active.get(connector);
      if (!round) {
        round = this.#round(connector, connectorConfig, previous, taskCount, snapshot.taskConfigGeneration(connector))
          .finally(() => this.#active.delete(connector));
        this.#active.set(connector, round);
      }
      return round;
    }
    this.#logger.debug({ connector, previous, taskCount }, previous === undefined
      ? 'no zombie fencing needed for a connector\'s first exactly-once task generation; writing its task count'
      : 'no zombie fencing needed from one task to one task; writing the task count');
    await this.#configs.putTaskCountRecord(connector, taskCount);
  }

  async #round(connector: string, connectorConfig: PropertyMap, previous: number, taskCount: number, generation: number | undefined): Promise<void> {
    const ids = Array.from({ length: previous }, (_, task) => taskTransactionalId(this.#options.groupId, connector, task));
    this.#logger.info({ connector, transactionalIds: ids }, 'fencing the previous generation of exactly-once source tasks');
    try {
      await this.#options.fenceProducers(connector, connectorConfig, ids);
    } catch (error) {
      throw new Error(`Failed to perform round of zombie fencing: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    try {
      await this.#configs.readToEnd();
    } catch (error) {
      throw new Error(CONFIG_READ_FAILED, { cause: error });
    }
    if (this.#configs.snapshot().taskConfigGeneration(connector) !== generation) throw new RebalanceInProgressError(FENCING_CONFLICT);
    await this.#configs.putTaskCountRecord(connector, taskCount);
  }
}

/**
 * ZombieFencingOptions.fenceProducers over the worker's Kafka client: an admin client with the
 * connector's admin settings (`admin.override.*` of a config whose placeholders are resolved),
 * closed after the round.
 */
export function fenceWithConnectorAdmin(kafka: KafkaClient): ZombieFencingOptions['fenceProducers'] {
  return async (connector, connectorConfig, transactionalIds) => {
    const overrides: Record<string, string> = {};
    for (const [key, value] of Object.entries(extractPrefixed(connectorConfig, 'admin.override.'))) if (value !== null) overrides[key] = value;
    const admin = kafka.admin({ clientId: `connector-worker-adminclient-${connector}`, role: 'connector', overrides });
    try {
      await admin.fenceProducers(transactionalIds);
    } finally {
      await admin.close();
    }
  };
}
