/**
 * `ferry mirror-maker FILE.properties [--clusters A,B]`: MirrorMaker 2's dedicated mode. Reads
 * MM2's file unchanged, and in this one process runs a distributed Connect worker (herder) for
 * every `source->target` pair the file replicates or sends heartbeats for (with --clusters,
 * only those whose target is listed), each against its target cluster. Each herder's group
 * leader makes the stored Mirror connector configs match the file (cli/mirror/
 * herder-connector-sync.ts), so any number of nodes started with the same file form one Connect
 * group per herder and share its tasks; a node that stops hands its tasks to the others.
 *
 * Logs are JSON lines on stdout (readable lines on a terminal, see --log-format); the line
 * `"msg":"mirror-maker is ready"` names every herder with its REST URL. SIGINT/SIGTERM stops
 * every herder (committing offsets). Mistakes end the command with one line on stderr: exit 2
 * for wrong usage, 1 for everything else.
 */
import type { Logger } from 'pino';
import {
  MirrorMakerConfigError, parseMirrorMakerConfig, type HerderPlan, type MirrorMakerConfig,
} from '../../connectors/mirror/dedicated/mirror-maker-config.js';
import { distributedWorkerSpec } from '../../runtime/config/worker-config.js';
import { defineCommand } from '../command-line/command-spec.js';
import { readPropertiesArgument } from '../command-line/properties-argument.js';
import { runCommand } from '../command-line/run-command.js';
import { UsageError, UserError } from '../command-line/user-error.js';
import { createCommandLogger } from '../logging/command-logger.js';
import { LOG_OPTIONS, type LogFormat } from '../logging/log-options.js';
import { startWorker, type RunningWorker } from '../worker/start-worker.js';
import { HerderConnectorSync } from '../mirror/herder-connector-sync.js';
import { exactlyOnceLeaderUnreachable, herderListeners } from '../mirror/herder-listeners.js';
import { restLeaderWrites } from '../mirror/leader-writes.js';
import { oneLine } from '../mirror/command-failure.js';
import { untilSignal } from '../until-signal.js';
import { keepFreedNativeMemory } from '../native-heap-tuning.js';

export const mirrorMakerCommand = defineCommand({
  name: 'mirror-maker',
  summary: 'run MirrorMaker 2\'s dedicated mode from its properties file (on one or more nodes)',
  usage: ['FILE.properties [--clusters A,B] [--log-level LEVEL]'],
  description: [
    'Runs MirrorMaker 2\'s dedicated mode from its properties file (clusters = A, B; A.bootstrap.servers;',
    'A->B.enabled = true; ...). Start it on several nodes with the same file to share the work.',
  ].join('\n'),
  positionals: [{ name: 'file', valueName: 'FILE.properties', description: 'MirrorMaker 2\'s properties file' }],
  options: {
    clusters: { type: 'string', valueName: 'A,B', description: 'drive only the flows whose TARGET is one of these clusters' },
    ...LOG_OPTIONS,
  },
  async run({ args, options }) {
    const targets = options.clusters?.split(',').map((c) => c.trim()).filter((c) => c !== '');
    if (targets !== undefined && targets.length === 0) throw new UsageError('--clusters needs at least one cluster alias');
    await runNode({ file: args.file, targets, logLevel: options['log-level'], logFormat: options['log-format'] });
  },
});

/** `ferry mirror-maker ARGS` (tests run it in-process), resolving to the exit code. */
export function runMirrorMakerCommand(args: string[]): Promise<number> {
  return runCommand(mirrorMakerCommand, args);
}

interface Invocation {
  readonly file: string;
  readonly targets: readonly string[] | undefined;
  readonly logLevel: string | undefined;
  readonly logFormat: LogFormat;
}

