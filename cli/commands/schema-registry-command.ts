/**
 * `ferry schema-registry --bootstrap-servers HOST:PORT`: runs the Confluent-compatible Schema
 * Registry alone against any Kafka cluster (state in its `_schemas` topic), until SIGINT or
 * SIGTERM. Several can run over one cluster: one is elected to write, the others forward.
 * A taken port or another start-up failure is reported in one line, exit code 1.
 */
import { COMPATIBILITY_LEVELS, type CompatibilityLevel } from '../../registry/service/schema-provider.js';
import { DEFAULT_REGISTRY_PORT, RegistryPortInUseError, startSchemaRegistry } from '../../registry/start-schema-registry.js';
import { defineCommand } from '../command-line/command-spec.js';
import { oneLine } from '../command-line/one-line.js';
import { UsageError, UserError } from '../command-line/user-error.js';
import { createCommandLogger } from '../logging/command-logger.js';
import { LOG_OPTIONS } from '../logging/log-options.js';
import { parseSetArguments } from '../set-arguments.js';
import { untilSignal } from '../until-signal.js';

export const schemaRegistryCommand = defineCommand({
  name: 'schema-registry',
  summary: 'run the Confluent-compatible Schema Registry against any Kafka',
  usage: ['--bootstrap-servers HOST:PORT[,HOST:PORT] [options]'],
  options: {
    'bootstrap-servers': { type: 'string', valueName: 'HOST:PORT', required: true, description: 'the Kafka cluster that holds the _schemas topic' },
    port: { type: 'integer', min: 0, max: 65535, default: DEFAULT_REGISTRY_PORT, description: 'REST port' },
    host: { type: 'string', valueName: 'H', default: '0.0.0.0', description: 'interface to listen on' },
    'advertised-host': { type: 'string', valueName: 'H', description: 'host the other registry instances reach this one at (for forwarded writes)' },
    topic: { type: 'string', valueName: 'T', description: 'the schemas topic (default _schemas)' },
    'group-id': { type: 'string', valueName: 'G', description: 'the registries\' group (default schema-registry)' },
    'compatibility-level': { type: 'string', valueName: 'L', description: `level when none is configured: ${COMPATIBILITY_LEVELS.join(', ')} (default BACKWARD)` },
    'leader-eligibility': { type: 'string', valueName: 'BOOL', choices: ['true', 'false'], default: 'true', description: 'whether this instance may be elected to write' },
    set: { type: 'repeated', valueName: 'NAME=VALUE', description: 'a Kafka client property (security.protocol, sasl.*, ssl.*)' },
    ...LOG_OPTIONS,
  },
  async run({ options }) {
    const compatibilityLevel = parseLevel(options['compatibility-level']);
    const kafkaProperties = parseSetArguments(options.set);
    const { logger } = createCommandLogger({ level: options['log-level'], format: options['log-format'], base: { component: 'schema-registry' } });
    let registry;
    try {
      registry = await startSchemaRegistry({
        bootstrapServers: options['bootstrap-servers'],
        port: options.port,
        host: options.host,
        advertisedHost: options['advertised-host'],
        topic: options.topic,
        groupId: options['group-id'],
        compatibilityLevel,
        leaderEligibility: options['leader-eligibility'] === 'true',
        kafkaProperties,
        logger,
      });
    } catch (err) {
      if (err instanceof RegistryPortInUseError) throw new UserError(`${err.message}; pass --port N to choose another`, { cause: err });
      throw new UserError(`cannot start: ${oneLine(err)}`, { cause: err });
    }
    const stopped = untilSignal();
    logger.info({ url: registry.url }, 'schema registry ready');
    const signal = await stopped;
    logger.info({ signal }, 'shutting down');
    await registry.close();
    logger.info('schema registry stopped');
  },
});

function parseLevel(value: string | undefined): CompatibilityLevel | undefined {
  if (value === undefined) return undefined;
  const level = COMPATIBILITY_LEVELS.find((l) => l === value.trim().toUpperCase());
  if (!level) throw new UsageError(`--compatibility-level must be one of ${COMPATIBILITY_LEVELS.join(', ')}, got '${value}'`);
  return level;
}
