/**
 * `ferry worker [FILE.properties]`: runs a Connect worker until SIGINT or SIGTERM, then stops its
 * tasks (committing offsets).
 *
 * - With FILE: Kafka Connect's distributed worker properties, and CONNECT_* environment
 *   variables on top (as the apache/kafka image lets the environment override its file); each
 *   property the environment sets is logged once, password-like values as [hidden].
 * - Without FILE: the properties come from the environment alone, as Confluent's and Debezium's
 *   images take them (cli/worker/worker-env.ts). Missing required settings end the command with
 *   one line each, naming the variable, e.g. `ferry worker: CONNECT_GROUP_ID (group.id) is not set`.
 *
 * The log level is --log-level, else FERRY_LOG_LEVEL, else CONNECT_LOG4J_ROOT_LOGLEVEL, else info.
 */
import type { Logger } from 'pino';
import { HIDDEN } from '../../connectors/sdk/config/password.js';
import { defineCommand } from '../command-line/command-spec.js';
import { readPropertiesArgument } from '../command-line/properties-argument.js';
import { createCommandLogger } from '../logging/command-logger.js';
import { LOG_OPTIONS } from '../logging/log-options.js';
import { untilSignal } from '../until-signal.js';
import { keepFreedNativeMemory } from '../native-heap-tuning.js';
import { envNameOfProperty, isSecretProperty, missingWorkerProperties, workerSettingsFromEnv, type EnvWorkerSettings } from '../worker/worker-env.js';
import { explainWorkerStartFailure } from '../worker/worker-start-failure.js';

export const workerCommand = defineCommand({
  name: 'worker',
  summary: 'run a Connect worker from Kafka Connect properties and CONNECT_* variables, against any Kafka',
  description: [
    'Runs a Kafka Connect distributed worker until Ctrl-C (SIGINT) or SIGTERM. CONNECT_* environment',
    'variables override the file\'s properties (CONNECT_GROUP_ID -> group.id); without a file they',
    'configure the worker alone, as Kafka Connect\'s container images do.',
  ].join('\n'),
  positionals: [{ name: 'file', valueName: 'WORKER.properties', optional: true, description: 'Kafka Connect distributed worker properties' }],
  options: {
    ...LOG_OPTIONS,
    'log-level': { ...LOG_OPTIONS['log-level'], defaultDescription: '$FERRY_LOG_LEVEL, else CONNECT_LOG4J_ROOT_LOGLEVEL, else info' },
  },
  async run({ args, options, io }) {
    const file = args.file;
    const fromEnv = workerSettingsFromEnv(io.env, { shortNames: file === undefined });
    const fileProperties = file === undefined ? {} : await readPropertiesArgument(file);
    const properties = { ...fileProperties, ...fromEnv.properties };
    const missing = missingWorkerProperties(properties, { envOnly: file === undefined });
    if (missing.length > 0) {
      for (const property of missing) {
        io.stderr.write(file === undefined
          ? `ferry worker: ${envNameOfProperty(property)} (${property}) is not set\n`
          : `ferry worker: ${property} is not set in ${file} nor by ${envNameOfProperty(property)}\n`);
      }
      return 1;
    }

    const { logger: log } = createCommandLogger({ level: options['log-level'] ?? fromEnv.logLevel, format: options['log-format'] });
    logEnvironment(log, fromEnv, file === undefined ? undefined : { name: file, properties: fileProperties });
    // Loaded only now, so a misconfigured container fails at once instead of after loading the whole runtime.
    const { startWorker } = await import('../worker/start-worker.js');
    const originOf = (name: string) => fromEnv.origins[name] ?? (Object.hasOwn(fileProperties, name) ? file : undefined);
    const startedAt = Date.now();
    let worker;
    try {
      worker = await startWorker(properties, { logger: log });
    } catch (err) {
      const where = originOf('listeners') ?? file ?? 'CONNECT_LISTENERS';
      throw explainWorkerStartFailure(err, { properties, originOf, restPortAdvice: `set another port in listeners (${where})`, startedAt }) ?? err;
    }
    keepFreedNativeMemory();
    const signal = await untilSignal();
    log.info({ signal }, 'shutting down');
    await worker.stop();
    log.info('worker stopped');
  },
});

/** One line per property the environment set (naming the variable), and the mapping's warnings. */
function logEnvironment(log: Logger, fromEnv: EnvWorkerSettings, file: { name: string; properties: Record<string, string> } | undefined): void {
  for (const [property, value] of Object.entries(fromEnv.properties)) {
    const variable = fromEnv.origins[property]!;
    const replaces = file !== undefined && Object.hasOwn(file.properties, property) ? ` (replaces the value in ${file.name})` : '';
    log.info({ property, variable, value: isSecretProperty(property) ? HIDDEN : value }, `worker property ${property} from ${variable}${replaces}`);
  }
  for (const variable of fromEnv.ignored) log.debug({ variable }, `${variable} is not a worker property; ignored`);
  for (const warning of fromEnv.warnings) log.warn(warning);
}
