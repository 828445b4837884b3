/**
 * `ferry mirror translate-offsets`: where a consumer group of cluster A should resume on cluster
 * B, from the checkpoints MirrorMaker's A->B flow writes to B (the numbers Java's
 * RemoteClusterUtils.translateOffsets gives), printed as a table or JSON, and with --apply
 * committed to the group on B. The failover step of docs/mirror-maker.md.
 *
 * Cluster B is named by the dedicated-mode file (`--config`: B's client settings, and the
 * replication policy that names the checkpoints topic) or directly (`--bootstrap-server`, with
 * `--command-config` for client settings such as security, and replication.policy.* too).
 * Exit codes: 0 done, 1 failed (one line on stderr), 2 wrong usage.
 */
import { pino } from 'pino';
import { parseMirrorMakerConfig, MirrorMakerConfigError } from '../../connectors/mirror/dedicated/mirror-maker-config.js';
import { createReplicationPolicy, DEFAULT_REPLICATION_POLICY_CLASS } from '../../connectors/mirror/policy/replication-policy.js';
import type { Checkpoint } from '../../connectors/mirror/records/checkpoint.js';
import { extractPrefixed } from '../../runtime/config/config-prefix.js';
import { createKafkaClient } from '../../runtime/kafka/create-kafka-client.js';
import type { KafkaClient } from '../../runtime/kafka/kafka-client.js';
import { defineCommand, defineGroup } from '../command-line/command-spec.js';
import { readPropertiesArgument } from '../command-line/properties-argument.js';
import { runCommand } from '../command-line/run-command.js';
import { UsageError, UserError } from '../command-line/user-error.js';
import { formatTable } from '../connectors/text-table.js';
import { oneLine } from '../mirror/command-failure.js';
import {
  ActiveGroupError, applyTranslatedOffsets, NoCheckpointsTopicError, readTranslatedOffsets,
} from '../mirror/translated-offsets.js';

interface Invocation {
  readonly group: string;
  readonly from: string;
  readonly to: string;
  readonly config: string | undefined;
  readonly bootstrapServer: string | undefined;
  readonly commandConfig: string | undefined;
  readonly apply: boolean;
  readonly json: boolean;
}

const translateOffsetsCommand = defineCommand({
  name: 'translate-offsets',
  summary: 'a consumer group\'s offsets on cluster B, translated from cluster A by MirrorMaker\'s checkpoints',
  usage: [
    '--group G --from A --to B',
    '(--config MM2.properties | --bootstrap-server HOST:PORT[,HOST:PORT] [--command-config CLIENT.properties])',
    '[--apply] [--json]',
  ],
  description: [
    'Prints where consumer group G, consuming on cluster A, resumes on cluster B: the offsets of the',
    'latest checkpoints MirrorMaker wrote to B\'s A.checkpoints.internal topic.',
  ].join('\n'),
  options: {
    group: { type: 'string', valueName: 'G', required: true, description: 'the consumer group' },
    from: { type: 'string', valueName: 'A', required: true, description: 'the cluster alias the group consumed from (the source of the flow)' },
    to: { type: 'string', valueName: 'B', required: true, description: 'the cluster alias to move the group to (the target of the flow)' },
    config: { type: 'string', valueName: 'FILE', description: 'MirrorMaker\'s dedicated-mode file: B\'s connection and the replication policy' },
    'bootstrap-server': { type: 'string', valueName: 'LIST', description: 'B\'s brokers, instead of --config' },
    'command-config': {
      type: 'string', valueName: 'FILE',
      description: 'client properties for B with --bootstrap-server (security.protocol, sasl.*, ssl.*, replication.policy.separator, ...)',
    },
    apply: { type: 'boolean', description: 'commit the offsets to group G on B (G must have no active members there)' },
    json: { type: 'boolean', description: 'print JSON instead of a table' },
  },
  async run({ options }) {
    for (const name of ['group', 'from', 'to'] as const) {
      if (options[name].trim() === '') throw new UsageError(`--${name} must not be empty`);
    }
    if ((options.config === undefined) === (options['bootstrap-server'] === undefined)) {
      throw new UsageError('translate-offsets needs either --config or --bootstrap-server');
    }
    if (options['command-config'] !== undefined && options.config !== undefined) {
      throw new UsageError('--command-config goes with --bootstrap-server; with --config, set client settings in that file');
    }
    if (options.from.trim() === options.to.trim()) throw new UsageError('--from and --to must name different clusters');
    await translateOffsets({
      group: options.group, from: options.from.trim(), to: options.to.trim(), config: options.config, bootstrapServer: options['bootstrap-server'],
      commandConfig: options['command-config'], apply: options.apply, json: options.json,
    });
  },
});

export const mirrorCommand = defineGroup({
  name: 'mirror',
  summary: 'MirrorMaker tools: translate-offsets moves a consumer group from cluster A to B',
  commands: [translateOffsetsCommand],
});

/** `ferry mirror ARGS` (tests run it in-process), resolving to the exit code. */
export function runMirrorCommand(args: string[]): Promise<number> {
  return runCommand(mirrorCommand, args);
}

