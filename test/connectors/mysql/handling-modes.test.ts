/**
 * Debezium's value-handling settings through a worker, each as its own connector on the same
 * database (own topic.prefix and database.server.id): what a consumer reads through JsonConverter
 * for a snapshot row and for streamed changes. Expected schemas and values: connectors.md §1.2 and
 * §1.6 (Debezium's "Data type mappings": Decimal types, Temporal types, Basic types), and the
 * tombstones.on.delete / skipped.operations properties.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { cdcConfig, ops, startCdcSetting, untilRecords, type CdcSetting, type ChangeRecord } from './cdc-harness.js';

const COLUMNS = `id INT PRIMARY KEY, amount DECIMAL(10,2), tm TIME(6), dt DATE, dtm DATETIME(6),
  big BIGINT UNSIGNED, bin VARBINARY(8), secret VARCHAR(20), note VARCHAR(20)`;
const ROW = (id: number, note: string): string =>
  `(${id}, 1234.50, '12:34:56.789012', '2018-06-20', '2018-06-20 06:37:03.123456', 18446744073709551615, x'fbff01', 'pw-${id}', '${note}')`;

interface ModeConnector {
  readonly name: string;
  readonly settings: Record<string, string>;
}

const CONNECTORS: readonly ModeConnector[] = [
  { name: 'dec-string', settings: { 'decimal.handling.mode': 'string' } },
  { name: 'dec-double', settings: { 'decimal.handling.mode': 'double' } },
  { name: 'time-connect', settings: { 'time.precision.mode': 'connect' } },
  { name: 'big-precise', settings: { 'bigint.unsigned.handling.mode': 'precise' } },
  { name: 'bin-base64', settings: { 'binary.handling.mode': 'base64' } },
  { name: 'bin-hex', settings: { 'binary.handling.mode': 'hex' } },
  { name: 'no-secret', settings: { 'column.exclude.list': 'modes_db\\.vals\\.secret' } },
  { name: 'no-tombstone', settings: { 'tombstones.on.delete': 'false' } },
  { name: 'skip-updates', settings: { 'skipped.operations': 'u' } },
];

const topic = (name: string): string => `${name}.modes_db.vals`;
let setting: CdcSetting;
const seen = new Map<string, ChangeRecord[]>();

beforeAll(async () => {
  setting = await startCdcSetting();
  await setting.db.query(`CREATE DATABASE modes_db; CREATE TABLE modes_db.vals (${COLUMNS}); INSERT INTO modes_db.vals VALUES ${ROW(1, 'snapshot')};`);
  for (const [i, c] of CONNECTORS.entries()) {
    await setting.rest.createConnector(c.name, cdcConfig(setting, c.name, {
      'database.server.id': String(5500 + i), 'table.include.list': 'modes_db\\.vals', ...c.settings,
    }));
  }
  for (const c of CONNECTORS) {
    await setting.rest.untilStates(c.name, { connector: 'RUNNING', tasks: ['RUNNING'] });
    await untilRecords(setting, topic(c.name), 1, 60_000);
  }
  await setting.db.query(`
    INSERT INTO modes_db.vals VALUES ${ROW(2, 'streamed')};
    UPDATE modes_db.vals SET note = 'updated' WHERE id = 2;
    DELETE FROM modes_db.vals WHERE id = 2;
    INSERT INTO modes_db.vals VALUES ${ROW(3, 'before truncate')};
    TRUNCATE TABLE modes_db.vals;
    INSERT INTO modes_db.vals VALUES ${ROW(4, 'last')};
  `);
  // Every connector ends with the insert of row 4: once it is there, nothing else is on its way.
  for (const c of CONNECTORS) {
    seen.set(c.name, await untilLast(c.name));
  }
}, 180_000);

async function untilLast(name: string): Promise<ChangeRecord[]> {
  for (let count = 4; ; count++) {
    const records = await untilRecords(setting, topic(name), count, 60_000);
    const last = records[records.length - 1]!;
    if (last.value !== null && last.value.payload.after && (last.value.payload.after as Record<string, unknown>).id === 4) return records;
  }
}

function field(record: ChangeRecord, name: string): Record<string, unknown> | undefined {
  const after = (record.value!.schema.fields as Array<{ field: string; fields: Array<Record<string, unknown>> }>).find((f) => f.field === 'after')!;
  return after.fields.find((f) => f.field === name);
}

/** The column's field schema and its value in the snapshot row and the streamed insert, which must agree. */
function column(name: string, col: string): { schema: Record<string, unknown> | undefined; value: unknown } {
  const records = seen.get(name)!;
  const [snapshot, insert] = [records[0]!, records[1]!];
  expect(ops([snapshot, insert]), name).toEqual(['r', 'c']);
  expect(field(insert, col), `${name}: ${col} schema streamed`).toEqual(field(snapshot, col));
  const value = (snapshot.value!.payload.after as Record<string, unknown>)[col];
  expect((insert.value!.payload.after as Record<string, unknown>)[col], `${name}: ${col} streamed`).toEqual(value);
  return { schema: field(snapshot, col), value };
}

