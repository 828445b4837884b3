/**
 * Reading, altering and resetting a connector's offsets (KIP-875), with Kafka Connect's rules
 * and messages (docs: shared/reference/kafka-connect.md §1.3):
 * - source connectors: the offsets topic, through the OffsetStore. A PATCH entry whose
 *   partition has the same members as a stored one, in another order, is written under the
 *   stored key, so it replaces (or with a null offset, deletes) that offset;
 * - sink connectors: the committed offsets of the consumer group (`connect-{c}`, or
 *   `consumer.override.group.id`) through the admin client.
 *
 * Callers check that the connector exists and is STOPPED; these operations only move offsets.
 * They must not run while the connector's tasks run: a sink group with members refuses admin
 * commits (reported with Kafka's "zombie sink tasks" message) and a running source task would
 * overwrite the offsets with its next commit.
 */
import type { TaskLogger } from '../../connectors/sdk/task-logger.js';
import { BadRequestError } from '../errors.js';
import type { TopicAdmin, TopicPartition, TopicPartitionOffset } from '../kafka/kafka-client.js';
import type { OffsetEntry, OffsetStore } from '../stores/offset-store.js';
import type { OffsetPrimitive, SourcePartition } from '../stores/source-position.js';
import { OffsetFormatError } from '../stores/topic/offset-records.js';
import type { ConnectorConfigMap, ConnectorOffset, ConnectorOffsetInput, ConnectorOffsets, Message } from './cluster-control.js';

export const KAFKA_TOPIC_KEY = 'kafka_topic';
export const KAFKA_PARTITION_KEY = 'kafka_partition';
export const KAFKA_OFFSET_KEY = 'kafka_offset';

export const OFFSETS_ALTERED: Message = { message: 'The offsets for this connector have been altered successfully' };
export const OFFSETS_RESET: Message = { message: 'The offsets for this connector have been reset successfully' };

/** Resets re-read the store after writing tombstones; older keys of a partition in another member order surface then. */
const MAX_RESET_ROUNDS = 10;

export interface ConnectorOffsetsOptions {
  readonly offsets: OffsetStore;
  readonly admin: TopicAdmin;
  readonly logger: TaskLogger;
}

export type OffsetsConnectorKind = 'source' | 'sink';

/** The consumer group of a sink connector's tasks. */
export function sinkGroupId(connector: string, config: ConnectorConfigMap): string {
  return config['consumer.override.group.id'] ?? `connect-${connector}`;
}

export class ConnectorOffsetOperations {
  constructor(private readonly opts: ConnectorOffsetsOptions) {}

