/**
 * Incremental-snapshot progress in the source offset: Debezium's key names and collection list
 * format, ferry's readable key form round-tripping every key shape, and Debezium's
 * Java-serialized keys recognised and dropped (the table starts over) instead of misread.
 */
import { describe, expect, it } from 'vitest';
import {
  decodeProgress, encodeProgress, NO_PROGRESS, type IncrementalProgress,
} from '../../../../connectors/mysql/incremental/incremental-offset.js';
import { decodeKey, encodeKey, keyIdentity, sqlLiteral } from '../../../../connectors/mysql/incremental/key-values.js';
import type { ColumnValue } from '../../../../connectors/mysql/values/column-value.js';
import type { ColumnDefinition, TableDefinition } from '../../../../connectors/mysql/schema/table-definition.js';

const progress: IncrementalProgress = {
  collections: [
    { id: 'shop.orders', additionalCondition: 'status = \'open\'', surrogateKey: null, correlationId: 'sig-1' },
    { id: 'shop.customers', additionalCondition: null, surrogateKey: null, correlationId: 'sig-1' },
  ],
  lastKey: [42, 'b'],
  maximumKey: [9000, 'z'],
  correlationId: 'sig-1',
};

describe('incremental snapshot offsets', () => {
  it('writes Debezium\'s keys, the collection list in its JSON layout', () => {
    const map = encodeProgress(progress);
    expect(Object.keys(map).sort()).toEqual([
      'incremental_snapshot_collections', 'incremental_snapshot_correlation_id', 'incremental_snapshot_maximum_key', 'incremental_snapshot_primary_key',
    ]);
    expect(JSON.parse(map.incremental_snapshot_collections!)).toEqual([
      { incremental_snapshot_collections_id: 'shop.orders', incremental_snapshot_collections_additional_condition: 'status = \'open\'',
        incremental_snapshot_collections_surrogate_key: null, incremental_snapshot_collections_correlation_id: 'sig-1' },
      { incremental_snapshot_collections_id: 'shop.customers', incremental_snapshot_collections_additional_condition: null,
        incremental_snapshot_collections_surrogate_key: null, incremental_snapshot_collections_correlation_id: 'sig-1' },
    ]);
    expect(map.incremental_snapshot_primary_key).toBe('[42,"b"]');
    expect(decodeProgress(map)).toEqual({ progress, warning: null });
  });

  it('writes nothing when no snapshot runs, and reads an offset without the keys as none', () => {
    expect(encodeProgress(NO_PROGRESS)).toEqual({});
    expect(decodeProgress({}).progress).toEqual(NO_PROGRESS);
  });

  it('round-trips every key value shape', () => {
    const key: ColumnValue[] = [
      -7, 'naïve', 9007199254740993n, Buffer.from([0, 255, 16]), null,
      { kind: 'decimal', text: '-12.50' }, { kind: 'date', year: 2024, month: 2, day: 29 },
      { kind: 'datetime', year: 2024, month: 1, day: 2, hour: 3, minute: 4, second: 5, microsecond: 6 },
      { kind: 'timestamp', epochMicros: 1700000000123456 }, { kind: 'time', micros: -3723000001 },
    ];
    expect(decodeKey(encodeKey(key))).toEqual(key);
  });

  it('recognises Debezium\'s Java-serialized keys and restarts the table rather than misread them', () => {
    const map = { ...encodeProgress(progress), incremental_snapshot_primary_key: 'aced0005757200135b4c6a6176612e6c616e672e4f626a656374' };
    const decoded = decodeProgress(map);
    expect(decoded.progress.collections.map((c) => c.id)).toEqual(['shop.orders', 'shop.customers']);
    expect(decoded.progress.lastKey).toBeNull();
    expect(decoded.progress.maximumKey).toBeNull();
    expect(decoded.warning).toMatch(/Java-serialized.*shop\.orders starts again from its first row/);
  });

  it('refuses a collection list that is not Debezium\'s JSON', () => {
    expect(() => decodeProgress({ incremental_snapshot_collections: 'shop.orders' })).toThrow(/not JSON/);
  });
});

const column = (name: string, typeName: string, length: number | null = null, scale: number | null = null): ColumnDefinition => ({
  name, position: 1, jdbcType: 0, typeName, typeExpression: typeName, charsetName: null, length, scale, unsigned: false,
  optional: false, autoIncremented: false, generated: false, enumValues: [], defaultValueExpression: null, comment: null,
});

describe('key values in SQL and identities', () => {
  const table: TableDefinition = {
    id: { database: 'd', table: 't' },
    columns: [column('b', 'BINARY', 4), column('n', 'BIGINT'), column('m', 'DECIMAL', 10, 2), column('ts', 'TIMESTAMP', 6)],
    primaryKeyColumnNames: ['b'], defaultCharsetName: null, comment: null,
  };

  it('pads BINARY(n) keys as a SELECT returns them, so binlog and snapshot keys match', () => {
    expect(keyIdentity(table, [0], [Buffer.from([1, 2])])).toBe(keyIdentity(table, [0], [Buffer.from([1, 2, 0, 0])]));
  });

  it('keeps BIGINTs numeric, casts decimals, writes timestamps in UTC', () => {
    const escape = (v: unknown): string => `'${String(v)}'`;
    expect(sqlLiteral(table, 1, 9007199254740993n, escape)).toBe('9007199254740993');
    expect(sqlLiteral(table, 2, { kind: 'decimal', text: '1.50' }, escape)).toBe('CAST(\'1.50\' AS DECIMAL(10,2))');
    expect(sqlLiteral(table, 3, { kind: 'timestamp', epochMicros: 1700000000123456 }, escape)).toBe('\'2023-11-14 22:13:20.123456\'');
  });
});
