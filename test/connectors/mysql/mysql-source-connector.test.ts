/**
 * The connector half of the CDC plugin: one task whatever tasks.max says, Debezium keys ferry
 * does not act on reported once as ignored (so existing connector JSON loads), and the config
 * rules Debezium enforces refused with every bad field named.
 */
import { describe, expect, it } from 'vitest';
import { mariaDbConnectorPlugin, mySqlConnectorPlugin } from '../../../connectors/mysql/index.js';
import { mysqlSourceSpec } from '../../../connectors/mysql/mysql-source-config.js';
import { ConfigError } from '../../../connectors/sdk/config/config-spec.js';
import { noKafkaClusters } from '../../helpers/no-kafka-clusters.js';
import { recordingLogger } from '../file/fake-contexts.js';

const BASE = {
  'name': 'inventory',
  'connector.class': 'io.debezium.connector.mysql.MySqlConnector',
  'tasks.max': '4',
  'database.hostname': 'db.example', 'database.user': 'cdc', 'database.password': 'pw',
  'database.server.id': '184054', 'topic.prefix': 'dbserver1',
  'schema.history.internal.kafka.topic': 'schema-changes.inventory',
  'schema.history.internal.kafka.bootstrap.servers': 'kafka:9092',
};

describe('MySqlConnector / MariaDbConnector', () => {
  it('are registered under Debezium\'s class names and short names', () => {
    expect(mySqlConnectorPlugin.className).toBe('io.debezium.connector.mysql.MySqlConnector');
    expect(mariaDbConnectorPlugin.className).toBe('io.debezium.connector.mariadb.MariaDbConnector');
    expect(mySqlConnectorPlugin.aliases).toContain('MySqlConnector');
    expect(mariaDbConnectorPlugin.aliases).toContain('MariaDbConnector');
  });

  it('runs exactly one task with the connector\'s config, whatever tasks.max says', async () => {
    const connector = mySqlConnectorPlugin.createConnector();
    const logger = recordingLogger();
    await connector.start(BASE, { logger, requestTaskReconfiguration: () => {}, raiseError: () => {}, kafka: noKafkaClusters });
    expect(await connector.taskConfigs(4)).toEqual([BASE]);
  });

  it('loads Debezium JSON with keys ferry does not use, naming them once as ignored', async () => {
    const connector = mariaDbConnectorPlugin.createConnector();
    const logger = recordingLogger();
    await connector.start({
      ...BASE,
      'database.jdbc.driver': 'org.mariadb.jdbc.Driver', 'custom.metric.tags': 'env=prod',
      'transforms': 'unwrap', 'transforms.unwrap.type': 'io.debezium.transforms.ExtractNewRecordState',
      'schema.history.internal.producer.security.protocol': 'SSL',
    }, { logger, requestTaskReconfiguration: () => {}, raiseError: () => {}, kafka: noKafkaClusters });
    const warnings = logger.entries.filter((e) => e.level === 'warn').map((e) => e.msg);
    expect(warnings).toEqual(['These settings are not used by ferry\'s MySQL/MariaDB connector and are ignored: custom.metric.tags, database.jdbc.driver']);
  });

  it('refuses a config naming every bad field', () => {
    const error = (() => {
      try {
        mysqlSourceSpec.parse({ ...BASE, 'database.port': 'x', 'snapshot.mode': 'sometimes', 'max.queue.size': '10', 'max.batch.size': '20',
          'table.include.list': 'a\\..*', 'table.exclude.list': 'b\\..*', 'time.precision.mode': 'adaptive' });
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    for (const key of ['database.port', 'snapshot.mode', 'max.queue.size', 'table.exclude.list', 'time.precision.mode']) expect(message).toContain(key);
  });

  it('accepts Debezium\'s regex lists, commas inside an expression escaped with a backslash', () => {
    const parsed = mysqlSourceSpec.parse({ ...BASE, 'table.include.list': 'inv\\.orders_\\d{1\\,3},inv\\.customers' });
    expect(parsed.tableIncludeList).toBe('inv\\.orders_\\d{1\\,3},inv\\.customers');
    expect(() => mysqlSourceSpec.parse({ ...BASE, 'table.include.list': 'inv\\.(orders' })).toThrow(/table\.include\.list/);
  });
});
