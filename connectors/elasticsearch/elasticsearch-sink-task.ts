/**
 * The Elasticsearch sink task.
 *
 * start: reads GET / of the cluster (retried per max.retries; wrong credentials fail at once)
 * and picks the connection: the official client for Elasticsearch 8/9, plain HTTP otherwise.
 *
 * put: every record gets an offset ticket, then becomes a bulk action (or is skipped, or goes to
 * error tolerance when it cannot be converted) and is handed to the BulkProcessor, which sends it
 * in the background. The first record for an index creates it (or its data stream) and puts the
 * mapping inferred from the value schema when the index has none.
 *
 * flush (preCommit): sends the open batch and returns, per partition, the offset of the first
 * record not yet settled; with flush.synchronously it first waits for everything in flight.
 *
 * Back-pressure: when more than max.buffered.records are unsettled, the task pauses its
 * partitions and resumes them once fewer than half are; `put` itself waits only above twice the
 * limit (records already fetched), so memory stays bounded and nothing times out.
 *
 * Failure: a background failure (retries exhausted, an item that cannot be indexed,
 * behavior.on.malformed.documents=fail) is kept; the task resumes its partitions and asks for a
 * commit, `flush` throws it (so the runner rewinds to the last commit) and the next `put` throws
 * it, which fails the task with that message. Unsettled records are never committed.
 */
import { topicPartitionKey, type SinkRecord, type TopicPartition } from '../sdk/connect-record.js';
import type { RawConfig } from '../sdk/connector.js';
import type { Schema } from '../sdk/data/schema.js';
import { ConnectError, DataError } from '../sdk/errors.js';
import type { PartitionOffsets, SinkTask, SinkTaskContext } from '../sdk/sink-task.js';
import { bulkAction, headerVersion, type BulkAction } from './bulk-action.js';
import { BulkProcessor, type Pending } from './bulk-processor.js';
import { ClientConnection } from './client-connection.js';
import { Cluster } from './cluster.js';
import { connectionSettingsOf } from './connection-settings.js';
import { keyId, offsetId } from './document-id.js';
import { documentEntries, entriesToJson, setEntry } from './document-json.js';
import { elasticsearchSinkSpec, type ElasticsearchSinkConfig } from './elasticsearch-sink-config.js';
import type { EsConnection } from './es-connection.js';
import { HttpConnection } from './http-connection.js';
import { mappingOf } from './mapping.js';
import { OffsetTracker } from './offset-tracker.js';
import { dataStreamNameOf, indexNameOf } from './resource-name.js';
import { describeServer, serverKindOf, type ServerKind } from './server-kind.js';

export class ElasticsearchSinkTask implements SinkTask {
  readonly #abort = new AbortController();
  readonly #tracker = new OffsetTracker();
  readonly #resources = new Set<string>();
  readonly #mapped = new Set<string>();
  readonly #schemas = new Map<string, Schema | null>();
  #config: ElasticsearchSinkConfig | null = null;
  #context: SinkTaskContext | null = null;
  #cluster: Cluster | null = null;
  #processor: BulkProcessor | null = null;
  #server: ServerKind | null = null;
  #paused = false;
  #fatal: Error | null = null;

  /** The server found at start (for tests). */
  get server(): ServerKind | null {
    return this.#server;
  }

