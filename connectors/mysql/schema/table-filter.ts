/**
 * Debezium's capture filters: `database.include.list`/`database.exclude.list` on database names,
 * `table.include.list`/`table.exclude.list` on `db.table`, `column.include.list`/
 * `column.exclude.list` on `db.table.column`. Each list is comma-separated regular expressions
 * (`\,` escapes a comma inside one), matched case-insensitively against the whole name
 * (anchored). An include list and its exclude list cannot both be set. With
 * `table.ignore.builtin` (default true) the system databases mysql, sys, performance_schema and
 * information_schema are never captured.
 */
import type { TableId } from './table-definition.js';

export const BUILTIN_DATABASES: readonly string[] = ['mysql', 'sys', 'performance_schema', 'information_schema'];

export interface FilterSettings {
  'database.include.list'?: string;
  'database.exclude.list'?: string;
  'table.include.list'?: string;
  'table.exclude.list'?: string;
  'column.include.list'?: string;
  'column.exclude.list'?: string;
  /** Default true. */
  'table.ignore.builtin'?: boolean | string;
}

/** Splits a Debezium regex list on unescaped commas and compiles each anchored, case-insensitive. */
export function parseRegexList(list: string | undefined, setting: string): RegExp[] {
  if (list === undefined || list.trim() === '') return [];
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < list.length; i++) {
    const c = list[i]!;
    if (c === '\\' && list[i + 1] === ',') { current += ','; i++; continue; }
    if (c === ',') { parts.push(current); current = ''; continue; }
    current += c;
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter((p) => p !== '').map((p) => {
    try {
      return new RegExp(`^(?:${p})$`, 'i');
    } catch (err) {
      throw new Error(`${setting}: '${p}' is not a valid regular expression: ${(err as Error).message}`, { cause: err });
    }
  });
}

class NameFilter {
  constructor(private readonly include: RegExp[], private readonly exclude: RegExp[]) {}

  matches(name: string): boolean {
    if (this.include.length > 0) return this.include.some((r) => r.test(name));
    return !this.exclude.some((r) => r.test(name));
  }
}

function pair(settings: FilterSettings, what: 'database' | 'table' | 'column'): NameFilter {
  const includeKey = `${what}.include.list` as const;
  const excludeKey = `${what}.exclude.list` as const;
  const include = parseRegexList(settings[includeKey], includeKey);
  const exclude = parseRegexList(settings[excludeKey], excludeKey);
  if (include.length > 0 && exclude.length > 0) {
    throw new Error(`"${includeKey}" is already specified; "${excludeKey}" cannot be used with it`);
  }
  return new NameFilter(include, exclude);
}

export class TableFilter {
  private readonly databases: NameFilter;
  private readonly tablesFilter: NameFilter;
  private readonly columns: NameFilter;
  private readonly ignoreBuiltin: boolean;

  constructor(settings: FilterSettings = {}) {
    this.databases = pair(settings, 'database');
    this.tablesFilter = pair(settings, 'table');
    this.columns = pair(settings, 'column');
    const builtin = settings['table.ignore.builtin'];
    this.ignoreBuiltin = builtin === undefined ? true : builtin === true || String(builtin).toLowerCase() === 'true';
  }

  /** Everything except (by default) the system databases. */
  static includeAll(): TableFilter {
    return new TableFilter();
  }

  isBuiltinDatabase(database: string): boolean {
    return BUILTIN_DATABASES.includes(database.toLowerCase());
  }

  isDatabaseIncluded(database: string): boolean {
    if (this.ignoreBuiltin && this.isBuiltinDatabase(database)) return false;
    return this.databases.matches(database);
  }

  isTableIncluded(id: TableId): boolean {
    return this.isDatabaseIncluded(id.database) && this.tablesFilter.matches(`${id.database}.${id.table}`);
  }

  /** Whether a column appears in event values (keys keep every key column regardless). */
  isColumnIncluded(id: TableId, column: string): boolean {
    return this.columns.matches(`${id.database}.${id.table}.${column}`);
  }
}
