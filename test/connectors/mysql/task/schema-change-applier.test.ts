/**
 * DDL from the binlog through the applier, on a real broker: history before events, schema-change
 * records only for captured tables, truncates as Debezium emits them, and the rule for statements
 * that cannot be parsed — skipped with a warning only when they concern no captured table (or
 * when the user allows it), otherwise the task fails naming the statement.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChangeEventBuilder } from '../../../../connectors/mysql/events/change-event-builder.js';
import { resolveEventSettings } from '../../../../connectors/mysql/events/event-settings.js';
import type { BinlogOffset } from '../../../../connectors/mysql/offsets/binlog-offset.js';
import { KafkaSchemaHistory } from '../../../../connectors/mysql/schema/schema-history.js';
import { SchemaModel } from '../../../../connectors/mysql/schema/schema-model.js';
import { TableFilter } from '../../../../connectors/mysql/schema/table-filter.js';
import type { DdlStatement } from '../../../../connectors/mysql/streaming/ddl-applier.js';
import { ChangeQueue } from '../../../../connectors/mysql/task/change-queue.js';
import { DebeziumRecordSink } from '../../../../connectors/mysql/task/debezium-record-sink.js';
import { SchemaChangeApplier } from '../../../../connectors/mysql/task/schema-change-applier.js';
import type { TaskLogger } from '../../../../connectors/sdk/task-logger.js';
import { ConnectorClusters } from '../../../../runtime/kafka/connector-clusters.js';
import { quietLogger } from '../../../runtime/kafka/kafka-test-kit.js';
import { startTestBroker, type TestBroker } from '../../../helpers/test-broker.js';

let broker: TestBroker;
const clusters = new ConnectorClusters(quietLogger);
beforeAll(async () => { broker = await startTestBroker(); });
afterAll(async () => {
  await clusters.closeAll();
  await broker.close();
});

interface Setup {
  applier: SchemaChangeApplier;
  queue: ChangeQueue;
  history: KafkaSchemaHistory;
  model: SchemaModel;
  warnings: string[];
}

let topicCounter = 0;

async function setup(options: { skipUnparseable?: boolean; skipTruncate?: boolean } = {}): Promise<Setup> {
  const warnings: string[] = [];
  const logger: TaskLogger = {
    debug: () => undefined, info: () => undefined, error: () => undefined,
    warn: (obj: object | string, msg?: string) => { warnings.push(typeof obj === 'string' ? obj : msg ?? ''); },
  };
  const filter = new TableFilter({ 'table.include.list': 'shop\\..*' });
  const history = new KafkaSchemaHistory({
    topic: `history-${++topicCounter}`, bootstrapServers: broker.bootstrap, clusters, name: 'applier-test', source: { server: 'p' }, flavor: 'mariadb',
  });
  await history.open();
  const model = new SchemaModel({ flavor: 'mariadb' });
  const builder = new ChangeEventBuilder(resolveEventSettings({ flavor: 'mariadb', topicPrefix: 'p', skippedOperations: new Set(options.skipTruncate === false ? [] : ['t']) }));
  const queue = new ChangeQueue(100);
  const sink = new DebeziumRecordSink(builder, queue, logger);
  const applier = new SchemaChangeApplier({
    model, history, filter, builder, sink, includeSchemaChanges: true,
    skipUnparseable: options.skipUnparseable ?? false, skipTruncate: options.skipTruncate ?? true,
    openConnection: () => { throw new Error('no server in this test'); },
    logger,
  });
  return { applier, queue, history, model, warnings };
}

let pos = 100;
function statement(sql: string, database = 'shop'): DdlStatement {
  pos += 100;
  const at = pos;
  const offset: BinlogOffset = { file: 'mysql-bin.000001', pos: at + 50, gtids: null, event: 0, row: 0, serverId: 1, tsSec: 1, snapshot: null, incremental: {} };
  return {
    sql, database, threadId: 7, gtid: `0-1-${at}`, file: 'mysql-bin.000001', eventPosition: at, serverId: 1,
    header: { timestamp: 1_700_000_000, typeCode: 2, serverId: 1, eventSize: 50, logPos: at + 50, flags: 0 },
    position: () => offset,
  };
}

const signal = new AbortController().signal;

describe('SchemaChangeApplier', () => {
  it('applies DDL to the model, stores it in the history, and publishes schema changes of captured tables only', async () => {
    const s = await setup();
    await s.applier.apply(statement('CREATE TABLE orders (id INT PRIMARY KEY, total DECIMAL(8,2))'), signal);
    await s.applier.apply(statement('CREATE TABLE other.audit (id INT PRIMARY KEY)', 'other'), signal);
    await s.applier.apply(statement("GRANT SELECT ON shop.* TO 'x'@'%'"), signal);
    expect(s.model.tableFor({ database: 'shop', table: 'orders' })!.columns.map((c) => c.name)).toEqual(['id', 'total']);
    expect(s.model.tableFor({ database: 'other', table: 'audit' })).toBeDefined();
    const records = await s.queue.take(10, 10, signal);
    expect(records.map((r) => r.topic)).toEqual(['p']);
    expect((records[0]!.value as { get(f: string): unknown }).get('ddl')).toBe('CREATE TABLE orders (id INT PRIMARY KEY, total DECIMAL(8,2))');
    const recovered = await s.history.recover(() => true);
    expect(recovered.tableIds().map((id) => `${id.database}.${id.table}`).sort()).toEqual(['other.audit', 'shop.orders']);
    await s.history.close();
  });

  it('fails on an unparseable statement that may change a captured table, naming it and the way out', async () => {
    const s = await setup();
    await s.applier.apply(statement('CREATE TABLE orders (id INT PRIMARY KEY)'), signal);
    await expect(s.applier.apply(statement('ALTER TABLE orders FROBNICATE COLUMN id'), signal))
      .rejects.toThrow(/Cannot parse the DDL statement at mysql-bin\.000001:\d+ .*ALTER TABLE orders FROBNICATE COLUMN id.*schema\.history\.internal\.skip\.unparseable\.ddl=true/s);
    await s.history.close();
  });

  it('skips, with a warning, an unparseable statement about a table that is not captured', async () => {
    const s = await setup();
    await s.applier.apply(statement('ALTER TABLE other.audit FROBNICATE', 'other'), signal);
    expect(s.warnings.join('\n')).toMatch(/cannot be parsed .*concerns no captured table/);
    await s.history.close();
  });

  it('skips an unparseable statement about a captured table only when skip.unparseable.ddl allows it', async () => {
    const s = await setup({ skipUnparseable: true });
    await s.applier.apply(statement('ALTER TABLE orders FROBNICATE'), signal);
    expect(s.warnings.join('\n')).toMatch(/schema\.history\.internal\.skip\.unparseable\.ddl=true/);
    await s.history.close();
  });

  it('publishes a truncate event for a captured table when "t" is not in skipped.operations', async () => {
    const s = await setup({ skipTruncate: false });
    await s.applier.apply(statement('CREATE TABLE orders (id INT PRIMARY KEY)'), signal);
    await s.applier.apply(statement('TRUNCATE TABLE orders'), signal);
    const records = await s.queue.take(10, 10, signal);
    expect(records.map((r) => r.topic)).toEqual(['p', 'p.shop.orders']);
    expect(records[1]!.key).toBeNull();
    expect((records[1]!.value as { get(f: string): unknown }).get('op')).toBe('t');
    await s.history.close();
  });
});
