/**
 * The plugin descriptors of Debezium's MySQL and MariaDB connectors, as ferry implements them.
 * Both run the same task against either server; the class decides how events are named
 * (`source.connector`, schema names), the server how the binlog is read.
 */
import type { SourceConnectorPlugin } from '../sdk/plugin.js';
import type { Flavor } from './events/event-settings.js';
import { mysqlSourceSpec } from './mysql-source-config.js';
import { MySqlSourceConnector } from './mysql-source-connector.js';
import { MySqlSourceTask } from './mysql-source-task.js';
import { MYSQL_CONNECTOR_VERSION } from './version.js';

function binlogConnectorPlugin(flavor: Flavor, className: string, taskClassName: string, aliases: readonly string[]): SourceConnectorPlugin {
  return Object.freeze({
    className,
    aliases: Object.freeze([...aliases]),
    kind: 'source',
    version: MYSQL_CONNECTOR_VERSION,
    taskClassName,
    configSpec: mysqlSourceSpec,
    createConnector: () => new MySqlSourceConnector(),
    createTask: () => new MySqlSourceTask(flavor),
  });
}

export const mySqlConnectorPlugin = binlogConnectorPlugin('mysql',
  'io.debezium.connector.mysql.MySqlConnector', 'io.debezium.connector.mysql.MySqlConnectorTask', ['MySqlConnector', 'MySql', 'mysql']);

export const mariaDbConnectorPlugin = binlogConnectorPlugin('mariadb',
  'io.debezium.connector.mariadb.MariaDbConnector', 'io.debezium.connector.mariadb.MariaDbConnectorTask', ['MariaDbConnector', 'MariaDb', 'mariadb']);
