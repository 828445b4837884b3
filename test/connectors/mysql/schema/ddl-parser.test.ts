/**
 * The DDL parser and SchemaModel on statements alone (no server): types and attributes,
 * quoting and comments, ALTER variants, renames, drops, ignorable statements, and errors.
 */
import { describe, expect, test } from 'vitest';
import { parseDdl } from '../../../../connectors/mysql/schema/ddl-parser.js';
import { DdlParseError } from '../../../../connectors/mysql/schema/ddl-parse-error.js';
import { SchemaModel } from '../../../../connectors/mysql/schema/schema-model.js';
import { debeziumTypeName } from '../../../../connectors/mysql/schema/column-type.js';
import { tokenize } from '../../../../connectors/mysql/schema/ddl-tokenizer.js';
import type { ColumnDefinition } from '../../../../connectors/mysql/schema/table-definition.js';

function table(ddl: string, model = new SchemaModel()) {
  const changes = model.apply(ddl, 'db');
  expect(changes).toHaveLength(1);
  return changes[0]!.table!;
}

function column(type: string, flavor: 'mysql' | 'mariadb' = 'mysql'): ColumnDefinition {
  const model = new SchemaModel({ flavor });
  model.setDatabaseCharset('db', 'utf8mb4');
  return table(`CREATE TABLE t (c ${type})`, model).columns[0]!;
}

describe('tokenizer', () => {
  test('quoting, escapes, comments, versioned comments; adjacent strings concatenate', () => {
    const tokens = tokenize("`a``b` 'it''s\\n' \"dq\" /* gone */ /*!50100 kept */ /*M!100101 maria */ -- line\n# hash\nx'0A' b'01' 0x1F _utf8mb4'intro' N'nat' 'con' 'cat' 1.5e3 @v @@global.x");
    expect(tokens.map((t) => [t.type, t.value])).toEqual([
      ['ident', 'a`b'], ['string', "it's\n"], ['string', 'dq'], ['word', 'kept'], ['word', 'maria'], ['hex', '0A'], ['bits', '01'],
      ['hex', '1F'], ['string', 'intro'], ['string', 'natconcat'], ['number', '1.5e3'], ['variable', '@v'], ['variable', '@@global.x'],
    ]);
  });

  test('an unterminated string is a DdlParseError with its position', () => {
    expect(() => tokenize("CREATE TABLE t (a VARCHAR(3) DEFAULT 'oops)")).toThrow(/unterminated string at line 1, column 38/);
  });
});

