/**
 * `ferry worker FILE.properties`: runs a Connect worker from Kafka Connect's distributed
 * worker properties until SIGINT or SIGTERM, then stops its tasks (committing offsets).
 */
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { readPropertiesFile } from '../../runtime/config/properties-file.js';
import { startWorker } from '../../runtime/worker/start-worker.js';
import { untilSignal } from '../until-signal.js';

export async function runWorkerCommand(args: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: { 'log-level': { type: 'string', default: process.env.FERRY_LOG_LEVEL ?? 'info' } },
  });
  if (positionals.length !== 1) {
    process.stderr.write('Usage: ferry worker WORKER.properties\n');
    return 1;
  }
  const log = pino({ level: values['log-level'] });
  const properties = await readPropertiesFile(positionals[0]!);
  const worker = await startWorker(properties, { logger: log });
  const signal = await untilSignal();
  log.info({ signal }, 'shutting down');
  await worker.stop();
  log.info('worker stopped');
  return 0;
}
