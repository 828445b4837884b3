/** Binlog column type codes (TABLE_MAP column_types) and how many metadata bytes each carries. */

export const ColumnType = {
  DECIMAL: 0,
  TINY: 1,
  SHORT: 2,
  LONG: 3,
  FLOAT: 4,
  DOUBLE: 5,
  NULL: 6,
  TIMESTAMP: 7,
  LONGLONG: 8,
  INT24: 9,
  DATE: 10,
  TIME: 11,
  DATETIME: 12,
  YEAR: 13,
  NEWDATE: 14,
  VARCHAR: 15,
  BIT: 16,
  TIMESTAMP2: 17,
  DATETIME2: 18,
  TIME2: 19,
  JSON: 245,
  NEWDECIMAL: 246,
  ENUM: 247,
  SET: 248,
  TINY_BLOB: 249,
  MEDIUM_BLOB: 250,
  LONG_BLOB: 251,
  BLOB: 252,
  VAR_STRING: 253,
  STRING: 254,
  GEOMETRY: 255,
} as const;

const NAMES = new Map<number, string>(Object.entries(ColumnType).map(([k, v]) => [v, k]));

export function columnTypeName(code: number): string {
  return NAMES.get(code) ?? `type ${code}`;
}

/**
 * Reads one column's metadata from TABLE_MAP into a single integer:
 * FLOAT/DOUBLE/BLOB/JSON/GEOMETRY/TIME2/DATETIME2/TIMESTAMP2 → the byte;
 * VARCHAR/VAR_STRING → u16 LE max byte length; BIT → u16 LE (low byte bits % 8, high byte whole bytes);
 * NEWDECIMAL → precision << 8 | scale; STRING/ENUM/SET → byte0 << 8 | byte1 (real type, length).
 */
export function readColumnMeta(type: number, buf: Buffer, at: number): { meta: number; size: number } {
  switch (type) {
    case ColumnType.FLOAT:
    case ColumnType.DOUBLE:
    case ColumnType.BLOB:
    case ColumnType.TINY_BLOB:
    case ColumnType.MEDIUM_BLOB:
    case ColumnType.LONG_BLOB:
    case ColumnType.JSON:
    case ColumnType.GEOMETRY:
    case ColumnType.TIME2:
    case ColumnType.DATETIME2:
    case ColumnType.TIMESTAMP2:
      return { meta: buf[at]!, size: 1 };
    case ColumnType.VARCHAR:
    case ColumnType.VAR_STRING:
    case ColumnType.BIT:
      return { meta: buf.readUInt16LE(at), size: 2 };
    case ColumnType.NEWDECIMAL:
    case ColumnType.STRING:
    case ColumnType.ENUM:
    case ColumnType.SET:
      return { meta: (buf[at]! << 8) | buf[at + 1]!, size: 2 };
    default:
      return { meta: 0, size: 0 };
  }
}

/** For STRING columns: the real type (STRING, ENUM, SET) and max byte length, per the CHAR > 255 quirk. */
export function realStringType(meta: number): { realType: number; length: number } {
  const b0 = meta >> 8;
  const b1 = meta & 0xff;
  if ((b0 & 0x30) !== 0x30) {
    return { realType: b0 | 0x30, length: b1 | (((b0 & 0x30) ^ 0x30) << 4) };
  }
  return { realType: b0, length: b1 };
}

/** The type a column really has: STRING columns carry ENUM/SET in their metadata. */
export function effectiveType(type: number, meta: number): number {
  return type === ColumnType.STRING ? realStringType(meta).realType : type;
}

const NUMERIC = new Set<number>([
  ColumnType.TINY, ColumnType.SHORT, ColumnType.INT24, ColumnType.LONG, ColumnType.LONGLONG,
  ColumnType.FLOAT, ColumnType.DOUBLE, ColumnType.NEWDECIMAL, ColumnType.DECIMAL,
]);

/** Columns the SIGNEDNESS optional metadata has a bit for. */
export function isNumericType(type: number): boolean {
  return NUMERIC.has(type);
}

/** Columns the COLUMN_CHARSET / DEFAULT_CHARSET optional metadata covers (ENUM/SET excluded). */
export function isCharacterType(type: number): boolean {
  return type === ColumnType.STRING || type === ColumnType.VARCHAR || type === ColumnType.VAR_STRING
    || type === ColumnType.BLOB || type === ColumnType.TINY_BLOB || type === ColumnType.MEDIUM_BLOB || type === ColumnType.LONG_BLOB;
}
