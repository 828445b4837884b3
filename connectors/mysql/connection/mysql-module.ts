/**
 * mysql2/promise, loaded the first time the MySQL source opens a connection (or escapes a key
 * for an incremental snapshot chunk) and then shared by the process. Importing the connector (the
 * worker's plugin list does) does not load mysql2, which adds
 * about 5 MB of RSS to a process that has loaded the plugin list.
 */
import type mysql from 'mysql2/promise';

export type MysqlModule = typeof mysql;

let loading: Promise<MysqlModule> | undefined;

export function loadMysqlModule(): Promise<MysqlModule> {
  return (loading ??= import('mysql2/promise').then((m) => m.default));
}
