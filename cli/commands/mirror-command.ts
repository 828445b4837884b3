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
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { parseMirrorMakerConfig, MirrorMakerConfigError } from '../../connectors/mirror/dedicated/mirror-maker-config.js';
import { createReplicationPolicy, DEFAULT_REPLICATION_POLICY_CLASS } from '../../connectors/mirror/policy/replication-policy.js';
import type { Checkpoint } from '../../connectors/mirror/records/checkpoint.js';
import { extractPrefixed } from '../../runtime/config/config-prefix.js';
import { readPropertiesFile } from '../../runtime/config/properties-file.js';
import { createKafkaClient } from '../../runtime/kafka/create-kafka-client.js';
import type { KafkaClient } from '../../runtime/kafka/kafka-client.js';
import { formatTable } from '../connectors/text-table.js';
import { commandFailure, oneLine } from '../mirror/command-failure.js';
import {
  ActiveGroupError, applyTranslatedOffsets, NoCheckpointsTopicError, readTranslatedOffsets,
} from '../mirror/translated-offsets.js';

export const MIRROR_USAGE = `Usage: ferry mirror translate-offsets --group G --from A --to B
         (--config MM2.properties | --bootstrap-server HOST:PORT[,HOST:PORT] [--command-config CLIENT.properties])
         [--apply] [--json]

Prints where consumer group G, consuming on cluster A, resumes on cluster B: the offsets of the
latest checkpoints MirrorMaker wrote to B's A.checkpoints.internal topic.

Options:
  --group G                the consumer group
  --from A                 the cluster alias the group consumed from (the source of the flow)
  --to B                   the cluster alias to move the group to (the target of the flow)
  --config FILE            MirrorMaker's dedicated-mode file: B's connection and the replication policy
  --bootstrap-server LIST  B's brokers, instead of --config
  --command-config FILE    client properties for B with --bootstrap-server (security.protocol, sasl.*, ssl.*,
                           replication.policy.separator, ...)
  --apply                  commit the offsets to group G on B (G must have no active members there)
  --json                   print JSON instead of a table
  -h, --help               show this help
`;

class UsageError extends Error {}

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

const OPTIONS = {
  group: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  config: { type: 'string' },
  'bootstrap-server': { type: 'string' },
  'command-config': { type: 'string' },
  apply: { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function parseInvocation(args: string[]): Invocation | 'help' {
  let parsed;
  try {
    parsed = parseArgs({ args, options: OPTIONS, allowPositionals: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help || positionals[0] === 'help') return 'help';
  const [command, ...rest] = positionals;
  if (command === undefined) throw new UsageError('missing command: translate-offsets');
  if (command !== 'translate-offsets') throw new UsageError(`unknown command '${command}'`);
  if (rest.length > 0) throw new UsageError(`unexpected argument '${rest[0]}'`);
  for (const name of ['group', 'from', 'to'] as const) {
    if (values[name] === undefined || values[name].trim() === '') throw new UsageError(`translate-offsets needs --${name}`);
  }
  if ((values.config === undefined) === (values['bootstrap-server'] === undefined)) {
    throw new UsageError('translate-offsets needs either --config or --bootstrap-server');
  }
  if (values['command-config'] !== undefined && values.config !== undefined) {
    throw new UsageError('--command-config goes with --bootstrap-server; with --config, set client settings in that file');
  }
  if (values.from === values.to) throw new UsageError('--from and --to must name different clusters');
  return {
    group: values.group!, from: values.from!.trim(), to: values.to!.trim(), config: values.config, bootstrapServer: values['bootstrap-server'],
    commandConfig: values['command-config'], apply: values.apply ?? false, json: values.json ?? false,
  };
}

export async function runMirrorCommand(args: string[]): Promise<number> {
  let invocation;
  try {
    invocation = parseInvocation(args);
  } catch (err) {
    process.stderr.write(`ferry mirror: ${(err as Error).message}\nRun 'ferry mirror --help' for usage.\n`);
    return 2;
  }
  if (invocation === 'help') {
    process.stdout.write(MIRROR_USAGE);
    return 0;
  }
  try {
    await translateOffsets(invocation);
    return 0;
  } catch (err) {
    process.stderr.write(`ferry mirror: ${commandFailure(err)}\n`);
    return 1;
  }
}

/** Cluster B's client properties and the replication-policy properties that apply to the A->B flow. */
interface TargetCluster {
  readonly clientProperties: Record<string, string>;
  readonly policyProperties: Readonly<Record<string, string>>;
}

async function readFile(file: string): Promise<Record<string, string>> {
  try {
    return await readPropertiesFile(file);
  } catch (err) {
    throw new Error(`cannot read ${file}: ${oneLine(err)}`, { cause: err });
  }
}

async function targetCluster(inv: Invocation): Promise<TargetCluster> {
  if (inv.config === undefined) {
    const extra = inv.commandConfig === undefined ? {} : await readFile(inv.commandConfig);
    return { clientProperties: { ...extra, 'bootstrap.servers': inv.bootstrapServer! }, policyProperties: extra };
  }
  try {
    const config = parseMirrorMakerConfig(await readFile(inv.config));
    for (const [flag, alias] of [['--from', inv.from], ['--to', inv.to]] as const) {
      if (!config.clusters.includes(alias)) throw new Error(`${flag} names '${alias}', which is not in clusters (${config.clusters.join(', ')}) of ${inv.config}`);
    }
    return {
      clientProperties: config.clientProperties(inv.to),
      policyProperties: config.connectorConfig({ source: inv.from, target: inv.to }, 'MirrorCheckpointConnector'),
    };
  } catch (err) {
    if (err instanceof MirrorMakerConfigError) throw new Error(`${inv.config}: ${err.message}`, { cause: err });
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
        throw new Error(`${where} has no topic ${topic}: no checkpoints from ${inv.from} yet (is the ${inv.from}->${inv.to} flow running?)`, { cause: err });
      }
      throw new Error(`reading ${topic} on ${where}: ${oneLine(err)}`, { cause: err });
    }
    if (found.skipped > 0) process.stderr.write(`ferry mirror: skipped ${found.skipped} records of ${topic} that are not checkpoints\n`);
    if (found.checkpoints.length === 0) throw new Error(`no checkpoints for group '${inv.group}' in ${topic} on ${where}`);
    if (inv.apply) {
      try {
        await applyTranslatedOffsets(kafka, inv.group, found.checkpoints);
      } catch (err) {
        if (err instanceof ActiveGroupError) {
          throw new Error(`group '${inv.group}' has active members on ${where}: stop its consumers there, then run --apply again`, { cause: err });
        }
        throw new Error(`committing offsets of group '${inv.group}' on ${where}: ${oneLine(err)}`, { cause: err });
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
