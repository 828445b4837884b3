/**
 * Every column type of Debezium's type mapping (connectors.md §1.6), through the whole product:
 * MariaDB → snapshot or binlog → ferry worker → JsonConverter (schemas enabled) → topic, read with
 * kcat as a consumer reads it. Each column's field schema and value are compared with what
 * Debezium documents ("Data type mappings" in shared-mariadb-mysql.adoc; where the docs give no
 * example value, Debezium's converters, as cited in test/connectors/mysql/events/type-mapping.test.ts),
 * and a stored value must read the same whether it came by snapshot (`r`) or binlog (`c`, `u`).
 *
 * Debezium's own, deliberate differences are asserted as Debezium behaves:
 * - TINYINT (and BOOLEAN, which the server stores as TINYINT(1)) is int16: Debezium reads TINYINT
 *   as SMALLINT. A table whose definition comes from SHOW CREATE TABLE (snapshot) sees `tinyint(1)`;
 *   only a BOOLEAN column created by DDL read from the binlog is a boolean.
 * - MariaDB's JSON is a LONGTEXT alias: SHOW CREATE TABLE says `longtext`, a plain string; JSON DDL
 *   read from the binlog is io.debezium.data.Json (MariaDbAntlrDdlParser maps JSON to Types.OTHER
 *   "JSON", which BinlogValueConverters turns into Json).
 * - FLOAT read by a snapshot is the server's text (MariaDB prints 6 significant digits), so a FLOAT
 *   with more digits reads rounded by snapshot and exact from the binlog (JDBC does the same).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { kcatReadJson } from '../../helpers/kcat.js';
import { cdcConfig, startCdcSetting, untilRecords, type CdcSetting } from './cdc-harness.js';

type Json = null | boolean | number | bigint | string | Json[] | { [key: string]: Json };

interface MatrixColumn {
  /** Column name. */
  readonly name: string;
  /** Its type in CREATE TABLE. */
  readonly ddl: string;
  /** The field schema JsonConverter writes (without `field`; `optional: true` unless stated). */
  readonly schema: Record<string, Json>;
  /** Row A and row B: the SQL literal stored, and the payload value a consumer reads. */
  readonly a: readonly [string, Json];
  readonly b: readonly [string, Json];
  /** The value a consumer reads for a row inserted with only its id (default `null`). */
  readonly absent?: Json;
}

const b64 = (bytes: number[]): string => Buffer.from(bytes).toString('base64');
const decimal = (precision: number, scale: number): Record<string, Json> => ({
  type: 'bytes', name: 'org.apache.kafka.connect.data.Decimal', version: 1,
  parameters: { scale: String(scale), 'connect.decimal.precision': String(precision) },
});
const named = (type: string, name: string, extra: Record<string, Json> = {}): Record<string, Json> => ({ type, name, version: 1, ...extra });

/** OGC WKB, little-endian: what Debezium's Geometry/Point `wkb` holds (the server's SRID prefix removed). */
function wkb(type: 1 | 2, ...coordinates: number[]): string {
  const header = Buffer.alloc(type === 1 ? 5 : 9);
  header[0] = 1;
  header.writeUInt32LE(type, 1);
  if (type === 2) header.writeUInt32LE(coordinates.length / 2, 5);
  const doubles = Buffer.alloc(8 * coordinates.length);
  coordinates.forEach((c, i) => doubles.writeDoubleLE(c, 8 * i));
  return Buffer.concat([header, doubles]).toString('base64');
}

const GEOMETRY_SCHEMA = {
  type: 'struct', name: 'io.debezium.data.geometry.Geometry', version: 1, doc: 'Geometry',
  fields: [{ type: 'bytes', optional: false, field: 'wkb' }, { type: 'int32', optional: true, field: 'srid' }],
};
const POINT_SCHEMA = {
  type: 'struct', name: 'io.debezium.data.geometry.Point', version: 1, doc: 'Geometry (POINT)',
  fields: [
    { type: 'double', optional: false, field: 'x' }, { type: 'double', optional: false, field: 'y' },
    { type: 'bytes', optional: true, field: 'wkb' }, { type: 'int32', optional: true, field: 'srid' },
  ],
};