/** Cluster B's client properties and the replication-policy properties that apply to the A->B flow. */
interface TargetCluster {
  readonly clientProperties: Record<string, string>;
  readonly policyProperties: Readonly<Record<string, string>>;
}

async function targetCluster(inv: Invocation): Promise<TargetCluster> {
  if (inv.config === undefined) {
    const extra = inv.commandConfig === undefined ? {} : await readPropertiesArgument(inv.commandConfig);
    return { clientProperties: { ...extra, 'bootstrap.servers': inv.bootstrapServer! }, policyProperties: extra };
  }
  try {
    const config = parseMirrorMakerConfig(await readPropertiesArgument(inv.config));
    for (const [flag, alias] of [['--from', inv.from], ['--to', inv.to]] as const) {
      if (!config.clusters.includes(alias)) throw new UserError(`${flag} names '${alias}', which is not in clusters (${config.clusters.join(', ')}) of ${inv.config}`);
    }
    return {
      clientProperties: config.clientProperties(inv.to),
      policyProperties: config.connectorConfig({ source: inv.from, target: inv.to }, 'MirrorCheckpointConnector'),
    };
  } catch (err) {
    if (err instanceof MirrorMakerConfigError) throw new UserError(`${inv.config}: ${err.message}`, { cause: err });
    throw err;
  }
}

function checkpointsTopicOf(policyProperties: Readonly<Record<string, string>>, source: string): string {
  const policy = createReplicationPolicy({
    className: policyProperties['replication.policy.class']?.trim() || DEFAULT_REPLICATION_POLICY_CLASS,
    separator: policyProperties['replication.policy.separator'] ?? '.',
    internalTopicSeparatorEnabled: (policyProperties['replication.policy.internal.topic.separator.enabled'] ?? 'true').trim().toLowerCase() !== 'false',
    sourceClusterAlias: source,
  });
  return policy.checkpointsTopic(source);
}

function kafkaClient(props: Record<string, string>): KafkaClient {
  const unprefixed = Object.fromEntries(Object.entries(props).filter(([k]) => !/^(producer|consumer|admin)\./.test(k)));
  return createKafkaClient({
    bootstrapServers: props['bootstrap.servers']!,
    clientId: 'ferry-mirror',
    properties: unprefixed,
    admin: extractPrefixed(props, 'admin.'),
    logger: pino({ level: process.env.FERRY_LOG_LEVEL ?? 'silent' }, pino.destination(2)),
  });
}

async function translateOffsets(inv: Invocation): Promise<void> {
  const target = await targetCluster(inv);
  const topic = checkpointsTopicOf(target.policyProperties, inv.from);
  const where = `${inv.to} (${target.clientProperties['bootstrap.servers']})`;
  const kafka = kafkaClient(target.clientProperties);
  try {
    let found;
    try {
      found = await readTranslatedOffsets(kafka, topic, inv.group);
    } catch (err) {
      if (err instanceof NoCheckpointsTopicError) {
        throw new UserError(`${where} has no topic ${topic}: no checkpoints from ${inv.from} yet (is the ${inv.from}->${inv.to} flow running?)`, { cause: err });
      }
      throw new UserError(`reading ${topic} on ${where}: ${oneLine(err)}`, { cause: err });
    }
    if (found.skipped > 0) process.stderr.write(`ferry mirror: skipped ${found.skipped} records of ${topic} that are not checkpoints\n`);
    if (found.checkpoints.length === 0) throw new UserError(`no checkpoints for group '${inv.group}' in ${topic} on ${where}`);
    if (inv.apply) {
      try {
        await applyTranslatedOffsets(kafka, inv.group, found.checkpoints);
      } catch (err) {
        if (err instanceof ActiveGroupError) {
          throw new UserError(`group '${inv.group}' has active members on ${where}: stop its consumers there, then run --apply again`, { cause: err });
        }
        throw new UserError(`committing offsets of group '${inv.group}' on ${where}: ${oneLine(err)}`, { cause: err });
      }
    }
    process.stdout.write(inv.json ? jsonView(inv, topic, found.checkpoints) : tableView(inv, found.checkpoints));
  } finally {
    await kafka.close();
  }
}

function tableView(inv: Invocation, checkpoints: readonly Checkpoint[]): string {
  const table = formatTable(['TOPIC', 'PARTITION', 'OFFSET', 'UPSTREAM-OFFSET'],
    checkpoints.map((c) => [c.topic, String(c.partition), String(c.downstreamOffset), String(c.upstreamOffset)]));
  const applied = inv.apply ? `Committed ${checkpoints.length} offsets to group ${inv.group} on ${inv.to}.\n` : '';
  return table + applied;
}

function jsonView(inv: Invocation, topic: string, checkpoints: readonly Checkpoint[]): string {
  return `${JSON.stringify({
    group: inv.group,
    from: inv.from,
    to: inv.to,
    checkpointsTopic: topic,
    applied: inv.apply,
    offsets: checkpoints.map((c) => ({ topic: c.topic, partition: c.partition, offset: c.downstreamOffset, upstreamOffset: c.upstreamOffset, metadata: c.metadata })),
  })}\n`;
}
