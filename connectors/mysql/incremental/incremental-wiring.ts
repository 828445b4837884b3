/**
 * How the task sets up incremental snapshots from its configuration: only with a signal table
 * (`signal.data.collection`) and the `source` channel enabled; other channels are reported once.
 */
import type { Connection } from 'mysql2/promise';
import type { MySqlSourceConfig } from '../mysql-source-config.js';
import type { BinlogOffset } from '../offsets/binlog-offset.js';
import type { SchemaModel } from '../schema/schema-model.js';
import type { TableFilter } from '../schema/table-filter.js';
import type { DebeziumRecordSink } from '../task/debezium-record-sink.js';
import type { TaskLogger } from '../../sdk/task-logger.js';
import { IncrementalSnapshotter, type WatermarkingStrategy } from './incremental-snapshotter.js';

export interface IncrementalWiring {
  readonly config: MySqlSourceConfig;
  /** Where streaming starts (its incremental_snapshot_* keys say whether a snapshot was running). */
  readonly start: BinlogOffset;
  readonly sink: DebeziumRecordSink;
  readonly model: SchemaModel;
  readonly filter: TableFilter;
  readonly openConnection: () => Promise<Connection>;
  readonly logger: TaskLogger;
}

/** The task's incremental snapshotter (signal table definition read), or null when signals are off. */
export async function incrementalSnapshotterFor(w: IncrementalWiring): Promise<IncrementalSnapshotter | null> {
  const { config, logger } = w;
  const signalTable = config.signalDataCollection?.trim() ?? '';
  const running = Object.keys(w.start.incremental).length > 0;
  const channels = config.signalEnabledChannels.map((c) => c.trim().toLowerCase()).filter((c) => c !== '');
  const others = channels.filter((c) => c !== 'source');
  if (others.length > 0) {
    logger.warn({ channels: others }, `signal.enabled.channels: ferry reads signals from the signal table (source) only; ${others.join(', ')} are not read`);
  }
  if (signalTable === '' || !channels.includes('source')) {
    if (running) {
      logger.warn('The stored offset records an incremental snapshot in progress, but signals are off '
        + '(signal.data.collection unset or source not in signal.enabled.channels): it does not continue');
    }
    return null;
  }
  const snapshotter = new IncrementalSnapshotter({
    signalDataCollection: signalTable,
    chunkSize: config.incrementalSnapshotChunkSize,
    strategy: config.incrementalSnapshotWatermarkingStrategy as WatermarkingStrategy,
    openConnection: w.openConnection,
    sink: w.sink,
    tableFor: (id) => w.model.tableFor(id),
    capturedTables: () => w.model.tables().map((t) => t.id).filter((id) => w.filter.isTableIncluded(id)),
    isIncluded: (id) => w.filter.isTableIncluded(id),
    stored: w.start.incremental,
    databaseUser: config.databaseUser,
    logger,
  });
  await snapshotter.prepare();
  return snapshotter;
}
