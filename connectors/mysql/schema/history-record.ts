/**
 * Debezium's schema history record, as KafkaSchemaHistory writes it (HistoryRecord with
 * JsonTableChangeSerializer), field for field and in the same order:
 *
 *   {"source":{"server":"<prefix>"},"position":{<offset>},"ts_ms":<long>,"databaseName":"db",
 *    ["schemaName":...,] "ddl":"...","tableChanges":[{"type":"CREATE|ALTER|DROP","id":"\"db\".\"t\"",
 *    ["previousId":"\"db\".\"old\"",] "table":{"defaultCharsetName":...,"primaryKeyColumnNames":[...],
 *    "columns":[{"name","jdbcType",["nativeType",]"typeName","typeExpression","charsetName",["length",]
 *    ["scale",]"position","optional","autoIncremented","generated","comment","hasDefaultValue",
 *    ["defaultValueExpression",]"enumValues"}],"attributes":[]},"comment":...}]}
 *
 * Debezium quirks kept: the table comment sits beside `table`, not inside it; typeName and
 * typeExpression are both the type without arguments (`INT UNSIGNED`, `ENUM`); DROP changes carry
 * the dropped table. Records written by Debezium itself read back too: their type names
 * (`INTEGER`, `BOOL`, `DOUBLE PRECISION`, ...) go through the DDL type parser.
 */
import { debeziumTypeName, finishColumnType, parseColumnType, type Flavor } from './column-type.js';
import { tokenize } from './ddl-tokenizer.js';
import type { SchemaChange, SchemaChangeType } from './schema-model.js';
import type { ColumnDefinition, TableDefinition, TableId } from './table-definition.js';
import { TokenCursor } from './token-cursor.js';

export interface ColumnJson {
  name: string;
  jdbcType: number;
  nativeType?: number;
  typeName: string;
  typeExpression: string;
  charsetName: string | null;
  length?: number;
  scale?: number;
  position: number;
  optional: boolean;
  autoIncremented: boolean;
  generated: boolean;
  comment: string | null;
  hasDefaultValue: boolean;
  defaultValueExpression?: string;
  enumValues: string[];
}

export interface TableJson {
  defaultCharsetName: string | null;
  primaryKeyColumnNames: string[];
  columns: ColumnJson[];
  attributes: { name: string; value: string }[];
}

export interface TableChangeJson {
  type: SchemaChangeType;
  id: string;
  previousId?: string;
  table?: TableJson;
  comment?: string | null;
}

export interface HistoryRecordJson {
  source: Record<string, unknown>;
  position: Record<string, unknown>;
  ts_ms?: number;
  databaseName?: string;
  schemaName?: string;
  ddl?: string;
  tableChanges?: TableChangeJson[];
}

/** `"db"."table"`, each part in double quotes with inner quotes doubled (TableId.toDoubleQuotedString). */
export function quotedTableId(id: TableId): string {
  const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
  return id.database ? `${q(id.database)}.${q(id.table)}` : q(id.table);
}

/** Parses `"db"."table"` or `db.table` back into a TableId. */
export function parseQuotedTableId(text: string): TableId {
  const parts: string[] = [];
  let i = 0;
  while (i <= text.length) {
    if (text[i] === '"') {
      let part = '';
      i++;
      while (i < text.length) {
        if (text[i] === '"') {
          if (text[i + 1] === '"') { part += '"'; i += 2; continue; }
          i++;
          break;
        }
        part += text[i++];
      }
      parts.push(part);
    } else {
      const dot = text.indexOf('.', i);
      const end = dot < 0 ? text.length : dot;
      parts.push(text.slice(i, end));
      i = end;
    }
    if (text[i] !== '.') break;
    i++;
  }
  if (parts.length < 2) return { database: '', table: parts[0] ?? '' };
  return { database: parts[parts.length - 2]!, table: parts[parts.length - 1]! };
}

export function columnToJson(column: ColumnDefinition): ColumnJson {
  const typeName = debeziumTypeName(column.typeExpression);
  const json: ColumnJson = {
    name: column.name,
    jdbcType: column.jdbcType,
    typeName,
    typeExpression: typeName,
    charsetName: column.charsetName,
  } as ColumnJson;
  if (column.length !== null) json.length = column.length;
  if (column.scale !== null) json.scale = column.scale;
  json.position = column.position;
  json.optional = column.optional;
  json.autoIncremented = column.autoIncremented;
  json.generated = column.generated;
  json.comment = column.comment;
  json.hasDefaultValue = column.defaultValueExpression !== null;
  if (column.defaultValueExpression !== null) json.defaultValueExpression = column.defaultValueExpression;
  json.enumValues = [...column.enumValues];
  return json;
}

