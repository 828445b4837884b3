/**
 * One column's value as read from MySQL/MariaDB, before any Debezium mapping: the shared
 * currency of the binlog row decoder (streaming) and the snapshot reader (SELECT results).
 * Both must produce exactly these shapes for the same stored value, so that a row reads the
 * same whether it arrived by snapshot or by binlog; the event builder maps them to Connect
 * values according to the column's definition and the *.handling.mode settings.
 *
 * | column type                                  | ColumnValue                                  |
 * |----------------------------------------------|----------------------------------------------|
 * | TINYINT, SMALLINT, MEDIUMINT, INT (signed/unsigned), YEAR | number (sign applied per `unsigned`) |
 * | BIGINT (signed or unsigned)                  | bigint                                       |
 * | FLOAT, DOUBLE                                | number                                       |
 * | DECIMAL / NUMERIC                            | DecimalText: exact text, e.g. `-1234.50` (scale digits kept) |
 * | BIT(n)                                       | Buffer, ceil(n/8) bytes big-endian as stored |
 * | BOOLEAN / BOOL (TINYINT(1))                  | number 0/1 (the event builder decides)       |
 * | CHAR, VARCHAR, *TEXT, ENUM, SET              | string (decoded with the column charset; ENUM → member, SET → comma-joined members) |
 * | BINARY, VARBINARY, *BLOB                     | Buffer                                       |
 * | DATE                                         | DateParts (zero date = 0/0/0)                |
 * | TIME(fsp)                                    | TimeValue: signed microseconds               |
 * | DATETIME(fsp)                                | DateTimeParts (wall clock, no zone)          |
 * | TIMESTAMP(fsp)                               | TimestampValue: microseconds since the epoch, UTC (0 for the zero timestamp) |
 * | JSON                                         | JsonText: the document as JSON text          |
 * | GEOMETRY and its subtypes                    | GeometryValue: SRID and WKB                  |
 * | NULL                                         | null                                         |
 */

export interface DecimalText {
  readonly kind: 'decimal';
  /** Exact decimal text with `scale` fraction digits, e.g. `0.10`, `-1234.56`, `42`. */
  readonly text: string;
}

export interface DateParts {
  readonly kind: 'date';
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

export interface DateTimeParts {
  readonly kind: 'datetime';
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly microsecond: number;
}

export interface TimeValue {
  readonly kind: 'time';
  /** Signed microseconds, within ±838:59:59.999999. */
  readonly micros: number;
}

export interface TimestampValue {
  readonly kind: 'timestamp';
  /** Microseconds since 1970-01-01T00:00:00Z. */
  readonly epochMicros: number;
}

export interface JsonText {
  readonly kind: 'json';
  readonly text: string;
}

export interface GeometryValue {
  readonly kind: 'geometry';
  readonly srid: number;
  /** Well-known binary, without MySQL's 4-byte SRID prefix. */
  readonly wkb: Buffer;
}

export type ColumnValue =
  | null
  | number
  | bigint
  | string
  | Buffer
  | DecimalText
  | DateParts
  | DateTimeParts
  | TimeValue
  | TimestampValue
  | JsonText
  | GeometryValue;

/** A row image: values in table column order (`columns[i]` ↔ `values[i]`). */
export type RowValues = readonly ColumnValue[];