// Decimal values are the two's-complement big-endian unscaled value (BigInteger.toByteArray).
const MATRIX: readonly MatrixColumn[] = [
  { name: 'ti', ddl: 'TINYINT', schema: { type: 'int16' }, a: ['-128', -128], b: ['127', 127] },
  { name: 'tiu', ddl: 'TINYINT UNSIGNED', schema: { type: 'int16' }, a: ['0', 0], b: ['255', 255] },
  { name: 'si', ddl: 'SMALLINT', schema: { type: 'int16' }, a: ['-32768', -32768], b: ['32767', 32767] },
  { name: 'siu', ddl: 'SMALLINT UNSIGNED', schema: { type: 'int32' }, a: ['0', 0], b: ['65535', 65535] },
  { name: 'mi', ddl: 'MEDIUMINT', schema: { type: 'int32' }, a: ['-8388608', -8388608], b: ['8388607', 8388607] },
  { name: 'miu', ddl: 'MEDIUMINT UNSIGNED', schema: { type: 'int32' }, a: ['0', 0], b: ['16777215', 16777215] },
  { name: 'i', ddl: 'INT', schema: { type: 'int32' }, a: ['-2147483648', -2147483648], b: ['2147483647', 2147483647] },
  { name: 'iu', ddl: 'INT UNSIGNED', schema: { type: 'int64' }, a: ['0', 0], b: ['4294967295', 4294967295] },
  { name: 'bi', ddl: 'BIGINT', schema: { type: 'int64' }, a: ['-9223372036854775808', -9223372036854775808n], b: ['9223372036854775807', 9223372036854775807n] },
  // bigint.unsigned.handling.mode=long: values above 2^63-1 wrap to negative longs.
  { name: 'biu', ddl: 'BIGINT UNSIGNED', schema: { type: 'int64' }, a: ['9223372036854775808', -9223372036854775808n], b: ['18446744073709551615', -1] },
  { name: 'dec1', ddl: 'DECIMAL(10,2)', schema: decimal(10, 2), a: ['-12345678.91', 'tmn9LQ=='], b: ['99999999.99', 'AlQL4/8='] },
  {
    name: 'dec2', ddl: 'DECIMAL(65,30)', schema: decimal(65, 30), a: ['0.000000000000000000000000000001', 'AQ=='],
    b: [`-${'9'.repeat(35)}.${'9'.repeat(30)}`, '/wzp2OOAPG91dBC5sca6EIXayfYAAAAAAAAAAQ=='],
  },
  { name: 'f', ddl: 'FLOAT', schema: { type: 'float' }, a: ['-1.5', -1.5], b: ['3.25', 3.25] },
  { name: 'd', ddl: 'DOUBLE', schema: { type: 'double' }, a: ['-2.5e-300', -2.5e-300], b: ['1.7976931348623157e308', 1.7976931348623157e308] },
  { name: 'b1', ddl: 'BIT(1)', schema: { type: 'boolean' }, a: ["b'0'", false], b: ["b'1'", true] },
  // Bits: little-endian, ceil(10/8) bytes: b'1000000001' = 0x0201 → 01 02.
  { name: 'b10', ddl: 'BIT(10)', schema: named('bytes', 'io.debezium.data.Bits', { parameters: { length: '10' } }), a: ["b'1000000001'", b64([0x01, 0x02])], b: ["b'1111111111'", b64([0xff, 0x03])] },
  { name: 'bo', ddl: 'BOOLEAN', schema: { type: 'int16' }, a: ['FALSE', 0], b: ['TRUE', 1] },
  { name: 'ch', ddl: 'CHAR(5) CHARACTER SET utf8mb4', schema: { type: 'string' }, a: ["'é'", 'é'], b: ["'abcde'", 'abcde'] },
  { name: 'vc', ddl: 'VARCHAR(20) CHARACTER SET utf8mb4', schema: { type: 'string' }, a: ["'😀 ok'", '😀 ok'], b: ["''", ''] },
  { name: 'tx', ddl: 'TEXT CHARACTER SET utf8mb4', schema: { type: 'string' }, a: ["'line\\nnew «ü» 日本'", 'line\nnew «ü» 日本'], b: ["''", ''] },
  { name: 'lt', ddl: 'VARCHAR(10) CHARACTER SET latin1', schema: { type: 'string' }, a: ["'café'", 'café'], b: ["'¡Ünïcøde!'", '¡Ünïcøde!'] },
  // BINARY(n) is right-padded with zero bytes.
  { name: 'bn', ddl: 'BINARY(4)', schema: { type: 'bytes' }, a: ["x'0102'", b64([1, 2, 0, 0])], b: ["x'ffffffff'", b64([255, 255, 255, 255])] },
  { name: 'vb', ddl: 'VARBINARY(10)', schema: { type: 'bytes' }, a: ["x'00ff'", b64([0, 255])], b: ["''", ''] },
  { name: 'bl', ddl: 'BLOB', schema: { type: 'bytes' }, a: ["x'fbff01'", '+/8B'], b: ["''", ''] },
  { name: 'en', ddl: "ENUM('S','M','L')", schema: named('string', 'io.debezium.data.Enum', { parameters: { allowed: 'S,M,L' } }), a: ["'S'", 'S'], b: ["'L'", 'L'] },
  { name: 'st', ddl: "SET('a','b','c')", schema: named('string', 'io.debezium.data.EnumSet', { parameters: { allowed: 'a,b,c' } }), a: ["'c,a'", 'a,c'], b: ["''", ''] },
  { name: 'dt', ddl: 'DATE', schema: named('int32', 'io.debezium.time.Date'), a: ["'1000-01-01'", -354285], b: ["'9999-12-31'", 2932896] },
  // Zero dates: null for a nullable column, the epoch for a NOT NULL one (also its implicit default).
  { name: 'zdn', ddl: 'DATE', schema: named('int32', 'io.debezium.time.Date'), a: ["'0000-00-00'", null], b: ["'2020-02-29'", 18321] },
  { name: 'zd', ddl: 'DATE NOT NULL', schema: named('int32', 'io.debezium.time.Date', { optional: false }), a: ["'0000-00-00'", 0], b: ["'1970-01-02'", 1], absent: 0 },
  { name: 'zdt', ddl: 'DATETIME NOT NULL', schema: named('int64', 'io.debezium.time.Timestamp', { optional: false }), a: ["'0000-00-00 00:00:00'", 0], b: ["'1970-01-01 00:00:01'", 1000], absent: 0 },
  { name: 'tm', ddl: 'TIME(6)', schema: named('int64', 'io.debezium.time.MicroTime'), a: ["'-838:59:59.000000'", -3020399000000], b: ["'838:59:59.000000'", 3020399000000] },
  { name: 'tm0', ddl: 'TIME', schema: named('int64', 'io.debezium.time.MicroTime'), a: ["'00:00:00'", 0], b: ["'12:34:56'", 45296000000] },
  // DATETIME(0-3) is epoch ms, DATETIME(4-6) epoch µs, the wall clock read as UTC.
  { name: 'dtm0', ddl: 'DATETIME', schema: named('int64', 'io.debezium.time.Timestamp'), a: ["'1000-01-01 00:00:00'", -30610224000000], b: ["'9999-12-31 23:59:59'", 253402300799000] },
  // docs: "DATETIME with a value of 2018-06-20 06:37:03 becomes 1529476623000"
  { name: 'dtm3', ddl: 'DATETIME(3)', schema: named('int64', 'io.debezium.time.Timestamp'), a: ["'2018-06-20 06:37:03.123'", 1529476623123], b: ["'1969-12-31 23:59:59.999'", -1] },
  { name: 'dtm6', ddl: 'DATETIME(6)', schema: named('int64', 'io.debezium.time.MicroTimestamp'), a: ["'2018-06-20 06:37:03.123456'", 1529476623123456], b: ["'9999-12-31 23:59:59.999999'", 253402300799999999n] },
  // ZonedTimestamp in UTC (the rows are written in a UTC session), fraction digits of the column's fsp.
  { name: 'ts3', ddl: 'TIMESTAMP(3) NULL', schema: named('string', 'io.debezium.time.ZonedTimestamp'), a: ["'1970-01-01 00:00:01.000'", '1970-01-01T00:00:01.000Z'], b: ["'2038-01-19 03:14:07.999'", '2038-01-19T03:14:07.999Z'] },
  { name: 'ts0', ddl: 'TIMESTAMP NULL', schema: named('string', 'io.debezium.time.ZonedTimestamp'), a: ["'2018-06-20 13:37:03'", '2018-06-20T13:37:03Z'], b: ["'0000-00-00 00:00:00'", null] },
  { name: 'y', ddl: 'YEAR', schema: named('int32', 'io.debezium.time.Year'), a: ['1901', 1901], b: ['2155', 2155] },
  // MariaDB JSON is LONGTEXT: SHOW CREATE TABLE (snapshot) names it longtext, a plain string.
  { name: 'j', ddl: 'JSON', schema: { type: 'string' }, a: ['\'{"a": [1, 2], "é": null}\'', '{"a": [1, 2], "é": null}'], b: ["'[]'", '[]'] },
  {
    name: 'g', ddl: 'GEOMETRY', schema: GEOMETRY_SCHEMA,
    a: ["ST_GeomFromText('LINESTRING(0 0,1 1)', 4326)", { wkb: wkb(2, 0, 0, 1, 1), srid: 4326 }],
    b: ['POINT(1, 2)', { wkb: wkb(1, 1, 2), srid: 0 }],
  },
  {
    name: 'p', ddl: 'POINT', schema: POINT_SCHEMA,
    a: ['POINT(1.5, -2)', { x: 1.5, y: -2, wkb: wkb(1, 1.5, -2), srid: 0 }],
    b: ["ST_GeomFromText('POINT(3 4)', 4326)", { x: 3, y: 4, wkb: wkb(1, 3, 4), srid: 4326 }],
  },
];

