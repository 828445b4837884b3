/**
 * The connector JSON of each run: a Debezium MariaDB connector as users write it, one task,
 * Debezium's defaults for batch and queue sizes, and the converter variant under test.
 */
import type { MariaDbServer } from '../../test/helpers/mariadb-server.js';
import { CDC_PASSWORD, CDC_USER, DATABASE } from './bench-database.js';

/**
 * json: the worker's default JsonConverter with schemas.enable=true (what Debezium users run).
 * json-noschema: the same converter set on the connector with value.converter.schemas.enable=false.
 */
export type ConverterVariant = 'json' | 'json-noschema';
export const CONVERTER_VARIANTS: ConverterVariant[] = ['json', 'json-noschema'];

const JSON_CONVERTER = 'org.apache.kafka.connect.json.JsonConverter';

function converterSettings(variant: ConverterVariant): Record<string, string> {
  if (variant === 'json') return {};
  return { 'value.converter': JSON_CONVERTER, 'value.converter.schemas.enable': 'false' };
}

export interface CdcRunConfig {
  name: string;
  /** The topic the table's change events go to: <topic.prefix>.<db>.<table>. */
  topic: string;
  config: Record<string, string>;
}

export function cdcRunConfig(
  db: MariaDbServer, bootstrap: string, o: { name: string; table: string; snapshotMode: string; serverId: number; variant: ConverterVariant },
): CdcRunConfig {
  const prefix = o.name.replace(/[^A-Za-z0-9_]/g, '_');
  return {
    name: o.name,
    topic: `${prefix}.${DATABASE}.${o.table}`,
    config: {
      'connector.class': 'io.debezium.connector.mariadb.MariaDbConnector',
      'tasks.max': '1',
      'database.hostname': db.host,
      'database.port': String(db.port),
      'database.user': CDC_USER,
      'database.password': CDC_PASSWORD,
      'database.server.id': String(o.serverId),
      'topic.prefix': prefix,
      'table.include.list': `${DATABASE}\\.${o.table}`,
      'snapshot.mode': o.snapshotMode,
      'schema.history.internal.kafka.topic': `schema-changes.${prefix}`,
      'schema.history.internal.kafka.bootstrap.servers': bootstrap,
      ...converterSettings(o.variant),
    },
  };
}
