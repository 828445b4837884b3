/** MariaDB for vitest files: every server a test file starts is stopped after the file. */
import { afterAll } from 'vitest';
import { startMariaDb, stopAllMariaDb, type MariaDbOptions, type MariaDbServer } from './mariadb-server.js';

export { CDC_GRANTS, type MariaDbServer } from './mariadb-server.js';

afterAll(async () => {
  await stopAllMariaDb();
});

export function startTestMariaDb(options: MariaDbOptions = {}): Promise<MariaDbServer> {
  return startMariaDb(options);
}
