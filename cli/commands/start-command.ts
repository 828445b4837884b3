/**
 * `ferry start`: everything on one machine in one process — the bundled broker, one Connect
 * worker using it (internal topics connect-configs, connect-offsets, connect-status), the
 * REST API (and the web console at /ui/ on its port) and the Schema Registry (its state in the
 * broker's `_schemas` topic). Ctrl-C stops the registry, the worker (committing offsets), then
 * the broker; starting again with the same --data-dir resumes every connector where it left off.
 *
 * Settings: worker properties by their Kafka Connect names and bundled-broker settings as
 * `broker.<Kafka broker setting>` (broker.log.retention.ms, ...), from `--config FILE` (a
 * properties file) and `--set NAME=VALUE`, --set winning over the file, the file over ferry's
 * defaults for a single machine.
 *
 * The registry listens on --registry-port (8081 by default). When the user did not ask for a
 * port and 8081 is taken (often by a Confluent registry already running), ferry says so in one
 * line and runs without its registry; a port the user asked for that is taken is an error.
 *
 * The worker and the registry reach the broker in process (runtime/kafka/wire/in-process-brokers.ts):
 * the same Kafka requests without the loopback TCP hop. Every other client (kcat, a second
 * worker, MirrorMaker) connects over TCP at the address in the ready line.
 *
 * Ready is the log line `"msg":"ferry is ready"` naming every address (tests and benchmarks
 * wait for it); in pretty log format it is a short table of what runs where instead.
 */
import path from 'node:path';
import type { Logger } from 'pino';
import { DEFAULT_BROKER_CONFIG } from '../../broker/broker-config.js';
import { DEFAULT_REGISTRY_PORT, type RunningSchemaRegistry } from '../../registry/start-schema-registry.js';
import { defineCommand } from '../command-line/command-spec.js';
import { readPropertiesArgument } from '../command-line/properties-argument.js';
import { UserError } from '../command-line/user-error.js';
import { createCommandLogger, type CommandLogging } from '../logging/command-logger.js';
import { LOG_OPTIONS } from '../logging/log-options.js';
import { parseSetArguments } from '../set-arguments.js';
import { untilSignal } from '../until-signal.js';
import { keepFreedNativeMemory } from '../native-heap-tuning.js';
import { explainWorkerStartFailure } from '../worker/worker-start-failure.js';
import { registerInProcessBroker } from '../../runtime/kafka/wire/in-process-brokers.js';
import { brokerSettings, startBrokerOrExplain } from './broker-command.js';

const PORT = { type: 'integer', min: 0, max: 65535, valueName: 'P' } as const;
/** Settings with this prefix are the bundled broker's; all others are the worker's. */
const BROKER_PREFIX = 'broker.';