const TABLE = 'types_db.matrix';
const TOPIC = 'tm.types_db.matrix';
/** Zero dates and a UTC wall clock for TIMESTAMP values, in the session that writes the rows. */
const SESSION = "SET SESSION sql_mode = '', time_zone = '+00:00';";

function insert(id: number, row: 'a' | 'b'): string {
  return `INSERT INTO ${TABLE} (id, ${MATRIX.map((c) => c.name).join(', ')}) VALUES (${id}, ${MATRIX.map((c) => c[row][0]).join(', ')});`;
}

function expectedRow(id: number, row: 'a' | 'b' | 'absent'): Record<string, Json> {
  const out: Record<string, Json> = { id };
  for (const c of MATRIX) out[c.name] = row === 'absent' ? (c.absent ?? null) : c[row][1];
  return out;
}

/**
 * JSON.parse that keeps integers beyond 2^53 exact (as BigInt): int64 values such as BIGINT
 * extremes and DATETIME(6) in 9999 must be compared digit for digit.
 */
function parseExact(text: string): Json {
  let marked = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (inString) {
      marked += ch;
      if (ch === '\\') { marked += text[++i]; continue; }
      if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') { inString = true; marked += ch; continue; }
    const m = /^-?\d+(?![\d.eE])/.exec(text.slice(i, i + 40));
    if (m && !Number.isSafeInteger(Number(m[0])) && /[:,[]\s*$/.test(marked)) {
      marked += `{"$big":"${m[0]}"}`;
      i += m[0].length - 1;
      continue;
    }
    marked += ch;
  }
  return JSON.parse(marked, (_key, value: unknown) =>
    (value !== null && typeof value === 'object' && '$big' in value ? BigInt((value as { $big: string }).$big) : value)) as Json;
}

interface Envelope {
  schema: { fields: Array<{ field: string; fields?: Array<Record<string, Json>> }> };
  payload: { op: string; before: Record<string, Json> | null; after: Record<string, Json> | null; source: Record<string, Json> };
}

async function readExact(setting: CdcSetting, topic: string): Promise<Envelope[]> {
  const messages = await kcatReadJson(setting.ferry.bootstrap, topic);
  return messages.filter((m) => m.payload !== null).map((m) => parseExact(m.payload!) as unknown as Envelope);
}

function afterFields(envelope: Envelope): Array<Record<string, Json>> {
  return envelope.schema.fields.find((f) => f.field === 'after')!.fields!;
}

function expectMatrixSchema(envelope: Envelope, what: string): void {
  const fields = afterFields(envelope);
  expect(fields.map((f) => f.field), what).toEqual(['id', ...MATRIX.map((c) => c.name), 'fp']);
  expect(fields[0], `${what}: id`).toEqual({ type: 'int32', optional: false, field: 'id' });
  for (const c of MATRIX) {
    expect(fields.find((f) => f.field === c.name), `${what}: schema of ${c.name} ${c.ddl}`).toEqual({ optional: true, ...c.schema, field: c.name });
  }
}

function expectRow(actual: Record<string, Json> | null, expected: Record<string, Json>, what: string): void {
  expect(actual, what).not.toBeNull();
  for (const key of Object.keys(expected)) expect(actual![key], `${what}: ${key}`).toEqual(expected[key]);
  expect(Object.keys(actual!), what).toEqual(Object.keys(expected));
}

let setting: CdcSetting;
let snapshot: Envelope[];

beforeAll(async () => {
  setting = await startCdcSetting();
  await setting.db.query(`
    CREATE DATABASE types_db;
    CREATE TABLE ${TABLE} (id INT PRIMARY KEY, ${MATRIX.map((c) => `${c.name} ${c.ddl}`).join(', ')},
      fp FLOAT) DEFAULT CHARSET=utf8mb4;
  `);
  await setting.db.query(`${SESSION} ${insert(1, 'a')} ${insert(2, 'b')} INSERT INTO ${TABLE} (id) VALUES (3);
    UPDATE ${TABLE} SET fp = 1.2345678 WHERE id = 1;`);
  await setting.rest.createConnector('types', cdcConfig(setting, 'tm', { 'table.include.list': 'types_db\\..*' }));
  await setting.rest.untilStates('types', { connector: 'RUNNING', tasks: ['RUNNING'] });
  await untilRecords(setting, TOPIC, 3, 60_000);
  snapshot = await readExact(setting, TOPIC);
}, 120_000);

describe('the type matrix through a worker, as JsonConverter writes it', () => {
  it('snapshot rows (op "r") carry Debezium schemas and values for every type, NULLs and zero dates', () => {
    expect(snapshot.map((e) => e.payload.op)).toEqual(['r', 'r', 'r']);
    expectMatrixSchema(snapshot[0]!, 'snapshot');
    expect(afterFields(snapshot[0]!).find((f) => f.field === 'fp')).toEqual({ type: 'float', optional: true, field: 'fp' });
    expectRow(omit(snapshot[0]!.payload.after, 'fp'), expectedRow(1, 'a'), 'snapshot row A');
    expectRow(omit(snapshot[1]!.payload.after, 'fp'), expectedRow(2, 'b'), 'snapshot row B');
    expectRow(omit(snapshot[2]!.payload.after, 'fp'), expectedRow(3, 'absent'), 'snapshot row of NULLs');
    // The server prints FLOAT with 6 significant digits; the snapshot reads that text, as JDBC does.
    expect(snapshot[0]!.payload.after!.fp).toBe(1.23457);
  });

  it('the same values streamed (op "c") and updated (op "u") read exactly as the snapshot read them', async () => {
    await setting.db.query(`${SESSION} ${insert(11, 'a')} ${insert(12, 'b')} INSERT INTO ${TABLE} (id) VALUES (13);
      UPDATE ${TABLE} SET ${MATRIX.map((c) => `${c.name} = ${c.b[0]}`).join(', ')} WHERE id = 11;
      UPDATE ${TABLE} SET fp = 1.2345678 WHERE id = 12;`);
    await untilRecords(setting, TOPIC, 8, 60_000);
    const streamed = (await readExact(setting, TOPIC)).slice(3);
    expect(streamed.map((e) => e.payload.op)).toEqual(['c', 'c', 'c', 'u', 'u']);
    for (const e of streamed) expectMatrixSchema(e, `streamed ${e.payload.op}`);
    const [a, b, absent, update, floatUpdate] = streamed as [Envelope, Envelope, Envelope, Envelope, Envelope];
    expect(a.payload.source.snapshot).toBe('false');
    expectRow(omit(a.payload.after, 'fp'), expectedRow(11, 'a'), 'streamed row A');
    expectRow(omit(b.payload.after, 'fp'), expectedRow(12, 'b'), 'streamed row B');
    expectRow(omit(absent.payload.after, 'fp'), expectedRow(13, 'absent'), 'streamed row of NULLs');
    expectRow(omit(update.payload.before, 'fp'), expectedRow(11, 'a'), 'update before');
    expectRow(omit(update.payload.after, 'fp'), expectedRow(11, 'b'), 'update after');

    // A row reads the same whether it came by snapshot or by binlog.
    for (const [snap, stream] of [[snapshot[0]!, a], [snapshot[1]!, b], [snapshot[2]!, absent]] as const) {
      expect({ ...omit(stream.payload.after, 'fp'), id: 0 }).toEqual({ ...omit(snap.payload.after, 'fp'), id: 0 });
    }
    // The binlog carries FLOAT's four bytes: the value with all the digits float32 holds.
    expect(floatUpdate.payload.after!.fp).toBe(1.2345678);
  });

  it('a BOOLEAN column created by DDL read from the binlog is a boolean', async () => {
    await setting.db.query(`
      CREATE TABLE types_db.late (id INT PRIMARY KEY, flag BOOLEAN, doc JSON);
      INSERT INTO types_db.late VALUES (1, TRUE, '{"k": "v"}'), (2, FALSE, NULL);
    `);
    await untilRecords(setting, 'tm.types_db.late', 2);
    const [t, f] = await readExact(setting, 'tm.types_db.late') as [Envelope, Envelope];
    expect(afterFields(t).find((x) => x.field === 'flag')).toEqual({ type: 'boolean', optional: true, field: 'flag' });
    expect(t.payload.after).toMatchObject({ id: 1, flag: true, doc: '{"k": "v"}' });
    expect(f.payload.after).toMatchObject({ id: 2, flag: false, doc: null });
  });

  it('a JSON column created by DDL read from the binlog is io.debezium.data.Json', async () => {
    const [t] = await untilRecords(setting, 'tm.types_db.late', 2);
    const fields = (t!.value!.schema.fields as Array<{ field: string; fields: Array<Record<string, unknown>> }>).find((f) => f.field === 'after')!.fields;
    expect(fields.find((x) => x.field === 'doc')).toEqual({ type: 'string', optional: true, name: 'io.debezium.data.Json', version: 1, field: 'doc' });
  });
});

function omit(row: Record<string, Json> | null, name: string): Record<string, Json> | null {
  if (row === null) return null;
  const { [name]: _omitted, ...rest } = row;
  return rest;
}
