/**
 * `ferry start`: everything on one machine in one process — the bundled broker, one Connect
 * worker using it (internal topics connect-configs, connect-offsets, connect-status) and the
 * REST API. Ctrl-C stops the worker (committing offsets), then the broker; starting again
 * with the same --data-dir resumes every connector where it left off.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { startBroker } from '../../broker/broker.js';
import { DEFAULT_BROKER_CONFIG } from '../../broker/broker-config.js';
import { startWorker } from '../../runtime/worker/start-worker.js';
import { untilSignal } from '../until-signal.js';

export async function runStartCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      'data-dir': { type: 'string', default: './data' },
      'broker-port': { type: 'string', default: '9092' },
      'rest-port': { type: 'string', default: '8083' },
      host: { type: 'string', default: '127.0.0.1' },
      set: { type: 'string', multiple: true },
      'log-level': { type: 'string', default: process.env.FERRY_LOG_LEVEL ?? 'info' },
    },
  });
  const log = pino({ level: values['log-level'] });
  const dataDir = path.resolve(values['data-dir']!);
  const host = values.host!;
  const broker = await startBroker({
    ...DEFAULT_BROKER_CONFIG,
    host,
    advertisedHost: host === '0.0.0.0' ? '127.0.0.1' : host,
    port: Number(values['broker-port']),
    dataDir: path.join(dataDir, 'broker'),
    groupInitialRebalanceDelayMs: 0,
  }, log.child({ component: 'broker' }));
  log.info({ port: broker.port }, 'broker listening');
  const properties: Record<string, string> = {
    'bootstrap.servers': `127.0.0.1:${broker.port}`,
    'group.id': 'connect-cluster',
    'config.storage.topic': 'connect-configs',
    'offset.storage.topic': 'connect-offsets',
    'status.storage.topic': 'connect-status',
    'config.storage.replication.factor': '1',
    'offset.storage.replication.factor': '1',
    'status.storage.replication.factor': '1',
    'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
    'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
    'offset.flush.interval.ms': '10000',
    listeners: `http://${host}:${values['rest-port']}`,
  };
  for (const setting of values.set ?? []) {
    const eq = setting.indexOf('=');
    if (eq <= 0) throw new Error(`--set expects name=value, got '${setting}'`);
    properties[setting.slice(0, eq)] = setting.slice(eq + 1);
  }
  let worker;
  try {
    worker = await startWorker(properties, { logger: log });
  } catch (err) {
    await broker.close();
    throw err;
  }
  log.info({ rest: worker.restUrl, broker: `127.0.0.1:${broker.port}`, dataDir }, 'ferry is ready');
  const signal = await untilSignal();
  log.info({ signal }, 'shutting down');
  await worker.stop();
  await broker.close();
  log.info('ferry stopped');
  return 0;
}