describe('column types as Debezium reports them', () => {
  // [DDL type, typeName, jdbcType, length, scale, Debezium typeName, unsigned]
  const cases: [string, string, number, number | null, number | null, string, boolean][] = [
    ['TINYINT', 'TINYINT', -6, null, null, 'TINYINT', false],
    ['TINYINT(3) UNSIGNED ZEROFILL', 'TINYINT', -6, 3, null, 'TINYINT UNSIGNED ZEROFILL', true],
    ['SMALLINT UNSIGNED', 'SMALLINT', 5, null, null, 'SMALLINT UNSIGNED', true],
    ['MEDIUMINT', 'MEDIUMINT', 4, null, null, 'MEDIUMINT', false],
    ['INT(11)', 'INT', 4, 11, null, 'INT', false],
    ['INTEGER SIGNED', 'INT', 4, null, null, 'INT SIGNED', false],
    ['int signed unsigned', 'INT', 4, null, null, 'INT UNSIGNED', true],
    ['BIGINT(20) UNSIGNED', 'BIGINT', -5, 20, null, 'BIGINT UNSIGNED', true],
    ['BOOL', 'BOOL', 16, null, null, 'BOOL', false],
    ['BOOLEAN', 'BOOLEAN', 16, null, null, 'BOOLEAN', false],
    ['SERIAL', 'BIGINT', -5, null, null, 'BIGINT UNSIGNED', true],
    ['DECIMAL', 'DECIMAL', 3, 10, 0, 'DECIMAL', false],
    ['DECIMAL(5)', 'DECIMAL', 3, 5, 0, 'DECIMAL', false],
    ['DEC(10,2) UNSIGNED', 'DECIMAL', 3, 10, 2, 'DECIMAL UNSIGNED', true],
    ['NUMERIC(8,3)', 'DECIMAL', 3, 8, 3, 'DECIMAL', false],
    ['FIXED(6,2)', 'DECIMAL', 3, 6, 2, 'DECIMAL', false],
    ['FLOAT', 'FLOAT', 6, null, null, 'FLOAT', false],
    ['FLOAT(7,3)', 'FLOAT', 6, 7, 3, 'FLOAT', false],
    ['FLOAT(10)', 'FLOAT', 6, null, null, 'FLOAT', false],
    ['FLOAT(30)', 'DOUBLE', 8, null, null, 'DOUBLE', false],
    ['DOUBLE', 'DOUBLE', 8, null, null, 'DOUBLE', false],
    ['DOUBLE PRECISION(18,4) UNSIGNED ZEROFILL', 'DOUBLE', 8, 18, 4, 'DOUBLE UNSIGNED ZEROFILL', true],
    ['REAL', 'DOUBLE', 8, null, null, 'DOUBLE', false],
    ['BIT', 'BIT', -7, 1, null, 'BIT', false],
    ['BIT(12)', 'BIT', -7, 12, null, 'BIT', false],
    ['DATE', 'DATE', 91, null, null, 'DATE', false],
    ['TIME(3)', 'TIME', 92, 3, null, 'TIME', false],
    ['DATETIME', 'DATETIME', 93, null, null, 'DATETIME', false],
    ['DATETIME(6)', 'DATETIME', 93, 6, null, 'DATETIME', false],
    ['TIMESTAMP(2)', 'TIMESTAMP', 2014, 2, null, 'TIMESTAMP', false],
    ['YEAR', 'YEAR', 4, null, null, 'YEAR', false],
    ['CHAR', 'CHAR', 1, 1, null, 'CHAR', false],
    ['CHARACTER(5)', 'CHAR', 1, 5, null, 'CHAR', false],
    ['VARCHAR(255)', 'VARCHAR', 12, 255, null, 'VARCHAR', false],
    ['CHAR VARYING(7)', 'VARCHAR', 12, 7, null, 'VARCHAR', false],
    ['NCHAR(4)', 'CHAR', 1, 4, null, 'CHAR', false],
    ['NATIONAL CHARACTER VARYING(9)', 'VARCHAR', 12, 9, null, 'VARCHAR', false],
    ['NVARCHAR(3)', 'VARCHAR', 12, 3, null, 'VARCHAR', false],
    ['TINYTEXT', 'TINYTEXT', 12, null, null, 'TINYTEXT', false],
    ['TEXT', 'TEXT', 12, null, null, 'TEXT', false],
    ['MEDIUMTEXT', 'MEDIUMTEXT', 12, null, null, 'MEDIUMTEXT', false],
    ['LONGTEXT', 'LONGTEXT', 12, null, null, 'LONGTEXT', false],
    ['LONG VARCHAR', 'MEDIUMTEXT', 12, null, null, 'MEDIUMTEXT', false],
    ['LONG', 'MEDIUMTEXT', 12, null, null, 'MEDIUMTEXT', false],
    ['BINARY(16)', 'BINARY', -2, 16, null, 'BINARY', false],
    ['VARBINARY(32)', 'VARBINARY', -3, 32, null, 'VARBINARY', false],
    ['LONG VARBINARY', 'MEDIUMBLOB', 2004, null, null, 'MEDIUMBLOB', false],
    ['TINYBLOB', 'TINYBLOB', 2004, null, null, 'TINYBLOB', false],
    ['BLOB', 'BLOB', 2004, null, null, 'BLOB', false],
    ['MEDIUMBLOB', 'MEDIUMBLOB', 2004, null, null, 'MEDIUMBLOB', false],
    ['LONGBLOB', 'LONGBLOB', 2004, null, null, 'LONGBLOB', false],
    ['VARCHAR(8) CHARACTER SET binary', 'VARBINARY', -3, 8, null, 'VARBINARY', false],
    ["ENUM('a','b','c')", 'ENUM', 1, 1, null, 'ENUM', false],
    ["SET('a','b','c')", 'SET', 1, 5, null, 'SET', false],
    ['JSON', 'JSON', 1111, null, null, 'JSON', false],
    ['GEOMETRY', 'GEOMETRY', 1111, null, null, 'GEOMETRY', false],
    ['POINT', 'POINT', 1111, null, null, 'POINT', false],
    ['LINESTRING', 'LINESTRING', 1111, null, null, 'LINESTRING', false],
    ['POLYGON', 'POLYGON', 1111, null, null, 'POLYGON', false],
    ['MULTIPOINT', 'MULTIPOINT', 1111, null, null, 'MULTIPOINT', false],
    ['MULTILINESTRING', 'MULTILINESTRING', 1111, null, null, 'MULTILINESTRING', false],
    ['MULTIPOLYGON', 'MULTIPOLYGON', 1111, null, null, 'MULTIPOLYGON', false],
    ['GEOMCOLLECTION', 'GEOMETRYCOLLECTION', 1111, null, null, 'GEOMETRYCOLLECTION', false],
  ];
  test.each(cases)('%s', (type, typeName, jdbcType, length, scale, dbzName, unsigned) => {
    const c = column(type);
    expect({ typeName: c.typeName, jdbcType: c.jdbcType, length: c.length, scale: c.scale, unsigned: c.unsigned, dbz: debeziumTypeName(c.typeExpression) })
      .toEqual({ typeName, jdbcType, length, scale, unsigned, dbz: dbzName });
  });

  test('charsets: explicit, from a collation, inherited from the table and database, NCHAR as utf8mb3, none for numbers', () => {
    const model = new SchemaModel({ serverCharset: 'latin1' });
    model.apply('CREATE DATABASE d2 DEFAULT CHARACTER SET = utf8', null);
    const t = table('CREATE TABLE d2.t (a VARCHAR(3) CHARSET latin2, b TEXT COLLATE utf8mb4_unicode_ci, c ENUM(\'x\'), d INT, e NCHAR(2), f CHAR(2) ASCII) ', model);
    expect(t.defaultCharsetName).toBe('utf8mb3');
    expect(t.columns.map((c) => c.charsetName)).toEqual(['latin2', 'utf8mb4', 'utf8mb3', null, 'utf8mb3', 'latin1']);
    const t2 = table('CREATE TABLE other.t (a VARCHAR(3)) COLLATE = latin1_bin', model);
    expect([t2.defaultCharsetName, t2.columns[0]!.charsetName]).toEqual(['latin1', 'latin1']);
    expect(table('CREATE TABLE other.t3 (a VARCHAR(3))', model).columns[0]!.charsetName).toBe('latin1');
    // Declared JSON stays JSON (Debezium's io.debezium.data.Json), MariaDB's utf8mb4 text aside.
    expect(column('JSON', 'mariadb')).toMatchObject({ typeName: 'JSON', charsetName: null, jdbcType: 1111 });
  });
});

