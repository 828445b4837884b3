/**
 * `ferry schema-registry --bootstrap-servers HOST:PORT`: runs the Confluent-compatible Schema
 * Registry alone against any Kafka cluster (state in its `_schemas` topic), until SIGINT or
 * SIGTERM. Several can run over one cluster: one is elected to write, the others forward.
 * Bad arguments and start-up failures are reported in one line, exit code 1.
 */
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { COMPATIBILITY_LEVELS, type CompatibilityLevel } from '../../registry/service/schema-provider.js';
import { DEFAULT_REGISTRY_PORT, startSchemaRegistry } from '../../registry/start-schema-registry.js';
import { parseSetArguments } from '../set-arguments.js';
import { untilSignal } from '../until-signal.js';

export const SCHEMA_REGISTRY_USAGE = `Usage: ferry schema-registry --bootstrap-servers HOST:PORT[,HOST:PORT] [options]

Options:
  --port N                      REST port (default ${DEFAULT_REGISTRY_PORT})
  --host H                      interface to listen on (default 0.0.0.0)
  --advertised-host H           host the other registry instances reach this one at (for forwarded writes)
  --topic T                     the schemas topic (default _schemas)
  --group-id G                  the registries' group (default schema-registry)
  --compatibility-level L       level when none is configured (default BACKWARD)
  --leader-eligibility BOOL     whether this instance may be elected to write (default true)
  --set NAME=VALUE              a Kafka client property (security.protocol, sasl.*, ssl.*), repeatable
  --log-level L                 (default info)
`;

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw new Error(`--port must be a port number, got '${value}'`);
  return port;
}

function parseLevel(value: string | undefined): CompatibilityLevel | undefined {
  if (value === undefined) return undefined;
  const level = COMPATIBILITY_LEVELS.find((l) => l === value.trim().toUpperCase());
  if (!level) throw new Error(`--compatibility-level must be one of ${COMPATIBILITY_LEVELS.join(', ')}, got '${value}'`);
  return level;
}

export async function runSchemaRegistryCommand(args: string[]): Promise<number> {
  try {
    const { values } = parseArgs({
      args,
      options: {
        'bootstrap-servers': { type: 'string' },
        port: { type: 'string', default: String(DEFAULT_REGISTRY_PORT) },
        host: { type: 'string', default: '0.0.0.0' },
        'advertised-host': { type: 'string' },
        topic: { type: 'string' },
        'group-id': { type: 'string' },
        'compatibility-level': { type: 'string' },
        'leader-eligibility': { type: 'string', default: 'true' },
        set: { type: 'string', multiple: true },
        'log-level': { type: 'string', default: process.env.FERRY_LOG_LEVEL ?? 'info' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    });
    if (values.help) {
      process.stdout.write(SCHEMA_REGISTRY_USAGE);
      return 0;
    }
    const bootstrapServers = values['bootstrap-servers'];
    if (!bootstrapServers) throw new Error('--bootstrap-servers is required (the Kafka cluster that holds the _schemas topic)');
    const eligibility = values['leader-eligibility']!.trim().toLowerCase();
    if (eligibility !== 'true' && eligibility !== 'false') throw new Error(`--leader-eligibility must be true or false, got '${values['leader-eligibility']}'`);
    const logger = pino({ level: values['log-level'], base: { component: 'schema-registry' } });
    const registry = await startSchemaRegistry({
      bootstrapServers,
      port: parsePort(values.port!),
      host: values.host!,
      advertisedHost: values['advertised-host'],
      topic: values.topic,
      groupId: values['group-id'],
      compatibilityLevel: parseLevel(values['compatibility-level']),
      leaderEligibility: eligibility === 'true',
      kafkaProperties: parseSetArguments(values.set),
      logger,
    });
    logger.info({ url: registry.url }, 'schema registry ready');
    const signal = await untilSignal();
    logger.info({ signal }, 'shutting down');
    await registry.close();
    logger.info('schema registry stopped');
    return 0;
  } catch (err) {
    process.stderr.write(`ferry schema-registry: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