  async read(connector: string, kind: OffsetsConnectorKind, config: ConnectorConfigMap): Promise<ConnectorOffsets> {
    if (kind === 'sink') {
      const committed = await this.#sinkStep(connector, 'Failed to retrieve consumer group offsets for sink connector',
        () => this.opts.admin.groupOffsets(sinkGroupId(connector, config)));
      return { offsets: committed.map(sinkOffset) };
    }
    try {
      const stored = await this.opts.offsets.allFor(connector);
      return { offsets: stored.map(({ partition, offset }) => ({ partition: { ...partition }, offset: { ...offset } })) };
    } catch (err) {
      if (err instanceof OffsetFormatError) throw err;
      this.opts.logger.error({ err, connector }, 'Failed to retrieve offsets for source connector');
      throw new Error(`Failed to retrieve offsets for source connector ${connector}`, { cause: err });
    }
  }

  async alter(connector: string, kind: OffsetsConnectorKind, config: ConnectorConfigMap, entries: readonly ConnectorOffsetInput[]): Promise<Message> {
    if (kind === 'sink') {
      const parsed = parseSinkOffsets(entries);
      const groupId = sinkGroupId(connector, config);
      const toCommit = parsed.filter((p): p is TopicPartitionOffset => p.offset !== null);
      const toDelete: TopicPartition[] = parsed.filter((p) => p.offset === null).map(({ topic, partition }) => ({ topic, partition }));
      await this.#sinkStep(connector, 'Failed to alter consumer group offsets for connector', async () => {
        await this.opts.admin.alterGroupOffsets(groupId, toCommit);
        await this.opts.admin.deleteGroupOffsets(groupId, toDelete);
      }, 'alter');
      return OFFSETS_ALTERED;
    }
    const parsed = parseSourceOffsets(entries);
    await this.#writeSource(connector, await this.#underStoredKeys(connector, parsed));
    return OFFSETS_ALTERED;
  }

  async reset(connector: string, kind: OffsetsConnectorKind, config: ConnectorConfigMap): Promise<Message> {
    if (kind === 'sink') {
      await this.#sinkStep(connector, 'Failed to reset consumer group offsets for sink connector',
        () => this.opts.admin.resetGroupOffsets(sinkGroupId(connector, config)), 'reset');
      return OFFSETS_RESET;
    }
    for (let round = 0; round < MAX_RESET_ROUNDS; round++) {
      const stored = await this.opts.offsets.allFor(connector);
      if (stored.length === 0) break;
      await this.#writeSource(connector, stored.map(({ partition }) => ({ partition, offset: null })));
    }
    return OFFSETS_RESET;
  }

  /** The entries, each partition replaced by the stored partition with the same members when there is one. */
  async #underStoredKeys(connector: string, entries: readonly OffsetEntry[]): Promise<OffsetEntry[]> {
    const stored = new Map((await this.opts.offsets.allFor(connector)).map(({ partition }) => [memberKey(partition), partition]));
    return entries.map((entry) => ({ partition: stored.get(memberKey(entry.partition)) ?? entry.partition, offset: entry.offset }));
  }

  async #writeSource(connector: string, entries: readonly OffsetEntry[]): Promise<void> {
    try {
      await this.opts.offsets.set(connector, entries);
      await this.opts.offsets.readToEnd();
    } catch (err) {
      this.opts.logger.error({ err, connector }, 'Failed to modify offsets for source connector');
      throw new Error(`Failed to modify offsets for source connector ${connector}`, { cause: err });
    }
  }

  /**
   * Runs an admin operation on the sink connector's group; failures become Kafka's messages:
   * a group that still has members (tasks not stopped yet) gets the "zombie sink tasks" one.
   */
  async #sinkStep<T>(connector: string, failure: string, step: () => Promise<T>, modification?: 'alter' | 'reset'): Promise<T> {
    try {
      return await step();
    } catch (err) {
      this.opts.logger.error({ err, connector }, failure);
      if (modification && hasActiveMembers(err, modification)) {
        throw new Error(zombieMessage(connector, modification), { cause: err });
      }
      throw new Error(`${failure} ${connector}`, { cause: err });
    }
  }
}

function sinkOffset(committed: TopicPartitionOffset): ConnectorOffset {
  return {
    partition: { [KAFKA_TOPIC_KEY]: committed.topic, [KAFKA_PARTITION_KEY]: committed.partition },
    offset: { [KAFKA_OFFSET_KEY]: committed.offset },
  };
}

interface SinkOffsetChange {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number | null;
}

const INTEGER = /^[+-]?\d+$/;
const INT_MAX = 2 ** 31 - 1;

/**
 * Kafka's sink offset parsing: partitions need `kafka_topic` and `kafka_partition`, offsets are
 * null or hold `kafka_offset`; numbers may be given as JSON numbers or numeric strings. A later
 * entry for the same topic partition wins.
 */