describe('column attributes', () => {
  test('defaults, nullability, auto increment, ON UPDATE, comments, generated, invisible, checks, references', () => {
    const t = table(`CREATE TABLE IF NOT EXISTS \`db\`.\`t\` (
      a INT NOT NULL AUTO_INCREMENT COMMENT 'the key',
      b VARCHAR(10) DEFAULT 'it''s \\\\ x',
      c INT DEFAULT -5, d DECIMAL(5,2) DEFAULT +1.50, e BIT(3) DEFAULT b'101', f BINARY(2) DEFAULT x'0A0B',
      g TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
      h DATETIME DEFAULT NOW(), i INT DEFAULT NULL, j INT DEFAULT (1 + 1), k VARCHAR(36) DEFAULT uuid(),
      l BOOL DEFAULT TRUE, m INT AS (a * 2) STORED, n INT GENERATED ALWAYS AS (a + 1) VIRTUAL INVISIBLE,
      o INT NULL CHECK (o > 0), p INT CONSTRAINT pc CHECK (p < 9), q INT REFERENCES other (id) ON DELETE CASCADE,
      r DATE DEFAULT '2020-01-01', s INT COLUMN_FORMAT FIXED STORAGE DISK,
      PRIMARY KEY (a)
    )`);
    const by = Object.fromEntries(t.columns.map((c) => [c.name, c]));
    expect(by.a).toMatchObject({ optional: false, autoIncremented: true, generated: true, comment: 'the key', defaultValueExpression: null });
    expect(by.b!.defaultValueExpression).toBe("it's \\ x");
    expect([by.c, by.d, by.e, by.f].map((c) => c!.defaultValueExpression)).toEqual(['-5', '+1.50', '101', '0A0B']);
    expect(by.g).toMatchObject({ optional: false, autoIncremented: true, generated: true, defaultValueExpression: '1970-01-01 00:00:00' });
    expect(by.h!.defaultValueExpression).toBe('1970-01-01 00:00:00');
    expect([by.i, by.j, by.k].map((c) => c!.defaultValueExpression)).toEqual([null, null, null]);
    expect(by.l!.defaultValueExpression).toBe('1');
    expect(by.m).toMatchObject({ generated: false, autoIncremented: false });
    expect(by.r!.defaultValueExpression).toBe('2020-01-01');
    expect(t.columns.map((c) => c.position)).toEqual(t.columns.map((_, i) => i + 1));
    expect(t.primaryKeyColumnNames).toEqual(['a']);
  });

  test('keys: inline PRIMARY KEY, table PRIMARY KEY over a unique key, a NOT NULL unique key as the key of a key-less table', () => {
    expect(table('CREATE TABLE t (a INT PRIMARY KEY, b INT)').primaryKeyColumnNames).toEqual(['a']);
    expect(table('CREATE TABLE t (a INT NOT NULL UNIQUE, b INT NOT NULL, PRIMARY KEY (b))').primaryKeyColumnNames).toEqual(['b']);
    expect(table('CREATE TABLE t (a INT, b INT NOT NULL, c INT NOT NULL, UNIQUE KEY u1 (a), UNIQUE INDEX u2 (b, c))').primaryKeyColumnNames).toEqual(['b', 'c']);
    expect(table('CREATE TABLE t (a INT, UNIQUE (a))').primaryKeyColumnNames).toEqual([]);
    const pk = table('CREATE TABLE t (a INT, b VARCHAR(9), CONSTRAINT pk PRIMARY KEY USING BTREE (b(4) DESC, a), KEY k (a), INDEX (b), FULLTEXT f (b), SPATIAL KEY s (a), FOREIGN KEY fk (a) REFERENCES x (y), CONSTRAINT c CHECK (a > 1), CHECK (b <> \'\'))');
    expect(pk.primaryKeyColumnNames).toEqual(['b', 'a']);
    expect(pk.columns.map((c) => c.optional)).toEqual([false, false]);
    expect(table('CREATE TABLE t (s SERIAL, v INT)').primaryKeyColumnNames).toEqual(['s']);
  });

  test('table options: charset, collation, comment kept; engine, partitions and the rest skipped', () => {
    const t = table(`CREATE TABLE t (a INT) ENGINE=InnoDB AUTO_INCREMENT=5 /*!40101 DEFAULT CHARSET=latin1 */ COMMENT 'tbl' ROW_FORMAT=DYNAMIC
      PARTITION BY RANGE (a) (PARTITION p0 VALUES LESS THAN (10) COMMENT 'p', PARTITION p1 VALUES LESS THAN MAXVALUE)`);
    expect([t.defaultCharsetName, t.comment]).toEqual(['latin1', 'tbl']);
  });
});

