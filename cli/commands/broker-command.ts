/**
 * `ferry broker`: runs the bundled broker in the foreground until SIGINT or SIGTERM, then
 * shuts down cleanly (connections closed, logs flushed, clean-shutdown marker written).
 */
import { parseArgs } from 'node:util';
import path from 'node:path';
import { pino } from 'pino';
import { startBroker } from '../../broker/broker.js';
import { DEFAULT_BROKER_CONFIG, splitBrokerSettings } from '../../broker/broker-config.js';
import { parseSetArguments } from '../set-arguments.js';
import { untilSignal } from '../until-signal.js';

export async function runBrokerCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string', default: String(DEFAULT_BROKER_CONFIG.port) },
      'data-dir': { type: 'string', default: './data' },
      host: { type: 'string', default: DEFAULT_BROKER_CONFIG.host },
      'advertised-host': { type: 'string' },
      'advertised-port': { type: 'string' },
      'node-id': { type: 'string' },
      'num-partitions': { type: 'string' },
      'auto-create-topics': { type: 'string' },
      'group-initial-rebalance-delay-ms': { type: 'string' },
      set: { type: 'string', multiple: true },
      'log-level': { type: 'string', default: process.env.FERRY_LOG_LEVEL ?? 'info' },
    },
    strict: true,
  });
  const log = pino({ level: values['log-level'], base: { component: 'broker' } });
  const port = parsePort(values.port!, '--port');
  const settings = parseSetArguments(values.set);
  const { fields, logSettings } = splitBrokerSettings(settings);
  const broker = await startBroker({
    ...DEFAULT_BROKER_CONFIG,
    host: values.host!,
    port,
    advertisedHost: values['advertised-host'] ?? (values.host === '0.0.0.0' ? '127.0.0.1' : values.host!),
    advertisedPort: values['advertised-port'] ? parsePort(values['advertised-port'], '--advertised-port') : undefined,
    dataDir: path.resolve(values['data-dir']!),
    nodeId: values['node-id'] ? Number(values['node-id']) : DEFAULT_BROKER_CONFIG.nodeId,
    numPartitions: values['num-partitions'] ? Number(values['num-partitions']) : DEFAULT_BROKER_CONFIG.numPartitions,
    autoCreateTopics: values['auto-create-topics'] ? values['auto-create-topics'] === 'true' : DEFAULT_BROKER_CONFIG.autoCreateTopics,
    groupInitialRebalanceDelayMs: values['group-initial-rebalance-delay-ms']
      ? Number(values['group-initial-rebalance-delay-ms'])
      : DEFAULT_BROKER_CONFIG.groupInitialRebalanceDelayMs,
    ...fields,
    logSettings,
  }, log);
  log.info({ port: broker.port, dataDir: broker.dataDir }, 'broker listening');
  const signal = await untilSignal();
  log.info({ signal }, 'shutting down');
  await broker.close();
  log.info('broker stopped');
  return 0;
}

function parsePort(value: string, flag: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`${flag} must be a port number, got '${value}'`);
  return port;
}
