/** Debezium's include/exclude lists: anchored, case-insensitive regexes, builtin databases skipped. */
import { describe, expect, test } from 'vitest';
import { TableFilter } from '../../../../connectors/mysql/schema/table-filter.js';

const id = (database: string, table: string) => ({ database, table });

describe('TableFilter', () => {
  test('defaults capture every table outside the system databases', () => {
    const f = new TableFilter();
    expect(f.isTableIncluded(id('shop', 'orders'))).toBe(true);
    for (const db of ['mysql', 'sys', 'performance_schema', 'INFORMATION_SCHEMA']) expect(f.isDatabaseIncluded(db)).toBe(false);
    expect(new TableFilter({ 'table.ignore.builtin': 'false' }).isDatabaseIncluded('mysql')).toBe(true);
  });

  test('patterns are anchored and case-insensitive', () => {
    const f = new TableFilter({ 'database.include.list': 'shop,inv.*', 'table.include.list': 'shop\\.ord.*, inventory\\.products' });
    expect(f.isDatabaseIncluded('SHOP')).toBe(true);
    expect(f.isDatabaseIncluded('shop2')).toBe(false);
    expect(f.isTableIncluded(id('Shop', 'ORDERS'))).toBe(true);
    expect(f.isTableIncluded(id('shop', 'customers'))).toBe(false);
    expect(f.isTableIncluded(id('inventory', 'products'))).toBe(true);
    expect(f.isTableIncluded(id('inventory', 'products_old'))).toBe(false);
    expect(f.isTableIncluded(id('other', 'orders'))).toBe(false);
  });

  test('exclude lists, escaped commas, and columns on db.table.column', () => {
    const f = new TableFilter({ 'table.exclude.list': 'shop\\.tmp_.*', 'column.exclude.list': 'shop\\.orders\\.(secret|pin),shop\\.x{1\\,2}\\.c' });
    expect(f.isTableIncluded(id('shop', 'tmp_1'))).toBe(false);
    expect(f.isTableIncluded(id('shop', 'orders'))).toBe(true);
    expect(f.isColumnIncluded(id('shop', 'orders'), 'SECRET')).toBe(false);
    expect(f.isColumnIncluded(id('shop', 'orders'), 'secret_hint')).toBe(true);
    expect(f.isColumnIncluded(id('shop', 'xx'), 'c')).toBe(false);
    const only = new TableFilter({ 'column.include.list': 'shop\\.orders\\.id' });
    expect(only.isColumnIncluded(id('shop', 'orders'), 'id')).toBe(true);
    expect(only.isColumnIncluded(id('shop', 'orders'), 'total')).toBe(false);
  });

  test('an include list with its exclude list, or a bad regex, is a configuration error', () => {
    expect(() => new TableFilter({ 'table.include.list': 'a\\.b', 'table.exclude.list': 'c\\.d' })).toThrow(/cannot be used with it/);
    expect(() => new TableFilter({ 'database.include.list': 'shop(' })).toThrow(/database.include.list: 'shop\(' is not a valid regular expression/);
  });
});