describe('server output of other versions', () => {
  test('MySQL 8 SHOW CREATE TABLE: expression defaults, versioned INVISIBLE/SRID, functional keys, partitions in comments', () => {
    const t = table("CREATE TABLE `t8` (\n  `id` int NOT NULL AUTO_INCREMENT,\n  `u` char(36) NOT NULL DEFAULT (uuid()),\n"
      + "  `h` int DEFAULT NULL /*!80023 INVISIBLE */,\n  `g` point NOT NULL /*!80003 SRID 4326 */,\n"
      + "  `n` varchar(10) CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_ai_ci DEFAULT NULL,\n  `j` json DEFAULT NULL,\n  PRIMARY KEY (`id`),\n"
      + "  UNIQUE KEY `u` (`u`),\n  KEY `fx` ((`id` + 1)),\n  CONSTRAINT `c1` CHECK ((`id` > 0))\n) ENGINE=InnoDB AUTO_INCREMENT=3 "
      + "DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci /*!50100 PARTITION BY HASH (`id`)\nPARTITIONS 4 */");
    expect(t.columns.map((c) => [c.name, c.typeExpression, c.optional])).toEqual([
      ['id', 'INT', false], ['u', 'CHAR(36)', false], ['h', 'INT', true], ['g', 'POINT', false], ['n', 'VARCHAR(10)', true], ['j', 'JSON', true],
    ]);
    expect(t.primaryKeyColumnNames).toEqual(['id']);
  });

  test('MariaDB system-versioned tables and a column called period', () => {
    const t = table('CREATE TABLE v (period INT, s TIMESTAMP(6) GENERATED ALWAYS AS ROW START, e TIMESTAMP(6) GENERATED ALWAYS AS ROW END, PERIOD FOR SYSTEM_TIME(s, e)) WITH SYSTEM VERSIONING');
    expect(t.columns.map((c) => c.name)).toEqual(['period', 's', 'e']);
  });
});

