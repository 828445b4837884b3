/**
 * MirrorSourceTask: reads its assigned partitions of the source cluster and returns every
 * record, unchanged, as a source record for the same partition of the remote topic; the worker
 * produces them to the target cluster. Offset syncs are written from commitRecord: as the target
 * acknowledges a record, or, on an exactly-once worker, once the transaction holding it committed
 * (the worker calls commitRecord only then), so a checkpoint never points at a record that
 * read_committed consumers of the target might never see.
 *
 * Records are forwarded as bytes: key, value and header values are views into the fetched
 * data, with OPTIONAL_BYTES schemas, so with ByteArrayConverter (MirrorMaker's converter) no
 * record is decoded or re-encoded on the way. Timestamps and partitions are kept.
 *
 * Positions: a partition resumes at its stored offset + 1; without one, at the source
 * consumer's `auto.offset.reset` (earliest unless set).
 */
import type { ConnectHeader, SourceRecord } from '../../sdk/connect-record.js';
import type { RawConfig } from '../../sdk/connector.js';
import { Schema } from '../../sdk/data/schema.js';
import type { ClusterClient, ClusterRecord, PartitionReader, StartOffset } from '../../sdk/kafka-clusters.js';
import type { RecordMetadata, SourceTask, SourceTaskContext } from '../../sdk/source-task.js';
import type { TaskLogger } from '../../sdk/task-logger.js';
import { mirrorSourceSettings, type MirrorSourceSettings } from '../config/mirror-source-config.js';
import { parseAssignedPartitions, ASSIGNED_PARTITIONS } from './assigned-partitions.js';
import { OffsetSyncWriter } from './offset-sync-writer.js';

/** Records handed to the worker per poll: enough for large produce batches, small enough to keep the worker's in-flight bound meaningful. */
const MAX_RECORDS_PER_POLL = 4096;
const BYTES = Schema.OPTIONAL_BYTES_SCHEMA;
const NO_HEADERS: readonly ConnectHeader[] = Object.freeze([]);

/** What the task keeps per assigned partition; `sourcePartition` is one object per partition, reused by every record. */
interface MirroredPartition {
  readonly key: string;
  readonly topic: string;
  readonly partition: number;
  readonly remoteTopic: string;
  /** Members in the order Java's MirrorMaker serializes them (HashMap order), so stored offset keys are byte-identical. */
  readonly sourcePartition: Readonly<{ cluster: string; partition: number; topic: string }>;
}

export class MirrorSourceTask implements SourceTask {
  #settings: MirrorSourceSettings | undefined;
  #logger: TaskLogger | undefined;
  #source: ClusterClient | undefined;
  #syncCluster: ClusterClient | undefined;
  #reader: PartitionReader | undefined;
  #syncs: OffsetSyncWriter | undefined;
  readonly #partitions = new Map<string, MirroredPartition>();

  async start(config: RawConfig, context: SourceTaskContext): Promise<void> {
    const settings = mirrorSourceSettings(config);
    this.#settings = settings;
    this.#logger = context.logger;
    const assigned = parseAssignedPartitions(config[ASSIGNED_PARTITIONS]);
    const alias = settings.sourceClusterAlias;
    for (const { topic, partition } of assigned) {
      const key = `${topic}:${partition}`;
      this.#partitions.set(key, {
        key, topic, partition,
        remoteTopic: settings.policy.formatRemoteTopic(alias, topic),
        sourcePartition: Object.freeze({ cluster: alias, partition, topic }),
      });
    }
    const clientId = `${alias}->${settings.targetClusterAlias}|${config['name'] ?? 'MirrorSourceConnector'}|source`;
    this.#source = context.kafka.connect(settings.sourceConsumerProps, { clientId: `${clientId}-consumer` });
    if (settings.emitOffsetSyncsEnabled) {
      const onSource = settings.offsetSyncsTopicLocation === 'source';
      this.#syncCluster = context.kafka.connect(onSource ? settings.sourceProducerProps : settings.targetProducerProps,
        { clientId: `${clientId}-offset-syncs` });
      this.#syncs = new OffsetSyncWriter(this.#syncCluster.producer(), { topic: settings.offsetSyncsTopic, offsetLagMax: settings.offsetLagMax, logger: context.logger });
    }
    const stored = await context.offsets.offsets([...this.#partitions.values()].map((p) => p.sourcePartition));
    const reset: StartOffset = settings.sourceConsumerProps['auto.offset.reset']?.trim() === 'latest' ? 'latest' : 'earliest';
    const starts = [...this.#partitions.values()].map((p) => {
      const offset = stored.get(p.sourcePartition)?.['offset'];
      return { topic: p.topic, partition: p.partition, offset: typeof offset === 'number' ? offset + 1 : reset };
    });
    this.#reader = this.#source.reader();
    this.#reader.assign(starts);
    context.logger.info({ partitions: assigned.length }, `Mirroring ${assigned.length} partitions from ${alias}`);
  }

  async poll(signal: AbortSignal): Promise<SourceRecord[]> {
    const reader = this.#reader;
    if (reader === undefined) return [];
    const fetched = await reader.poll({ maxWaitMs: this.#settings!.consumerPollTimeoutMs, maxRecords: MAX_RECORDS_PER_POLL, signal });
    const out: SourceRecord[] = new Array<SourceRecord>(fetched.length);
    let n = 0;
    let last: MirroredPartition | undefined;
    for (const record of fetched) {
      if (last === undefined || last.topic !== record.topic || last.partition !== record.partition) {
        last = this.#partitions.get(`${record.topic}:${record.partition}`);
        if (last === undefined) continue;
      }
      out[n++] = this.#toSourceRecord(last, record);
    }
    out.length = n;
    return out;
  }

  commitRecord(record: SourceRecord, metadata: RecordMetadata | null): void {
    if (metadata === null || metadata.offset < 0 || this.#syncs === undefined) return;
    const partition = record.sourcePartition as MirroredPartition['sourcePartition'];
    const upstream = record.sourceOffset['offset'] as number;
    this.#syncs.recordWritten(`${partition.topic}:${partition.partition}`, partition.topic, partition.partition, upstream, metadata.offset);
  }

  commit(): void {
    this.#syncs?.flushDelayed();
  }

  async stop(): Promise<void> {
    const reader = this.#reader;
    this.#reader = undefined;
    await reader?.close();
    await this.#syncs?.close().catch((err: unknown) => this.#logger?.warn({ err }, 'Could not write the last offset syncs'));
    await Promise.allSettled([this.#source?.close(), this.#syncCluster?.close()]);
  }

  #toSourceRecord(p: MirroredPartition, record: ClusterRecord): SourceRecord {
    const headers = record.headers.length === 0
      ? NO_HEADERS
      : record.headers.map((h): ConnectHeader => ({ key: h.key, schema: BYTES, value: h.value }));
    return {
      topic: p.remoteTopic,
      kafkaPartition: record.partition,
      keySchema: BYTES,
      key: record.key,
      valueSchema: BYTES,
      value: record.value,
      timestamp: record.timestamp,
      headers,
      sourcePartition: p.sourcePartition,
      sourceOffset: { offset: record.offset },
    };
  }
}
