/**
 * MirrorCheckpointTask: translates its assigned source groups' committed offsets into the
 * target's offsets and emits them as Checkpoint records to `<source>.checkpoints.internal`
 * (reference §6.5); with `sync.group.offsets.enabled` also commits them into idle target groups.
 *
 * Order of work: at start the task reads the whole offset-syncs topic (on the cluster
 * `offset-syncs.topic.location` names) and the existing checkpoints topic on the target, both to
 * their end, before it translates anything (KAFKA-13659, KAFKA-15905); the syncs keep being
 * tailed afterwards. Then it checkpoints every group at once and every
 * `emit.checkpoints.interval.seconds` after; a checkpoint is emitted only when
 * shouldEmitCheckpoint allows, so emitted checkpoints never go backwards, restarts included.
 *
 * Records: key/value are the Checkpoint bytes (OPTIONAL_BYTES schemas; the worker must use
 * ByteArrayConverter), partition 0, source partition {partition, topic, group} in the member
 * order Java's MirrorMaker writes it (HashMap order), source offset {offset: 0}.
 *
 * Failures to reach either cluster are retried with back-off and logged; translation simply
 * resumes when they are back. `poll` hands over what the background work produced.
 */
import type { ConnectHeader, SourceRecord } from '../../sdk/connect-record.js';
import type { RawConfig } from '../../sdk/connector.js';
import { Schema } from '../../sdk/data/schema.js';
import type { ClusterClient, ClusterRecord, KafkaClusters } from '../../sdk/kafka-clusters.js';
import type { SourceTask, SourceTaskContext } from '../../sdk/source-task.js';
import type { TaskLogger } from '../../sdk/task-logger.js';
import { mirrorCheckpointSettings, type MirrorCheckpointSettings } from '../config/mirror-checkpoint-config.js';
import { shouldEmitCheckpoint } from '../offsets/checkpoint-rules.js';
import { OffsetSyncStore } from '../offsets/offset-sync-store.js';
import { decodeCheckpoint, encodeCheckpoint, type Checkpoint } from '../records/checkpoint.js';
import { decodeOffsetSync } from '../records/offset-sync.js';
import { ASSIGNED_GROUPS, parseAssignedGroups } from './assigned-groups.js';
import { BackgroundJobs, sleep } from '../background-jobs.js';
import { CheckpointLedger } from './checkpoint-ledger.js';
import { groupCheckpoints } from './group-checkpoints.js';
import { syncTargetGroups } from './target-group-sync.js';
import { TopicTail } from './topic-tail.js';

const BYTES = Schema.OPTIONAL_BYTES_SCHEMA;
const NO_HEADERS: readonly ConnectHeader[] = Object.freeze([]);
const CHECKPOINT_OFFSET = Object.freeze({ offset: 0 });
/** Groups whose offsets are fetched at once. */
const GROUP_FETCH_CONCURRENCY = 16;

export class MirrorCheckpointTask implements SourceTask {
  #settings: MirrorCheckpointSettings | undefined;
  #logger: TaskLogger | undefined;
  #groups: string[] = [];
  #jobs: BackgroundJobs | undefined;
  #clients: ClusterClient[] = [];
  #sourceAdmin: ClusterClient | undefined;
  #targetAdmin: ClusterClient | undefined;
  readonly #syncs = new OffsetSyncStore();
  readonly #ledger = new CheckpointLedger();
  #pending: SourceRecord[] = [];
  #wake: (() => void) | undefined;
  #ready = false;