describe('statements against a model', () => {
  function model() {
    const m = new SchemaModel();
    m.apply('CREATE TABLE t (id INT NOT NULL, a INT, b VARCHAR(5), c DATE, PRIMARY KEY (id))', 'db');
    return m;
  }
  const names = (m: SchemaModel, t = 't') => m.tableFor({ database: 'db', table: t })!.columns.map((c) => c.name);

  test('ADD with FIRST/AFTER, ADD (a, b), ADD IF NOT EXISTS, DROP [IF EXISTS], MODIFY, CHANGE, RENAME COLUMN', () => {
    const m = model();
    m.apply('ALTER TABLE t ADD COLUMN x INT FIRST, ADD y INT AFTER a, ADD COLUMN IF NOT EXISTS a BIGINT', 'db');
    expect(names(m)).toEqual(['x', 'id', 'a', 'y', 'b', 'c']);
    m.apply('ALTER TABLE t ADD (p INT, q INT), DROP COLUMN x, DROP IF EXISTS nope, DROP y', 'db');
    expect(names(m)).toEqual(['id', 'a', 'b', 'c', 'p', 'q']);
    m.apply('ALTER TABLE t MODIFY a BIGINT UNSIGNED NOT NULL AFTER q, CHANGE COLUMN B bee VARCHAR(9) FIRST, RENAME COLUMN c TO cee', 'db');
    expect(names(m)).toEqual(['bee', 'id', 'cee', 'p', 'q', 'a']);
    const t = m.tableFor({ database: 'db', table: 't' })!;
    expect(t.columns[5]).toMatchObject({ typeName: 'BIGINT', unsigned: true, optional: false });
    expect(t.columns[0]).toMatchObject({ length: 9, position: 1 });
    m.apply('ALTER TABLE t CHANGE id ident INT NOT NULL', 'db');
    expect(m.tableFor({ database: 'db', table: 't' })!.primaryKeyColumnNames).toEqual(['ident']);
    expect(() => m.apply('ALTER TABLE t DROP COLUMN nope', 'db')).toThrow(/column 'nope' does not exist/);
  });

  test('defaults, primary keys, charsets and ignored clauses in ALTER', () => {
    const m = model();
    m.apply("ALTER TABLE t ALTER COLUMN a SET DEFAULT 3, ALTER b SET DEFAULT 'x', ALGORITHM=INPLACE, LOCK = NONE, ADD INDEX ia (a), DROP INDEX ia, ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES o (id), DROP FOREIGN KEY fk, FORCE", 'db');
    let t = m.tableFor({ database: 'db', table: 't' })!;
    expect([t.columns[1]!.defaultValueExpression, t.columns[2]!.defaultValueExpression]).toEqual(['3', 'x']);
    m.apply('ALTER TABLE t ALTER COLUMN a DROP DEFAULT, DROP PRIMARY KEY, ADD PRIMARY KEY (a, id)', 'db');
    t = m.tableFor({ database: 'db', table: 't' })!;
    expect(t.columns[1]!.defaultValueExpression).toBeNull();
    expect(t.primaryKeyColumnNames).toEqual(['a', 'id']);
    expect(t.columns[1]!.optional).toBe(false);
    m.apply('ALTER TABLE t DROP COLUMN id', 'db');
    expect(m.tableFor({ database: 'db', table: 't' })!.primaryKeyColumnNames).toEqual(['a']);
    m.apply('ALTER TABLE t CONVERT TO CHARACTER SET latin1 COLLATE latin1_bin', 'db');
    expect(m.tableFor({ database: 'db', table: 't' })!.columns.find((c) => c.name === 'b')!.charsetName).toBe('latin1');
    m.apply('ALTER TABLE t DEFAULT CHARSET = utf8mb4, ADD z TEXT', 'db');
    t = m.tableFor({ database: 'db', table: 't' })!;
    expect([t.defaultCharsetName, t.columns.find((c) => c.name === 'b')!.charsetName, t.columns.find((c) => c.name === 'z')!.charsetName]).toEqual(['utf8mb4', 'latin1', 'utf8mb4']);
  });

  test('renames come out as ALTER with previousId; RENAME TABLE chains swap tables', () => {
    const m = model();
    m.apply('CREATE TABLE u (x INT)', 'db');
    const swap = m.apply('RENAME TABLE t TO tmp, u TO t, tmp TO u', 'db');
    expect(swap.map((c) => [c.type, c.previousId?.table, c.id.table])).toEqual([['ALTER', 't', 'tmp'], ['ALTER', 'u', 't'], ['ALTER', 'tmp', 'u']]);
    expect(names(m, 't')).toEqual(['x']);
    const renamed = m.apply('ALTER TABLE u RENAME TO other.v', 'db');
    expect(renamed[0]).toMatchObject({ type: 'ALTER', id: { database: 'other', table: 'v' }, previousId: { database: 'db', table: 'u' } });
    expect(m.tableFor({ database: 'db', table: 'u' })).toBeUndefined();
  });

  test('DROP TABLE lists, TRUNCATE, databases, USE, CREATE TABLE LIKE and AS SELECT', () => {
    const m = model();
    m.apply('CREATE TABLE u (x INT)', 'db');
    const drops = m.apply('DROP TABLE IF EXISTS t, `db`.u, missing', 'db');
    expect(drops.map((c) => [c.type, c.id.table, c.table?.columns.length])).toEqual([['DROP', 't', 4], ['DROP', 'u', 1]]);
    const result = m.applyStatements('CREATE DATABASE IF NOT EXISTS shop CHARACTER SET latin2; USE shop; CREATE TABLE a (s VARCHAR(2)); TRUNCATE a; TRUNCATE TABLE shop.a; CREATE TABLE b LIKE a; CREATE TABLE c AS SELECT * FROM a; CREATE TABLE d (x INT) SELECT 1 AS y', null);
    expect(result.defaultDatabase).toBe('shop');
    expect(result.statements.map((s) => [s.kind, s.databaseName, s.changes.length, s.truncated?.table ?? null, s.needsReread?.table ?? null]))
      .toEqual([
        ['create-database', 'shop', 0, null, null], ['use', 'shop', 0, null, null], ['create-table', 'shop', 1, null, null],
        ['truncate-table', 'shop', 0, 'a', null], ['truncate-table', 'shop', 0, 'a', null], ['create-table', 'shop', 1, null, null],
        ['create-table', 'shop', 0, null, 'c'], ['create-table', 'shop', 0, null, 'd'],
      ]);
    expect(m.tableFor({ database: 'shop', table: 'b' })!.columns[0]!.charsetName).toBe('latin2');
    m.apply('ALTER DATABASE shop CHARACTER SET utf8mb4', null);
    expect(m.databaseCharset('shop')).toBe('utf8mb4');
    const dropped = m.applyStatements('DROP DATABASE shop', null);
    expect(dropped.changes.map((c) => c.id.table).sort()).toEqual(['a', 'b']);
    expect(dropped.statements[0]!.database).toEqual({ type: 'DROP', name: 'shop' });
  });

  test('CREATE UNIQUE INDEX gives a key-less table its key', () => {
    const m = new SchemaModel();
    m.apply('CREATE TABLE k (a INT NOT NULL, b INT)', 'db');
    expect(m.apply('CREATE UNIQUE INDEX ub ON k (b)', 'db')).toEqual([]);
    const changes = m.apply('CREATE UNIQUE INDEX ua ON db.k (a)', 'db');
    expect(changes[0]!.table!.primaryKeyColumnNames).toEqual(['a']);
  });

  test('a table needs a database', () => {
    expect(() => new SchemaModel().apply('CREATE TABLE t (a INT)', null)).toThrow(/no database selected/);
  });
});