describe('handling modes, each a connector of its own, as a consumer reads them', () => {
  it('decimal.handling.mode=string is a plain string with the column scale', () => {
    expect(column('dec-string', 'amount')).toEqual({ schema: { type: 'string', optional: true, field: 'amount' }, value: '1234.50' });
  });

  it('decimal.handling.mode=double is a float64', () => {
    expect(column('dec-double', 'amount')).toEqual({ schema: { type: 'double', optional: true, field: 'amount' }, value: 1234.5 });
  });

  it('time.precision.mode=connect: Kafka Connect Date, Time (ms, int32) and Timestamp (ms)', () => {
    expect(column('time-connect', 'dt')).toEqual({
      schema: { type: 'int32', optional: true, name: 'org.apache.kafka.connect.data.Date', version: 1, field: 'dt' }, value: 17702,
    });
    expect(column('time-connect', 'tm')).toEqual({
      schema: { type: 'int32', optional: true, name: 'org.apache.kafka.connect.data.Time', version: 1, field: 'tm' }, value: 45296789,
    });
    expect(column('time-connect', 'dtm')).toEqual({
      schema: { type: 'int64', optional: true, name: 'org.apache.kafka.connect.data.Timestamp', version: 1, field: 'dtm' }, value: 1529476623123,
    });
  });

  it('bigint.unsigned.handling.mode=precise is a scale-0 Decimal of precision 20', () => {
    expect(column('big-precise', 'big')).toEqual({
      schema: {
        type: 'bytes', optional: true, name: 'org.apache.kafka.connect.data.Decimal', version: 1,
        parameters: { scale: '0', 'connect.decimal.precision': '20' }, field: 'big',
      },
      // 18446744073709551615 as a two's-complement big-endian integer: 00 ff ff ff ff ff ff ff ff.
      value: 'AP//////////',
    });
    // The default (long) for comparison: the same value wraps to -1.
    expect(column('dec-string', 'big')).toEqual({ schema: { type: 'int64', optional: true, field: 'big' }, value: -1 });
  });

  it('binary.handling.mode=base64 and hex are strings', () => {
    expect(column('bin-base64', 'bin')).toEqual({ schema: { type: 'string', optional: true, field: 'bin' }, value: '+/8B' });
    expect(column('bin-hex', 'bin')).toEqual({ schema: { type: 'string', optional: true, field: 'bin' }, value: 'fbff01' });
    // bytes (the default) is JsonConverter's base64 of a bytes field.
    expect(column('dec-string', 'bin')).toEqual({ schema: { type: 'bytes', optional: true, field: 'bin' }, value: '+/8B' });
  });

  it('column.exclude.list leaves the column out of before and after, schema and payload', () => {
    const records = seen.get('no-secret')!;
    for (const r of records.filter((x) => x.value !== null)) {
      const fields = (r.value!.schema.fields as Array<{ field: string; fields?: Array<{ field: string }> }>)
        .filter((f) => f.field === 'before' || f.field === 'after');
      for (const f of fields) expect(f.fields!.map((x) => x.field)).toEqual(['id', 'amount', 'tm', 'dt', 'dtm', 'big', 'bin', 'note']);
      const image = (r.value!.payload.after ?? r.value!.payload.before) as Record<string, unknown>;
      expect(image).not.toHaveProperty('secret');
    }
    expect(ops(records)).toEqual(['r', 'c', 'u', 'd', '-', 'c', 'c']);
    expect(records[2]!.value!.payload.before).toMatchObject({ id: 2, note: 'streamed' });
    // Other connectors still see it.
    expect(seen.get('dec-string')![1]!.value!.payload.after).toMatchObject({ secret: 'pw-2' });
  });

  it('tombstones.on.delete=false: a delete is not followed by a tombstone', () => {
    expect(ops(seen.get('no-tombstone')!)).toEqual(['r', 'c', 'u', 'd', 'c', 'c']);
    expect(ops(seen.get('dec-string')!)).toEqual(['r', 'c', 'u', 'd', '-', 'c', 'c']);
  });

  it('skipped.operations=u: updates are not emitted; creates, deletes and (no longer skipped) truncates are', () => {
    const records = seen.get('skip-updates')!;
    expect(ops(records)).toEqual(['r', 'c', 'd', '-', 'c', 't', 'c']);
    // A truncate has a null key and no row images (connectors.md §1.5): JsonConverter writes them as null.
    const truncate = records[5]!;
    expect(truncate.key).toBeNull();
    expect(truncate.value!.payload).toMatchObject({ before: null, after: null, op: 't' });
    expect(truncate.value!.payload.source).toMatchObject({ db: 'modes_db', table: 'vals' });
    // The delete's before image is the updated row: the update happened, only its event is skipped.
    expect(records[2]!.value!.payload.before).toMatchObject({ id: 2, note: 'updated' });
  });
});
