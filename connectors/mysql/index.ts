/** Debezium-compatible MySQL and MariaDB change data capture, and Debezium's event flattening transform. */
export { mariaDbConnectorPlugin, mySqlConnectorPlugin } from './mysql-source-plugin.js';
export { extractNewRecordStatePlugin } from './transforms/extract-new-record-state.js';