export function parseSinkOffsets(entries: readonly ConnectorOffsetInput[]): SinkOffsetChange[] {
  const parsed = new Map<string, SinkOffsetChange>();
  for (const entry of entries) {
    const partitionMap = entry.partition;
    if (partitionMap === null || partitionMap === undefined) {
      throw new BadRequestError('The partition for a sink connector offset cannot be null or missing');
    }
    if (!Object.hasOwn(partitionMap, KAFKA_TOPIC_KEY) || !Object.hasOwn(partitionMap, KAFKA_PARTITION_KEY)) {
      throw new BadRequestError(`The partition for a sink connector offset must contain the keys '${KAFKA_TOPIC_KEY}' and '${KAFKA_PARTITION_KEY}'`);
    }
    const rawTopic = partitionMap[KAFKA_TOPIC_KEY];
    const rawPartition = partitionMap[KAFKA_PARTITION_KEY];
    if (rawTopic === null || rawTopic === undefined) throw new BadRequestError('Kafka topic names must be valid strings and may not be null');
    if (rawPartition === null || rawPartition === undefined) throw new BadRequestError('Kafka partitions must be valid numbers and may not be null');
    const topic = javaString(rawTopic);
    const partition = parseInteger(rawPartition, INT_MAX);
    if (partition === undefined) {
      throw new BadRequestError(`Failed to parse the following Kafka partition value in the provided offsets: '${javaString(rawPartition)}'. `
        + 'Partition values for sink connectors need to be integers.');
    }
    let offset: number | null = null;
    const offsetMap = entry.offset;
    if (offsetMap !== null && offsetMap !== undefined) {
      if (!Object.hasOwn(offsetMap, KAFKA_OFFSET_KEY)) {
        throw new BadRequestError(`The offset for a sink connector should either be null or contain the key '${KAFKA_OFFSET_KEY}'`);
      }
      const rawOffset = offsetMap[KAFKA_OFFSET_KEY];
      const value = parseInteger(rawOffset, Number.MAX_SAFE_INTEGER);
      if (value === undefined) {
        throw new BadRequestError(`Failed to parse the following Kafka offset value in the provided offsets: '${javaString(rawOffset)}'. `
          + 'Offset values for sink connectors need to be integers.');
      }
      offset = value;
    }
    parsed.set(`${partition}:${topic}`, { topic, partition, offset });
  }
  return [...parsed.values()];
}

/**
 * Kafka's source offset checks (OffsetUtils.validateFormat): partition and offset maps hold
 * primitives only; a violation fails the request with 500, as Kafka's DataException does. A
 * later entry for the same partition wins.
 */
export function parseSourceOffsets(entries: readonly ConnectorOffsetInput[]): OffsetEntry[] {
  const parsed = new Map<string, OffsetEntry>();
  for (const entry of entries) {
    if (entry.partition === null || entry.partition === undefined) {
      throw new BadRequestError('The partition for a source connector offset cannot be null or missing');
    }
    const partition = primitiveMap(entry.partition);
    const offset = entry.offset === null || entry.offset === undefined ? null : primitiveMap(entry.offset);
    parsed.set(memberKey(partition), { partition, offset });
  }
  return [...parsed.values()];
}

function primitiveMap(map: Record<string, unknown>): Record<string, OffsetPrimitive> {
  for (const [field, value] of Object.entries(map)) {
    if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') continue;
    throw new Error(`Offsets may only contain primitive types as values, but field ${field} contains ${Array.isArray(value) ? 'ARRAY' : 'MAP'}`);
  }
  return map as Record<string, OffsetPrimitive>;
}

function parseInteger(value: unknown, max: number): number | undefined {
  const text = javaString(value);
  if (!INTEGER.test(text)) return undefined;
  const parsed = Number(text);
  return Math.abs(parsed) <= max + (parsed < 0 ? 1 : 0) ? parsed : undefined;
}

/** Java's String.valueOf of a JSON-bound value. */
function javaString(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function memberKey(partition: SourcePartition): string {
  return JSON.stringify(Object.entries(partition).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function hasActiveMembers(err: unknown, modification: 'alter' | 'reset'): boolean {
  const type = (err as { type?: unknown } | null)?.type;
  return modification === 'alter'
    ? type === 'UNKNOWN_MEMBER_ID' || type === 'GROUP_SUBSCRIBED_TO_TOPIC'
    : type === 'NON_EMPTY_GROUP';
}

function zombieMessage(connector: string, modification: 'alter' | 'reset'): string {
  const verb = modification === 'alter' ? 'alter' : 'reset';
  return `Failed to ${verb} consumer group offsets for connector ${connector} either because its tasks haven't stopped completely yet `
    + `or the connector was resumed before the request to ${verb} its offsets could be successfully completed. If the connector is in a `
    + 'stopped state, this operation can be safely retried. If it doesn\'t eventually succeed, the Connect cluster may need to be '
    + 'restarted to get rid of the zombie sink tasks.';
}
