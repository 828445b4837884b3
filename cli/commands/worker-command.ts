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
import { parseArgs } from 'node:util';
import { pino, type Logger } from 'pino';
import { ConfigError } from '../../connectors/sdk/config/config-error.js';
import { HIDDEN } from '../../connectors/sdk/config/password.js';
import { readPropertiesFile } from '../../runtime/config/properties-file.js';
import { untilSignal } from '../until-signal.js';
import { envNameOfProperty, isSecretProperty, missingWorkerProperties, workerSettingsFromEnv, type EnvWorkerSettings } from '../worker/worker-env.js';

const USAGE = 'Usage: ferry worker [WORKER.properties] [--log-level LEVEL]\n'
  + 'Without a file the worker is configured by CONNECT_* environment variables alone; with one they override its keys.\n';

export async function runWorkerCommand(args: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: { 'log-level': { type: 'string' } },
  });
  if (positionals.length > 1) {
    process.stderr.write(USAGE);
    return 1;
  }
  const file = positionals[0];
  const fromEnv = workerSettingsFromEnv(process.env, { shortNames: file === undefined });
  let fileProperties: Record<string, string> = {};
  if (file !== undefined) {
    try {
      fileProperties = await readPropertiesFile(file);
    } catch (err) {
      process.stderr.write(`ferry worker: cannot read ${file}: ${(err as Error).message}\n`);
      return 1;
    }
  }
  const properties = { ...fileProperties, ...fromEnv.properties };
  const missing = missingWorkerProperties(properties, { envOnly: file === undefined });
  if (missing.length > 0) {
    for (const property of missing) {
      process.stderr.write(file === undefined
        ? `ferry worker: ${envNameOfProperty(property)} (${property}) is not set\n`
        : `ferry worker: ${property} is not set in ${file} nor by ${envNameOfProperty(property)}\n`);
    }
    return 1;
  }

  const log = pino({ level: values['log-level'] ?? process.env.FERRY_LOG_LEVEL ?? fromEnv.logLevel ?? 'info' });
  logEnvironment(log, fromEnv, file === undefined ? undefined : { name: file, properties: fileProperties });
  // Loaded only now, so a misconfigured container fails at once instead of after loading the whole runtime.
  const { startWorker } = await import('../worker/start-worker.js');
  let worker;
  try {
    worker = await startWorker(properties, { logger: log });
  } catch (err) {
    if (!(err instanceof Error && err.cause instanceof ConfigError)) throw err;
    process.stderr.write('ferry worker: invalid worker configuration\n');
    for (const issue of err.cause.issues) {
      const origin = fromEnv.origins[issue.name];
      process.stderr.write(`ferry worker: ${issue.message}${origin ? ` (from ${origin})` : ''}\n`);
    }
    return 1;
  }
  const signal = await untilSignal();
  log.info({ signal }, 'shutting down');
  await worker.stop();
  log.info('worker stopped');
  return 0;
}

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
