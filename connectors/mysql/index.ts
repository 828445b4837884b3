/** Debezium-compatible MySQL and MariaDB change data capture. */
export { mariaDbConnectorPlugin, mySqlConnectorPlugin } from './mysql-source-plugin.js';