async function runNode({ file, targets, logLevel, logFormat }: Invocation): Promise<void> {
  const config = await readConfig(file);
  const herders = selectHerders(config, targets);
  const { logger: log } = createCommandLogger({ level: logLevel, format: logFormat });
  for (const key of config.unusedKeys) {
    log.warn({ property: key }, `'${key}' is not used in dedicated mode; set it per cluster (<alias>.${key}) or per flow (<source>-><target>.${key})`);
  }
  const listenerChoice = { herders, topLevelListeners: config.listeners, internalRest: config.internalRestEnabled };
  const rest = herderListeners(listenerChoice);
  for (const name of exactlyOnceLeaderUnreachable(listenerChoice)) {
    log.warn({ herder: name }, `Herder ${name} has exactly.once.source.support=enabled but its REST API is private to this machine: `
      + 'exactly-once tasks of nodes on other machines cannot ask this node for zombie fencing when it leads and will fail. '
      + 'Set dedicated.mode.enable.internal.rest = true (with listeners) when nodes run on more than one machine.');
  }
  const signal = untilSignal();
  const nodes = await startHerders(herders.map((herder, i) => ({ herder, properties: workerProperties(herder, rest[i]!) })), log);
  log.info({ herders: nodes.map((n) => ({ flow: n.herder.name, rest: n.worker.restUrl })) }, 'mirror-maker is ready');
  keepFreedNativeMemory();
  const received = await signal;
  log.info({ signal: received }, 'shutting down');
  await Promise.all(nodes.map((n) => n.sync.stop()));
  await Promise.all(nodes.map((n) => n.worker.stop()));
  log.info('mirror-maker stopped');
}

async function readConfig(file: string): Promise<MirrorMakerConfig> {
  const raw = await readPropertiesArgument(file);
  try {
    const config = parseMirrorMakerConfig(raw);
    void config.internalRestEnabled;
    return config;
  } catch (err) {
    if (err instanceof MirrorMakerConfigError) throw new UserError(`${file}: ${oneLine(err)}`, { cause: err });
    throw err;
  }
}

/** The herders this node runs: all, or with --clusters those whose target is listed. */
export function selectHerders(config: MirrorMakerConfig, targets: readonly string[] | undefined): HerderPlan[] {
  for (const alias of targets ?? []) {
    if (!config.clusters.includes(alias)) throw new UserError(`--clusters names '${alias}', which is not in clusters (${config.clusters.join(', ')})`);
  }
  const herders = config.herders.filter((h) => targets === undefined || targets.includes(h.target));
  if (herders.length === 0) {
    throw new UserError(targets === undefined
      ? 'no flow is enabled and heartbeats are off: nothing to run (set <source>-><target>.enabled = true)'
      : `no flow targets ${targets.join(', ')}: nothing to run on this node`);
  }
  return herders;
}

/**
 * The herder's worker properties and REST settings, less the passthrough keys (task*, worker*,
 * replication.policy*) a ferry worker does not know: MirrorMaker hands them to every worker,
 * where Java ignores what it does not use and ferry would warn about each.
 */
function workerProperties(herder: HerderPlan, rest: Record<string, string>): Record<string, string> {
  const props = { ...herder.workerProperties, ...rest };
  for (const key of distributedWorkerSpec.unknownKeys(props)) {
    if (/^(task|worker|replication\.policy)/.test(key)) delete props[key];
  }
  return props;
}

interface RunningHerder {
  readonly herder: HerderPlan;
  readonly worker: RunningWorker;
  readonly sync: HerderConnectorSync;
}

/** Starts every herder at once; if one fails, stops the others and throws naming the herder. */
async function startHerders(plans: readonly { herder: HerderPlan; properties: Record<string, string> }[], log: Logger): Promise<RunningHerder[]> {
  const started = await Promise.allSettled(plans.map(async ({ herder, properties }) => {
    const logger = log.child({ herder: herder.name });
    try {
      return { herder, worker: await startWorker(properties, { logger }) };
    } catch (err) {
      throw new UserError(`herder ${herder.name}: ${oneLine(err)}`, { cause: err });
    }
  }));
  const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  const running = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  if (failed) {
    await Promise.all(running.map((r) => r.worker.stop()));
    throw failed.reason;
  }
  return running.map(({ herder, worker }) => {
    const sync = new HerderConnectorSync({
      control: worker.control,
      writes: restLeaderWrites(worker.restUrl),
      connectors: herder.connectors,
      logger: log.child({ herder: herder.name, component: 'mirror-maker' }),
    });
    sync.start();
    return { herder, worker, sync };
  });
}