export function tableToJson(table: TableDefinition): TableJson {
  return {
    defaultCharsetName: table.defaultCharsetName,
    primaryKeyColumnNames: [...table.primaryKeyColumnNames],
    columns: table.columns.map(columnToJson),
    attributes: [],
  };
}

export function tableChangeToJson(change: Pick<SchemaChange, 'type' | 'id' | 'previousId' | 'table'>): TableChangeJson {
  const json: TableChangeJson = { type: change.type, id: quotedTableId(change.id) };
  if (change.previousId) json.previousId = quotedTableId(change.previousId);
  if (change.table) {
    json.table = tableToJson(change.table);
    json.comment = change.table.comment;
  }
  return json;
}

const MODIFIERS = /(\s+(UNSIGNED|SIGNED|ZEROFILL|BINARY))+$/i;

function quoteMember(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

/** Rebuilds a ColumnDefinition from Debezium's column JSON (ours or Debezium's own). */
export function columnFromJson(json: ColumnJson, flavor: Flavor = 'mysql'): ColumnDefinition {
  const written = json.typeName.trim();
  const modifiers = MODIFIERS.exec(written)?.[0] ?? '';
  const base = written.slice(0, written.length - modifiers.length);
  const upperBase = base.toUpperCase();
  let args = '';
  if (upperBase === 'ENUM' || upperBase === 'SET') args = `(${(json.enumValues ?? []).map(quoteMember).join(',')})`;
  else if (json.length !== undefined && json.length !== null && json.length >= 0) {
    args = json.scale !== undefined && json.scale !== null ? `(${json.length},${json.scale})` : `(${json.length})`;
  }
  let type;
  try {
    const text = `${base}${args}${modifiers}`;
    const cursor = new TokenCursor(tokenize(text), text);
    type = finishColumnType(parseColumnType(cursor, flavor), json.charsetName);
  } catch {
    type = null;
  }
  return {
    name: json.name,
    position: json.position,
    jdbcType: type?.jdbcType ?? json.jdbcType,
    typeName: type?.typeName ?? upperBase,
    typeExpression: type?.typeExpression ?? `${upperBase}${args}${modifiers.toUpperCase()}`,
    charsetName: json.charsetName ?? null,
    length: json.length ?? null,
    scale: json.scale ?? null,
    unsigned: type?.unsigned ?? /UNSIGNED|ZEROFILL/i.test(modifiers),
    optional: json.optional,
    autoIncremented: json.autoIncremented,
    generated: json.generated,
    enumValues: [...(json.enumValues ?? [])],
    defaultValueExpression: json.defaultValueExpression ?? null,
    comment: json.comment ?? null,
  };
}

export function tableChangeFromJson(json: TableChangeJson, flavor: Flavor = 'mysql'): Pick<SchemaChange, 'type' | 'id' | 'previousId' | 'table'> {
  const id = parseQuotedTableId(json.id);
  const previousId = json.previousId !== undefined ? parseQuotedTableId(json.previousId) : undefined;
  let table: TableDefinition | null = null;
  if (json.table && json.type !== 'DROP') {
    table = {
      id,
      columns: json.table.columns.map((c) => columnFromJson(c, flavor)),
      primaryKeyColumnNames: [...json.table.primaryKeyColumnNames],
      defaultCharsetName: json.table.defaultCharsetName ?? null,
      comment: json.comment ?? null,
    };
  }
  return { type: json.type, id, table, ...(previousId ? { previousId } : {}) };
}

export interface HistoryRecordInput {
  source: Record<string, unknown>;
  position: Record<string, unknown>;
  timestampMs: number;
  databaseName: string | null;
  schemaName?: string | null;
  ddl: string | null;
  changes: readonly Pick<SchemaChange, 'type' | 'id' | 'previousId' | 'table'>[];
}

/** The record's JSON object, keys in Debezium's order (null fields left out, as HistoryRecord does). */
export function historyRecordJson(input: HistoryRecordInput): HistoryRecordJson {
  const json: HistoryRecordJson = { source: { ...input.source }, position: { ...input.position }, ts_ms: input.timestampMs };
  if (input.databaseName !== null) json.databaseName = input.databaseName;
  if (input.schemaName !== undefined && input.schemaName !== null) json.schemaName = input.schemaName;
  if (input.ddl !== null) json.ddl = input.ddl;
  json.tableChanges = input.changes.map(tableChangeToJson);
  return json;
}