export const startCommand = defineCommand({
  name: 'start',
  summary: 'run broker, worker, REST API, web console and schema registry in one process',
  usage: ['[--data-dir D] [--broker-port P] [--rest-port P] [--registry-port P] [--config FILE] [--set NAME=VALUE]... [options]'],
  description: [
    'Runs the bundled broker, a Connect worker, its REST API (with the web console at /ui/) and the Schema',
    'Registry in one process until Ctrl-C. Worker properties (Kafka Connect names) and bundled-broker',
    'settings (broker.<Kafka broker setting>, e.g. broker.log.retention.ms) come from --config FILE and',
    '--set, --set winning.',
  ].join('\n'),
  options: {
    'data-dir': { type: 'string', valueName: 'D', default: './data', description: 'where the broker keeps its data (in D/broker)' },
    'broker-port': { ...PORT, default: 9092, description: 'the broker\'s port (0: any free port)' },
    'rest-port': { ...PORT, default: 8083, description: 'the REST API\'s and web console\'s port (0: any free port)' },
    'registry-port': { ...PORT, description: `the Schema Registry's port (default: ${DEFAULT_REGISTRY_PORT}, skipped when taken)` },
    host: { type: 'string', valueName: 'H', default: '127.0.0.1', description: 'interface every server listens on' },
    config: { type: 'string', short: 'c', valueName: 'FILE', description: 'a properties file of worker properties and broker.* settings' },
    set: { type: 'repeated', valueName: 'NAME=VALUE', description: 'a worker property, or broker.<setting> for the broker; wins over --config' },
    ...LOG_OPTIONS,
  },
  async run({ options }) {
    const logging = createCommandLogger({ level: options['log-level'], format: options['log-format'] });
    const log = logging.logger;
    const fromFile = options.config === undefined ? {} : await readPropertiesArgument(options.config);
    const fromFlags = parseSetArguments(options.set);
    const settings = { ...fromFile, ...fromFlags };
    const brokerSettingArgs = Object.entries(settings)
      .filter(([name]) => name.startsWith(BROKER_PREFIX))
      .map(([name, value]) => `${name.slice(BROKER_PREFIX.length)}=${value}`);
    const { fields, logSettings } = brokerSettings(brokerSettingArgs);

    const dataDir = path.resolve(options['data-dir']);
    const host = options.host;
    const advertisedHost = host === '0.0.0.0' ? '127.0.0.1' : host;
    const broker = await startBrokerOrExplain({
      ...DEFAULT_BROKER_CONFIG,
      host,
      advertisedHost,
      port: options['broker-port'],
      dataDir: path.join(dataDir, 'broker'),
      groupInitialRebalanceDelayMs: 0,
      ...fields,
      logSettings,
    }, log.child({ component: 'broker' }), { port: '--broker-port', dataDir: '--data-dir' });
    log.info({ port: broker.port }, 'broker listening');
    const leaveInProcess = registerInProcessBroker(
      [{ host: '127.0.0.1', port: broker.port }, { host: 'localhost', port: broker.port }, { host: advertisedHost, port: broker.port }],
      (target) => broker.connectInProcess(target),
    );
    const stopBroker = async () => {
      leaveInProcess();
      await broker.close();
    };

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
      listeners: `http://${host}:${options['rest-port']}`,
    };
    for (const [name, value] of Object.entries(settings)) if (!name.startsWith(BROKER_PREFIX)) properties[name] = value;
    const originOf = (name: string) => (Object.hasOwn(fromFlags, name) ? '--set' : Object.hasOwn(fromFile, name) ? options.config : undefined);
    // Loaded only now, so that --help and usage mistakes answer at once.
    const { startWorker } = await import('../worker/start-worker.js');
    const startedAt = Date.now();
    let worker;
    try {
      worker = await startWorker(properties, { logger: log });
    } catch (err) {
      await stopBroker();
      const listenersOrigin = originOf('listeners');
      throw explainWorkerStartFailure(err, {
        properties,
        originOf,
        restPortAdvice: listenersOrigin === undefined ? 'pass --rest-port N to choose another' : `change listeners in ${listenersOrigin}`,
        startedAt,
      }) ?? err;
    }
    const { RegistryPortInUseError } = await import('../../registry/start-schema-registry.js');
    let registry: RunningSchemaRegistry | undefined;
    try {
      registry = await startBundledRegistry(options['registry-port'], host, broker.port, log);
    } catch (err) {
      await worker.stop();
      await stopBroker();
      if (!(err instanceof RegistryPortInUseError)) throw err;
      throw new UserError(`${err.message}; pass --registry-port N to choose another`, { cause: err });
    }
    const ready = {
      rest: worker.restUrl,
      console: `${worker.restUrl}/ui/`,
      broker: `127.0.0.1:${broker.port}`,
      schemaRegistry: registry?.url,
      dataDir,
    };
    // Listening for signals before saying ready: a SIGTERM sent on that line must stop ferry cleanly.
    const stopped = untilSignal();
    if (logging.format === 'pretty') printReady(logging, ready);
    else log.info(ready, 'ferry is ready');
    keepFreedNativeMemory();
    const signal = await stopped;
    log.info({ signal }, 'shutting down');
    await registry?.close();
    await worker.stop();
    await stopBroker();
    log.info('ferry stopped');
  },
});

/** What runs where, for people. */
function printReady(logging: CommandLogging, ready: { rest: string; console: string; broker: string; schemaRegistry: string | undefined; dataDir: string }): void {
  const rows: [string, string][] = [
    ['Broker', ready.broker],
    ['REST API', ready.rest],
    ['Web console', ready.console],
    ['Schema Registry', ready.schemaRegistry ?? 'not running (its port is taken; see above)'],
    ['Data directory', ready.dataDir],
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  logging.print(`\nferry is ready\n${rows.map(([name, value]) => `  ${name.padEnd(width)}  ${value}\n`).join('')}  Press Ctrl-C to stop.\n\n`);
}

/** The registry beside the broker; undefined when the default port is taken (said in one line). */
async function startBundledRegistry(portFlag: number | undefined, host: string, brokerPort: number, log: Logger): Promise<RunningSchemaRegistry | undefined> {
  const { RegistryPortInUseError, startSchemaRegistry } = await import('../../registry/start-schema-registry.js');
  const port = portFlag ?? DEFAULT_REGISTRY_PORT;
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
