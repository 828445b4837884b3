/**
 * What the CDC source declares for exactly-once delivery (KIP-618), as Debezium's binlog
 * connectors do: SUPPORTED, and no connector-defined transaction boundaries. Seen as a user of
 * an exactly-once worker sees it, from PUT /connector-plugins/{class}/config/validate (without a
 * database: other keys may report errors, the exactly-once keys must not).
 */
import { expect, it } from 'vitest';
import { BOUNDARIES_UNSUPPORTED } from '../../../runtime/control/exactly-once-preflight.js';
import { inMemoryWorker } from '../../runtime/control/in-memory-worker.js';

it('accepts exactly.once.support=required for the MySQL and MariaDB connectors and refuses transaction.boundary=connector', async () => {
  const worker = await inMemoryWorker({ exactlyOnceSourceSupport: 'enabled' });
  for (const className of ['io.debezium.connector.mysql.MySqlConnector', 'io.debezium.connector.mariadb.MariaDbConnector']) {
    const errorsOn = async (key: string, value: string) => {
      const answer = await worker.send('PUT', `/connector-plugins/${className}/config/validate`, {
        name: 'shop-cdc', 'connector.class': className, 'database.hostname': '127.0.0.1', 'topic.prefix': 'shop', [key]: value,
      });
      expect(answer.status).toBe(200);
      return (answer.body as unknown as { configs: { value: { name: string; errors: string[] } }[] }).configs.find((c) => c.value.name === key)?.value.errors;
    };
    expect(await errorsOn('exactly.once.support', 'required')).toEqual([]);
    expect(await errorsOn('transaction.boundary', 'poll')).toEqual([]);
    expect(await errorsOn('transaction.boundary', 'connector')).toEqual([BOUNDARIES_UNSUPPORTED]);
  }
});
