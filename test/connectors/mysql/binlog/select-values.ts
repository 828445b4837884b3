/**
 * Reads rows with a plain SELECT (text protocol, raw bytes per column) and turns them into the
 * ColumnValue shapes by the column's declared type — the independent baseline binlog-decoded rows
 * are compared with.
 */
import type { Connection } from 'mysql2/promise';
import type { TableDefinition } from '../../../../connectors/mysql/schema/table-definition.js';
import type { ColumnValue, RowValues } from '../../../../connectors/mysql/values/column-value.js';

function parseTime(t: string): number {
  const m = /^(-)?(\d+):(\d\d):(\d\d)(?:\.(\d+))?$/.exec(t)!;
  const micros = ((Number(m[2]) * 60 + Number(m[3])) * 60 + Number(m[4])) * 1_000_000 + Number((m[5] ?? '').padEnd(6, '0'));
  return m[1] ? -micros : micros;
}

function parseDateTime(t: string): { year: number; month: number; day: number; hour: number; minute: number; second: number; microsecond: number } {
  const m = /^(\d{4})-(\d\d)-(\d\d)(?: (\d\d):(\d\d):(\d\d)(?:\.(\d+))?)?$/.exec(t)!;
  return {
    year: Number(m[1]), month: Number(m[2]), day: Number(m[3]), hour: Number(m[4] ?? 0), minute: Number(m[5] ?? 0),
    second: Number(m[6] ?? 0), microsecond: Number((m[7] ?? '').padEnd(6, '0')),
  };
}

export function textToColumnValue(raw: Buffer | null, type: string): ColumnValue {
  if (raw === null) return null;
  const text = raw.toString('utf8');
  switch (type) {
    case 'TINYINT': case 'SMALLINT': case 'MEDIUMINT': case 'INT': case 'YEAR': case 'DOUBLE':
      return Number(text);
    case 'FLOAT': return Math.fround(Number(text));
    case 'BIGINT': return BigInt(text);
    case 'DECIMAL': return { kind: 'decimal', text };
    case 'BIT': case 'BINARY': case 'VARBINARY': case 'TINYBLOB': case 'BLOB': case 'MEDIUMBLOB': case 'LONGBLOB':
      return Buffer.from(raw);
    case 'DATE': {
      const d = parseDateTime(text);
      return { kind: 'date', year: d.year, month: d.month, day: d.day };
    }
    case 'TIME': return { kind: 'time', micros: parseTime(text) };
    case 'DATETIME': return { kind: 'datetime', ...parseDateTime(text) };
    case 'TIMESTAMP': {
      const d = parseDateTime(text);
      if (d.year === 0) return { kind: 'timestamp', epochMicros: 0 };
      return { kind: 'timestamp', epochMicros: Date.UTC(d.year, d.month - 1, d.day, d.hour, d.minute, d.second) * 1000 + d.microsecond };
    }
    case 'JSON': return { kind: 'json', text };
    case 'GEOMETRY': case 'POINT': return { kind: 'geometry', srid: raw.readUInt32LE(0), wkb: Buffer.from(raw.subarray(4)) };
    default: return text;
  }
}

/** `SELECT * FROM table ORDER BY <first column>` as RowValues (session time zone UTC). */
export async function selectRows(conn: Connection, table: TableDefinition): Promise<RowValues[]> {
  await conn.query("SET time_zone = '+00:00'");
  const [rows] = await conn.query({
    sql: `SELECT * FROM \`${table.id.database}\`.\`${table.id.table}\` ORDER BY 1`,
    rowsAsArray: true,
    typeCast: (field: { buffer(): Buffer | null }) => field.buffer(),
  });
  return (rows as (Buffer | null)[][]).map((row) => row.map((raw, i) => textToColumnValue(raw, table.columns[i]!.typeName)));
}
