/**
 * `ferry broker`: runs the bundled broker in the foreground until SIGINT or SIGTERM, then
 * shuts down cleanly (connections closed, logs flushed, clean-shutdown marker written).
 */
import path from 'node:path';
import type { Logger } from 'pino';
import type { RunningBroker } from '../../broker/broker.js';
import { DEFAULT_BROKER_CONFIG, splitBrokerSettings, type BrokerConfig } from '../../broker/broker-config.js';
import { defineCommand } from '../command-line/command-spec.js';
import { dataDirectoryLocked, describePort, portInUse } from '../command-line/startup-failure.js';
import { UsageError, UserError } from '../command-line/user-error.js';
import { createCommandLogger } from '../logging/command-logger.js';
import { LOG_OPTIONS } from '../logging/log-options.js';
import { parseSetArguments } from '../set-arguments.js';
import { untilSignal } from '../until-signal.js';
import { keepFreedNativeMemory } from '../native-heap-tuning.js';

const PORT = { type: 'integer', min: 0, max: 65535 } as const;

export const brokerCommand = defineCommand({
  name: 'broker',
  summary: 'run the bundled Kafka-protocol broker',
  usage: ['[--port P] [--data-dir D] [--host H] [--advertised-host H] [--set NAME=VALUE]... [options]'],
  description: 'Runs the bundled Kafka-protocol broker until Ctrl-C (SIGINT) or SIGTERM, then shuts down cleanly.',
  options: {
    port: { ...PORT, valueName: 'P', default: DEFAULT_BROKER_CONFIG.port, description: 'port to listen on (0: any free port)' },
    'data-dir': { type: 'string', valueName: 'D', default: './data', description: 'where the topics, groups and transactions are kept' },
    host: { type: 'string', valueName: 'H', default: DEFAULT_BROKER_CONFIG.host, description: 'interface to listen on' },
    'advertised-host': { type: 'string', valueName: 'H', description: 'host clients are told to connect to (default: --host, 127.0.0.1 for 0.0.0.0)' },
    'advertised-port': { ...PORT, valueName: 'P', description: 'port clients are told to connect to (default: the port listened on)' },
    'node-id': { type: 'integer', min: 0, default: DEFAULT_BROKER_CONFIG.nodeId, description: 'the broker\'s node id' },
    'num-partitions': { type: 'integer', min: 1, default: DEFAULT_BROKER_CONFIG.numPartitions, description: 'partitions of an auto-created topic' },
    'auto-create-topics': { type: 'string', choices: ['true', 'false'], valueName: 'BOOL', default: String(DEFAULT_BROKER_CONFIG.autoCreateTopics), description: 'create a topic when a client first uses it' },
    'group-initial-rebalance-delay-ms': { type: 'integer', min: 0, default: DEFAULT_BROKER_CONFIG.groupInitialRebalanceDelayMs, description: 'how long a new group waits for more members' },
    set: { type: 'repeated', valueName: 'NAME=VALUE', description: 'a broker setting by its Kafka name (log.retention.ms, log.segment.bytes, ...)' },
    ...LOG_OPTIONS,
  },
  async run({ options }) {
    const { logger: log } = createCommandLogger({ level: options['log-level'], format: options['log-format'], base: { component: 'broker' } });
    const { fields, logSettings } = brokerSettings(options.set);
    const broker = await startBrokerOrExplain({
      ...DEFAULT_BROKER_CONFIG,
      host: options.host,
      port: options.port,
      advertisedHost: options['advertised-host'] ?? (options.host === '0.0.0.0' ? '127.0.0.1' : options.host),
      advertisedPort: options['advertised-port'],
      dataDir: path.resolve(options['data-dir']),
      nodeId: options['node-id'],
      numPartitions: options['num-partitions'],
      autoCreateTopics: options['auto-create-topics'] === 'true',
      groupInitialRebalanceDelayMs: options['group-initial-rebalance-delay-ms'],
      ...fields,
      logSettings,
    }, log, { port: '--port', dataDir: '--data-dir' });
    // Listening for signals before saying so: a SIGTERM sent on that line must stop the broker cleanly.
    const stopped = untilSignal();
    log.info({ port: broker.port, dataDir: broker.dataDir }, 'broker listening');
    keepFreedNativeMemory();
    const signal = await stopped;
    log.info({ signal }, 'shutting down');
    await broker.close();
    log.info('broker stopped');
  },
});

/** `--set` broker settings: known ones become config fields, the rest topic log settings. */
export function brokerSettings(settings: readonly string[]): ReturnType<typeof splitBrokerSettings> {
  const named = parseSetArguments(settings);
  try {
    return splitBrokerSettings(named);
  } catch (err) {
    throw new UsageError(`--set ${(err as Error).message}`);
  }
}

/** The broker, or a UserError for a port in use or a data directory another process holds. */
export async function startBrokerOrExplain(config: BrokerConfig, log: Logger, flags: { port: string; dataDir: string }): Promise<RunningBroker> {
  // Loaded only here, so that --help and usage mistakes answer at once.
  const { startBroker } = await import('../../broker/broker.js');
  try {
    return await startBroker(config, log);
  } catch (err) {
    const port = portInUse(err);
    if (port !== undefined) {
      throw new UserError(`${describePort(port)} is in use, so the broker cannot listen there; pass ${flags.port} N to choose another`, { cause: err });
    }
    const locked = dataDirectoryLocked(err);
    if (locked !== undefined) {
      throw new UserError(`data directory ${locked.dataDir} is in use by process ${locked.pid} (another ferry?); `
        + `stop that process, or pass ${flags.dataDir} D to use another directory`, { cause: err });
    }
    throw err;
  }
}