  async start(raw: RawConfig, context: SinkTaskContext): Promise<void> {
    const config = elasticsearchSinkSpec.parse(raw);
    this.#config = config;
    this.#context = context;
    const settings = connectionSettingsOf(config);
    const retry = { maxRetries: config.maxRetries, backoffMs: config.retryBackoffMs };
    const probe = new HttpConnection(settings);
    let connection: EsConnection = probe;
    try {
      const root = await new Cluster(probe, retry, context.logger, this.#abort.signal).call('reading the cluster info', 'GET', '/');
      this.#server = serverKindOf(root);
    } catch (err) {
      await probe.close();
      throw err;
    }
    if (this.#server.transport === 'client') {
      await probe.close();
      connection = await ClientConnection.open(settings);
    }
    context.logger.info({ urls: settings.urls }, `Elasticsearch sink connected to ${describeServer(this.#server)}`);
    this.#cluster = new Cluster(connection, retry, context.logger, this.#abort.signal);
    this.#processor = new BulkProcessor(this.#cluster, {
      batchSize: config.batchSize,
      bulkSizeBytes: config.bulkSizeBytes,
      lingerMs: config.lingerMs,
      maxInFlight: config.maxInFlightRequests,
      maxRetries: config.maxRetries,
      retryBackoffMs: config.retryBackoffMs,
    }, this.#tracker, {
      malformed: (pending, reason) => this.#onMalformed(pending, reason),
      conflict: async (pending, reason) => {
        context.logger.warn({ index: pending.action.index, id: pending.action.id }, `Version conflict: ${reason}`);
        await this.#report(pending.action.record, new ConnectError(`Version conflict: ${reason}`));
      },
      failed: (pending, reason) => this.#report(pending.action.record, new ConnectError(`Indexing record failed: ${reason}`)),
      indexMissing: (index) => this.#recreate(index),
      settled: () => this.#maybeResume(),
      fatal: (error) => this.#onFatal(error),
    }, context.logger, this.#abort.signal);
  }

  async put(records: readonly SinkRecord[]): Promise<void> {
    if (this.#fatal !== null) throw this.#fatal;
    const config = this.#requireConfig();
    const processor = this.#processor!;
    for (const record of records) {
      const ticket = this.#tracker.track(record);
      let action: BulkAction | null;
      try {
        action = await this.#actionOf(record, config);
      } catch (err) {
        if (!(err instanceof DataError)) throw err;
        if (config.dropInvalidMessage) {
          this.#context!.logger.error({ topic: record.topic, partition: record.kafkaPartition, offset: record.kafkaOffset, err: err.message },
            'Dropping a record that cannot be converted (drop.invalid.message=true)');
        } else {
          await this.#context!.reportErrantRecord(record, err);
        }
        action = null;
      }
      if (action === null) {
        this.#tracker.done(ticket);
        continue;
      }
      processor.add({ action, ticket });
    }
    this.#maybePause();
    while (this.#tracker.pending > 2 * config.maxBufferedRecords && this.#fatal === null) await processor.progress();
    if (this.#fatal !== null) throw this.#fatal;
  }

  async flush(currentOffsets: PartitionOffsets): Promise<PartitionOffsets> {
    if (this.#fatal !== null) throw this.#fatal;
    const config = this.#requireConfig();
    const processor = this.#processor!;
    if (config.flushSynchronously) await processor.drain(config.flushTimeoutMs);
    else processor.flush();
    const offsets = this.#tracker.offsets();
    for (const [key, entry] of currentOffsets) if (!offsets.has(key)) offsets.set(key, entry);
    return offsets;
  }

  close(partitions: readonly TopicPartition[]): void {
    this.#tracker.close(partitions);
    if (this.#paused) {
      const closing = new Set(partitions.map(topicPartitionKey));
      if (this.#context!.assignment().every((tp) => closing.has(topicPartitionKey(tp)))) this.#paused = false;
    }
  }

  async stop(): Promise<void> {
    const config = this.#config;
    if (this.#processor !== null && config !== null && this.#fatal === null) await this.#processor.drain(Math.min(config.flushTimeoutMs, 10_000));
    this.#abort.abort();
    this.#processor?.close();
    await this.#cluster?.connection.close();
  }

  /** The bulk action for a record, or null when it is skipped (a null value to ignore). */
  async #actionOf(record: SinkRecord, config: ElasticsearchSinkConfig): Promise<BulkAction | null> {
    const dataStream = config.dataStreamType !== 'NONE';
    const ignoreKey = config.keyIgnore || config.topicKeyIgnore.includes(record.topic);
    const ignoreSchema = config.schemaIgnore || config.topicSchemaIgnore.includes(record.topic);
    if (record.value === null || record.value === undefined) {
      if (config.behaviorOnNullValues === 'ignore') return null;
      if (config.behaviorOnNullValues === 'fail') {
        throw new DataError(`record from topic=${record.topic} partition=${record.kafkaPartition} offset=${record.kafkaOffset} has a null value `
          + '(to ignore future records like this change the configuration property \'behavior.on.null.values\' from \'fail\' to \'ignore\')');
      }
      if (record.key === null || record.key === undefined) return null;
    }
    const index = dataStream
      ? dataStreamNameOf(record.topic, { type: config.dataStreamType, dataset: config.dataStreamDataset, namespace: config.dataStreamNamespace })
      : indexNameOf(record.topic);
    await this.#prepare(index, record, dataStream, ignoreSchema);
    const id = ignoreKey ? offsetId(record) : keyId(record);
    // Upserts are unversioned: their documents carry internal versions, which an external version
    // (an offset) for a delete of the same id need not exceed. Such deletes are unversioned too, and so
    // ordered after the key's earlier updates like any unversioned action (a replay re-applies them in order).
    const versioned = !dataStream && !ignoreKey && config.writeMethod !== 'upsert';
    const version = versioned ? (config.externalVersionHeader !== '' ? headerVersion(record, config.externalVersionHeader) : record.kafkaOffset) : null;
    const retryOnConflict = Math.min(config.maxInFlightRequests, 5);
    if (record.value === null || record.value === undefined) {
      return bulkAction({ record, kind: 'delete', index, id, externalVersion: version, document: null, retryOnConflict });
    }
    const entries = documentEntries(record.valueSchema, record.value, { preprocess: !ignoreSchema, compactMapEntries: config.compactMapEntries });
    if (dataStream) setEntry(entries, '@timestamp', timestampOf(entries, config.dataStreamTimestampField, record));
    const document = entriesToJson(entries);
    if (config.writeMethod === 'upsert') return bulkAction({ record, kind: 'update', index, id, externalVersion: null, document, retryOnConflict });
    if (config.useAutogeneratedIds) return bulkAction({ record, kind: dataStream ? 'create' : 'index', index, id: null, externalVersion: null, document, retryOnConflict });
    return bulkAction({ record, kind: dataStream ? 'create' : 'index', index, id, externalVersion: version, document, retryOnConflict });
  }

  /** Creates the index (or data stream) and its mapping the first time the task writes to it. */
  async #prepare(index: string, record: SinkRecord, dataStream: boolean, ignoreSchema: boolean): Promise<void> {
    if (!this.#schemas.has(index)) this.#schemas.set(index, ignoreSchema ? null : record.valueSchema);
    if (!this.#resources.has(index)) {
      if (await this.#cluster!.ensureResource(index, dataStream)) this.#context!.logger.info({ index }, `Created ${dataStream ? 'data stream' : 'index'} ${index}`);
      this.#resources.add(index);
    }
    if (!ignoreSchema && !this.#mapped.has(index) && record.value !== null && record.value !== undefined) {
      const mapping = mappingOf(record.valueSchema);
      if (!(await this.#cluster!.hasMapping(index))) await this.#cluster!.putMapping(index, mapping);
      this.#mapped.add(index);
    }
  }

  async #recreate(index: string): Promise<void> {
    this.#context?.logger.warn({ index }, `Index ${index} disappeared while the task was writing to it; creating it again`);
    this.#resources.delete(index);
    this.#mapped.delete(index);
    const dataStream = this.#config!.dataStreamType !== 'NONE';
    if (await this.#cluster!.ensureResource(index, dataStream)) this.#resources.add(index);
    const schema = this.#schemas.get(index);
    if (schema !== null && schema !== undefined) {
      if (!(await this.#cluster!.hasMapping(index))) await this.#cluster!.putMapping(index, mappingOf(schema));
      this.#mapped.add(index);
    }
  }

  async #onMalformed(pending: Pending, reason: string): Promise<void> {
    const config = this.#requireConfig();
    const { record } = pending.action;
    const where = { topic: record.topic, partition: record.kafkaPartition, offset: record.kafkaOffset, index: pending.action.index };
    await this.#report(record, new DataError(`Elasticsearch rejected the document as malformed: ${reason}`));
    if (config.behaviorOnMalformedDocuments === 'fail') {
      throw new ConnectError(`Indexing record failed: Elasticsearch rejected the document from topic=${record.topic} partition=${record.kafkaPartition} `
        + `offset=${record.kafkaOffset} as malformed: ${reason}. To skip such documents, set behavior.on.malformed.documents to warn or ignore.`);
    }
    if (config.behaviorOnMalformedDocuments === 'warn') this.#context!.logger.warn(where, `Skipping a document Elasticsearch rejected: ${reason}`);
    else this.#context!.logger.debug(where, `Skipping a document Elasticsearch rejected: ${reason}`);
  }

  /** Dead-letters a record; a tolerance that does not allow it is logged, not thrown (the caller decides about failing). */
  async #report(record: SinkRecord, error: Error): Promise<void> {
    try {
      await this.#context!.reportErrantRecord(record, error);
    } catch (err) {
      this.#context!.logger.debug({ err: (err as Error).message }, 'The record could not be dead-lettered (errors.tolerance)');
    }
  }

  #maybePause(): void {
    const context = this.#context!;
    if (this.#paused || this.#tracker.pending <= this.#config!.maxBufferedRecords) return;
    const assignment = context.assignment();
    if (assignment.length === 0) return;
    this.#paused = true;
    context.logger.debug({ pending: this.#tracker.pending }, 'Pausing consumption: too many records wait for Elasticsearch');
    context.pause(...assignment);
  }

  #maybeResume(): void {
    if (!this.#paused || this.#tracker.pending > this.#config!.maxBufferedRecords / 2) return;
    this.#resumeAll();
  }

  #resumeAll(): void {
    const context = this.#context!;
    this.#paused = false;
    const assignment = context.assignment();
    if (assignment.length > 0) context.resume(...assignment);
  }

  #onFatal(error: Error): void {
    if (this.#fatal !== null) return;
    this.#fatal = error instanceof ConnectError ? error : new ConnectError(error.message, { cause: error });
    this.#context?.logger.error({ err: error.message }, 'The Elasticsearch sink cannot go on');
    if (this.#paused) this.#resumeAll();
    this.#context?.requestCommit();
  }

  #requireConfig(): ElasticsearchSinkConfig {
    if (this.#config === null) throw new ConnectError('The Elasticsearch sink task is not started');
    return this.#config;
  }
}

/** The @timestamp of a data stream document: the first present timestamp field (as text), else the record timestamp. */
function timestampOf(entries: ReturnType<typeof documentEntries>, fields: readonly string[], record: SinkRecord): string {
  for (const field of fields) {
    const entry = entries.find(([k]) => k === field);
    if (entry === undefined) continue;
    const json = entry[1];
    return json.startsWith('"') ? json : JSON.stringify(json);
  }
  return record.timestamp === null ? 'null' : String(record.timestamp);
}
