/** Table definitions and JSON helpers shared by the events tests. */
import { JsonConverter } from '../../../../runtime/pipeline/converters/json-converter.js';
import type { Schema } from '../../../../connectors/sdk/data/schema.js';
import type { ColumnDefinition, TableDefinition } from '../../../../connectors/mysql/schema/table-definition.js';
import type { EventPosition } from '../../../../connectors/mysql/events/change-event-builder.js';

export function column(name: string, position: number, typeName: string, extra: Partial<ColumnDefinition> = {}): ColumnDefinition {
  return {
    name,
    position,
    jdbcType: 4,
    typeName,
    typeExpression: typeName,
    charsetName: null,
    length: null,
    scale: null,
    unsigned: false,
    optional: true,
    autoIncremented: false,
    generated: false,
    enumValues: [],
    defaultValueExpression: null,
    comment: null,
    ...extra,
  };
}

export function table(database: string, name: string, columns: ColumnDefinition[], primaryKey: string[]): TableDefinition {
  return { id: { database, table: name }, columns, primaryKeyColumnNames: primaryKey, defaultCharsetName: 'utf8mb4', comment: null };
}

/** The `customers` table of Debezium's mysql.adoc event examples. */
export const customers = table('inventory', 'customers', [
  column('id', 1, 'INT', { optional: false, autoIncremented: true }),
  column('first_name', 2, 'VARCHAR', { optional: false, length: 255, charsetName: 'utf8mb4', jdbcType: 12 }),
  column('last_name', 3, 'VARCHAR', { optional: false, length: 255, charsetName: 'utf8mb4', jdbcType: 12 }),
  column('email', 4, 'VARCHAR', { optional: false, length: 255, charsetName: 'utf8mb4', jdbcType: 12 }),
], ['id']);

/** What a user reads from the topic: JsonConverter (schemas.enable=true) output, parsed. */
export function userJson(schema: Schema | null, value: unknown): unknown {
  const converter = new JsonConverter();
  converter.configure({}, false);
  const bytes = converter.fromConnectData('t', [], schema, value);
  return bytes === null ? null : JSON.parse(bytes.toString('utf8')) as unknown;
}

/** The raw JSON text (to check numbers JSON.parse would round, such as ts_ns). */
export function userJsonText(schema: Schema | null, value: unknown): string | null {
  const converter = new JsonConverter();
  converter.configure({}, false);
  return converter.fromConnectData('t', [], schema, value)?.toString('utf8') ?? null;
}

export function streamingAt(extra: Partial<EventPosition['source']> = {}): EventPosition {
  return {
    source: {
      tsMicros: 1_465_491_411_000_000, snapshot: null, database: 'inventory', table: 'customers', serverId: 223344,
      gtid: null, file: 'mysql-bin.000003', pos: 154, row: 0, thread: 7, query: null, ...extra,
    },
    offset: { file: 'mysql-bin.000003', pos: 154, row: 1, server_id: 223344, event: 2 },
  };
}

/** A clock fixed at the instant of the docs' create example (1465491411815437158 ns). */
export const docsClock = (): bigint => 1_465_491_411_815_437_158n;