describe('ignorable statements and garbage', () => {
  const ignorable = [
    'BEGIN', 'COMMIT', 'ROLLBACK', 'SAVEPOINT s1', 'XA START \'x\'', "GRANT SELECT ON *.* TO 'u'@'%'", "REVOKE ALL ON db.* FROM 'u'",
    "CREATE USER 'u'@'%' IDENTIFIED BY 'p'", "ALTER USER 'u'@'%' ACCOUNT LOCK", "DROP USER IF EXISTS 'u'", 'CREATE ROLE r', 'DROP ROLE r',
    'FLUSH PRIVILEGES', 'FLUSH TABLES WITH READ LOCK', 'SET NAMES utf8mb4', 'SET @a = 1', 'SET GLOBAL max_connections = 10',
    'ANALYZE TABLE t', 'OPTIMIZE TABLE t', 'REPAIR TABLE t', 'CREATE INDEX i ON t (a)', 'CREATE FULLTEXT INDEX i ON t (a)', 'DROP INDEX i ON t',
    'CREATE OR REPLACE ALGORITHM=MERGE DEFINER=`root`@`localhost` SQL SECURITY DEFINER VIEW v AS SELECT 1', 'DROP VIEW IF EXISTS v',
    "CREATE DEFINER=`root`@`%` PROCEDURE p() BEGIN SELECT 1; SELECT 2; END", 'DROP PROCEDURE IF EXISTS p',
    'CREATE FUNCTION f() RETURNS INT RETURN 1', 'CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW SET NEW.a = 1',
    'CREATE EVENT e ON SCHEDULE EVERY 1 HOUR DO DELETE FROM t', 'CREATE SEQUENCE s', 'DROP SEQUENCE s',
    "INSERT INTO t VALUES (1, 'a;b')", 'UPDATE t SET a = 1', 'DELETE FROM t', 'REPLACE INTO t VALUES (1)',
    'CREATE TEMPORARY TABLE tt (a INT)', 'DROP TEMPORARY TABLE IF EXISTS tt', 'LOCK TABLES t READ', 'UNLOCK TABLES',
  ];
  test.each(ignorable)('%s', (sql) => {
    const m = new SchemaModel();
    const result = m.applyStatements(sql, 'db');
    expect(result.statements.every((s) => s.ignored || s.changes.length === 0)).toBe(true);
    expect(parseDdl(sql).every((s) => s.kind === 'ignored')).toBe(true);
  });

  test('SET character_set_server changes what new databases inherit', () => {
    const m = new SchemaModel();
    m.apply("SET character_set_server = 'latin2', collation_server = latin2_general_ci", null);
    expect(m.serverCharset).toBe('latin2');
    expect(m.apply('CREATE TABLE x.t (a CHAR(1))', null)[0]!.table!.columns[0]!.charsetName).toBe('latin2');
  });

  test.each([
    ['CREATE TABLE t (a INT', /expected/],
    ['CREATE TABLE t (a NOTATYPE)', /unknown data type 'NOTATYPE'/],
    ['ALTER TABLE t FROBNICATE a', /unknown ALTER TABLE specification/],
    ['HELLO WORLD', /unsupported statement 'HELLO'/],
    ['CREATE TABLE t (a INT) garbage (', /./],
  ])('%s is a DdlParseError naming the statement and position', (sql, message) => {
    const m = new SchemaModel();
    m.apply('CREATE TABLE t (a INT)', 'db');
    let error: unknown;
    try { m.apply(sql, 'db'); } catch (err) { error = err; }
    expect(error).toBeInstanceOf(DdlParseError);
    expect((error as DdlParseError).message).toMatch(message);
    expect((error as DdlParseError).message).toContain(sql);
    expect((error as DdlParseError).message).toMatch(/line \d+, column \d+/);
  });
});
