/**
 * `ferry start`: everything on one machine in one process — the bundled broker, one Connect
 * worker using it (internal topics connect-configs, connect-offsets, connect-status), the
 * REST API and the Schema Registry (its state in the broker's `_schemas` topic). Ctrl-C stops
 * the registry, the worker (committing offsets), then the broker; starting again with the same
 * --data-dir resumes every connector where it left off.
 *
 * The registry listens on --registry-port (8081 by default). When the user did not ask for a
 * port and 8081 is taken (often by a Confluent registry already running), ferry says so in one
 * line and runs without its registry; a port the user asked for that is taken is an error.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pino, type Logger } from 'pino';
import { startBroker } from '../../broker/broker.js';
import { DEFAULT_BROKER_CONFIG } from '../../broker/broker-config.js';
import { startWorker } from '../worker/start-worker.js';
import { DEFAULT_REGISTRY_PORT, RegistryPortInUseError, startSchemaRegistry, type RunningSchemaRegistry } from '../../registry/start-schema-registry.js';
import { parseSetArguments } from '../set-arguments.js';
import { untilSignal } from '../until-signal.js';

export async function runStartCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      'data-dir': { type: 'string', default: './data' },
      'broker-port': { type: 'string', default: '9092' },
      'rest-port': { type: 'string', default: '8083' },
      'registry-port': { type: 'string' },
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
  Object.assign(properties, parseSetArguments(values.set));
  let worker;
  try {
    worker = await startWorker(properties, { logger: log });
  } catch (err) {
    await broker.close();
    throw err;
  }
  let registry: RunningSchemaRegistry | undefined;
  try {
    registry = await startBundledRegistry(values['registry-port'], host, broker.port, log);
  } catch (err) {
    await worker.stop();
    await broker.close();
    if (!(err instanceof RegistryPortInUseError)) throw err;
    process.stderr.write(`ferry start: ${err.message}; pass --registry-port N to choose another\n`);
    return 1;
  }
  log.info({ rest: worker.restUrl, broker: `127.0.0.1:${broker.port}`, schemaRegistry: registry?.url, dataDir }, 'ferry is ready');
  const signal = await untilSignal();
  log.info({ signal }, 'shutting down');
  await registry?.close();
  await worker.stop();
  await broker.close();
  log.info('ferry stopped');
  return 0;
}

/** The registry beside the broker; undefined when the default port is taken (said in one line). */
async function startBundledRegistry(portFlag: string | undefined, host: string, brokerPort: number, log: Logger): Promise<RunningSchemaRegistry | undefined> {
  const port = portFlag === undefined ? DEFAULT_REGISTRY_PORT : Number(portFlag);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--registry-port must be a port number, got '${portFlag}'`);
  try {
    return await startSchemaRegistry({
      bootstrapServers: `127.0.0.1:${brokerPort}`, port, host, logger: log.child({ component: 'schema-registry' }),
    });
  } catch (err) {
    if (!(err instanceof RegistryPortInUseError) || portFlag !== undefined) throw err;
    log.warn(`port ${port} is in use, so ferry runs without its schema registry; pass --registry-port N to run it on another port`);
    return undefined;
  }
}