  start(config: RawConfig, context: SourceTaskContext): void {
    const settings = mirrorCheckpointSettings(config);
    const kafka = context.kafka;
    this.#settings = settings;
    this.#logger = context.logger;
    this.#groups = parseAssignedGroups(config[ASSIGNED_GROUPS]);
    const jobs = new BackgroundJobs(context.logger);
    this.#jobs = jobs;
    const id = `${settings.sourceClusterAlias}->${settings.targetClusterAlias}|${config['name'] ?? 'MirrorCheckpointConnector'}|checkpoints`;
    const connect = (props: Parameters<KafkaClusters['connect']>[0], role: string) => {
      const client = kafka.connect(props, { clientId: `${id}-${role}` });
      this.#clients.push(client);
      return client;
    };
    this.#sourceAdmin = connect(settings.sourceAdminProps, 'source-admin');
    this.#targetAdmin = connect(settings.targetAdminProps, 'target-admin');
    const syncsOnSource = settings.offsetSyncsTopicLocation === 'source';
    const syncsCluster = connect(syncsOnSource ? settings.sourceConsumerProps : settings.targetConsumerProps, 'offset-syncs');
    const syncsAdmin = syncsOnSource ? this.#sourceAdmin : this.#targetAdmin;
    const checkpointsCluster = connect(settings.targetConsumerProps, 'checkpoints');
    context.logger.info({ groups: this.#groups.length }, `Checkpointing ${this.#groups.length} consumer groups from ${settings.sourceClusterAlias} to ${settings.targetClusterAlias}`);

    const syncTail = new TopicTail({
      reader: syncsCluster.reader(), admin: syncsAdmin.admin(), topic: settings.offsetSyncsTopic, pollMs: settings.consumerPollTimeoutMs,
      onRecord: (r) => this.#addSync(r),
    });
    syncTail.start(jobs.signal);
    const loadCheckpoints = async () => {
      const stop = new AbortController();
      const reader = checkpointsCluster.reader();
      const tail = new TopicTail({
        reader, admin: this.#targetAdmin!.admin(), topic: settings.checkpointsTopic, pollMs: settings.consumerPollTimeoutMs,
        onRecord: (r) => this.#restoreCheckpoint(r),
      });
      const abort = () => stop.abort();
      jobs.signal.addEventListener('abort', abort, { once: true });
      tail.start(stop.signal);
      try {
        await tail.caughtUp(stop.signal);
      } finally {
        stop.abort();
        jobs.signal.removeEventListener('abort', abort);
        await tail.stopped();
        await reader.close();
      }
    };
    void jobs.serialized(async () => {
      const ready = await Promise.all([
        jobs.retrying(`read the offset syncs in ${settings.offsetSyncsTopic}`, async () => { await syncTail.caughtUp(jobs.signal); }),
        jobs.retrying(`read the checkpoints in ${settings.checkpointsTopic}`, loadCheckpoints),
      ]);
      if (!ready.every(Boolean) || jobs.stopped) return;
      this.#ready = true;
      context.logger.info(`Read the offset syncs and checkpoints; translating offsets of ${this.#groups.length} groups`);
      if (settings.emitCheckpointsEnabled) {
        await this.#checkpointAll().catch((err: unknown) => context.logger.warn({ err }, 'Could not checkpoint consumer groups; trying again at the next interval'));
        jobs.every(settings.emitCheckpointsIntervalMs, 'checkpoint consumer groups', () => this.#checkpointAll());
      }
      if (settings.syncGroupOffsetsEnabled) jobs.every(settings.syncGroupOffsetsIntervalMs, 'sync consumer group offsets to the target', () => this.#syncGroupOffsets());
    });
  }

  async poll(signal: AbortSignal): Promise<SourceRecord[]> {
    if (this.#pending.length === 0 && !signal.aborted && this.#jobs !== undefined && !this.#jobs.stopped) {
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
        void sleep(this.#settings!.consumerPollTimeoutMs, signal).then(resolve);
      });
      this.#wake = undefined;
    }
    const out = this.#pending;
    this.#pending = [];
    return out;
  }

  async stop(): Promise<void> {
    this.#jobs?.stop();
    this.#wake?.();
    const clients = this.#clients;
    this.#clients = [];
    await Promise.allSettled(clients.map((c) => c.close()));
  }

  /** Whether the syncs and earlier checkpoints have been read and translation has begun. */
  get ready(): boolean {
    return this.#ready;
  }

  #addSync(record: ClusterRecord): void {
    if (record.key === null || record.value === null) return;
    try {
      this.#syncs.add(decodeOffsetSync(record.key, record.value));
    } catch (err) {
      this.#logger!.warn({ err, offset: record.offset }, `Skipping an unreadable record in ${record.topic}`);
    }
  }

  #restoreCheckpoint(record: ClusterRecord): void {
    if (record.key === null || record.value === null) return;
    let checkpoint: Checkpoint;
    try {
      checkpoint = decodeCheckpoint(record.key, record.value);
    } catch (err) {
      this.#logger!.warn({ err, offset: record.offset }, `Skipping an unreadable record in ${record.topic}`);
      return;
    }
    if (this.#groups.includes(checkpoint.group)) this.#ledger.put(checkpoint);
  }

  async #checkpointAll(): Promise<void> {
    const settings = this.#settings!;
    const admin = this.#sourceAdmin!.admin();
    const emitted: SourceRecord[] = [];
    for (let i = 0; i < this.#groups.length && !this.#jobs!.stopped; i += GROUP_FETCH_CONCURRENCY) {
      const batch = this.#groups.slice(i, i + GROUP_FETCH_CONCURRENCY);
      const offsets = await Promise.all(batch.map((g) => admin.groupOffsets(g)));
      batch.forEach((group, j) => {
        for (const checkpoint of groupCheckpoints(group, offsets[j]!, this.#syncs, settings)) {
          if (!shouldEmitCheckpoint(this.#ledger.get(group, checkpoint.topic, checkpoint.partition), checkpoint)) continue;
          this.#ledger.put(checkpoint);
          emitted.push(checkpointRecord(settings.checkpointsTopic, checkpoint));
        }
      });
    }
    if (emitted.length === 0) return;
    this.#pending.push(...emitted);
    this.#wake?.();
  }

  async #syncGroupOffsets(): Promise<void> {
    const byGroup = new Map(this.#groups.map((g) => [g, this.#ledger.group(g)]));
    const result = await syncTargetGroups(this.#targetAdmin!.admin(), byGroup, this.#logger!);
    for (const [group, count] of result.written) this.#logger!.info({ group, partitions: count }, `Committed translated offsets of group ${group} on the target`);
  }
}

function checkpointRecord(topic: string, checkpoint: Checkpoint): SourceRecord {
  const { key, value } = encodeCheckpoint(checkpoint);
  return {
    topic,
    kafkaPartition: 0,
    keySchema: BYTES,
    key,
    valueSchema: BYTES,
    value,
    timestamp: null,
    headers: NO_HEADERS,
    sourcePartition: { partition: checkpoint.partition, topic: checkpoint.topic, group: checkpoint.group },
    sourceOffset: CHECKPOINT_OFFSET,
  };
}
