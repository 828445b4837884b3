/**
 * The plugin descriptors of Debezium's MySQL and MariaDB connectors, as ferry implements them.
 * Both run the same task; the flavor written into events (`source.connector`, schema names) is
 * the server's, detected at start, unless the class name says MariaDB.
 */
import type { SourceConnectorPlugin } from '../sdk/plugin.js';
import { mysqlSourceSpec } from './mysql-source-config.js';
import { MySqlSourceConnector } from './mysql-source-connector.js';
import { MySqlSourceTask } from './mysql-source-task.js';
import { MYSQL_CONNECTOR_VERSION } from './version.js';

export const mySqlConnectorPlugin: SourceConnectorPlugin = Object.freeze({
  className: 'io.debezium.connector.mysql.MySqlConnector',
  aliases: Object.freeze(['MySqlConnector', 'MySql', 'mysql']),
  kind: 'source',
  version: MYSQL_CONNECTOR_VERSION,
  taskClassName: 'io.debezium.connector.mysql.MySqlConnectorTask',
  configSpec: mysqlSourceSpec,
  createConnector: () => new MySqlSourceConnector(),
  createTask: () => new MySqlSourceTask('mysql'),
});

export const mariaDbConnectorPlugin: SourceConnectorPlugin = Object.freeze({
  className: 'io.debezium.connector.mariadb.MariaDbConnector',
  aliases: Object.freeze(['MariaDbConnector', 'MariaDb', 'mariadb']),
  kind: 'source',
  version: MYSQL_CONNECTOR_VERSION,
  taskClassName: 'io.debezium.connector.mariadb.MariaDbConnectorTask',
  configSpec: mysqlSourceSpec,
  createConnector: () => new MySqlSourceConnector(),
  createTask: () => new MySqlSourceTask('mariadb'),
});
