/**
 * `ferry mirror-maker FILE.properties [--clusters A,B]`: MirrorMaker 2's dedicated mode. Reads
 * MM2's file unchanged, and in this one process runs a distributed Connect worker (herder) for
 * every `source->target` pair the file replicates or sends heartbeats for (with --clusters,
 * only those whose target is listed), each against its target cluster. Each herder's group
 * leader makes the stored Mirror connector configs match the file (cli/mirror/
 * herder-connector-sync.ts), so any number of nodes started with the same file form one Connect
 * group per herder and share its tasks; a node that stops hands its tasks to the others.
 *
 * Logs are JSON lines on stdout; the line `"msg":"mirror-maker is ready"` names every herder
 * with its REST URL. SIGINT/SIGTERM stops every herder (committing offsets). Mistakes end the
 * command with one line on stderr: exit 2 for wrong usage, 1 for everything else.
 */
import { parseArgs } from 'node:util';
import { pino, type Logger } from 'pino';
import {
  MirrorMakerConfigError, parseMirrorMakerConfig, type HerderPlan, type MirrorMakerConfig,
} from '../../connectors/mirror/dedicated/mirror-maker-config.js';
import { readPropertiesFile } from '../../runtime/config/properties-file.js';
import { distributedWorkerSpec } from '../../runtime/config/worker-config.js';
import { startWorker, type RunningWorker } from '../worker/start-worker.js';
import { HerderConnectorSync } from '../mirror/herder-connector-sync.js';
import { exactlyOnceLeaderUnreachable, herderListeners } from '../mirror/herder-listeners.js';
import { restLeaderWrites } from '../mirror/leader-writes.js';
import { commandFailure, oneLine } from '../mirror/command-failure.js';
import { untilSignal } from '../until-signal.js';

export const MIRROR_MAKER_USAGE = `Usage: ferry mirror-maker FILE.properties [--clusters A,B] [--log-level LEVEL]

Runs MirrorMaker 2's dedicated mode from its properties file (clusters = A, B; A.bootstrap.servers;
A->B.enabled = true; ...). Start it on several nodes with the same file to share the work.

Options:
  --clusters A,B     drive only the flows whose TARGET is one of these clusters
  --log-level LEVEL  trace, debug, info (default), warn, error
  -h, --help         show this help
`;

class UsageError extends Error {}

interface Invocation {
  readonly file: string;
  readonly targets: readonly string[] | undefined;
  readonly logLevel: string;
}

function parseInvocation(args: string[]): Invocation | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        clusters: { type: 'string' },
        'log-level': { type: 'string', default: process.env.FERRY_LOG_LEVEL ?? 'info' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return 'help';
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'missing FILE.properties' : `unexpected argument '${positionals[1]}'`);
  const targets = values.clusters?.split(',').map((c) => c.trim()).filter((c) => c !== '');
  if (targets !== undefined && targets.length === 0) throw new UsageError('--clusters needs at least one cluster alias');
  return { file: positionals[0]!, targets, logLevel: values['log-level']! };
}

export async function runMirrorMakerCommand(args: string[]): Promise<number> {
  let invocation;
  try {
    invocation = parseInvocation(args);
  } catch (err) {
    process.stderr.write(`ferry mirror-maker: ${(err as Error).message}\nRun 'ferry mirror-maker --help' for usage.\n`);
    return 2;
  }
  if (invocation === 'help') {
    process.stdout.write(MIRROR_MAKER_USAGE);
    return 0;
  }
  try {
    return await runNode(invocation);
  } catch (err) {
    process.stderr.write(`ferry mirror-maker: ${commandFailure(err)}\n`);
    return 1;
  }
}

async function runNode({ file, targets, logLevel }: Invocation): Promise<number> {
  const config = await readConfig(file);
  const herders = selectHerders(config, targets);
  const log = pino({ level: logLevel });
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
  const received = await signal;
  log.info({ signal: received }, 'shutting down');
  await Promise.all(nodes.map((n) => n.sync.stop()));
  await Promise.all(nodes.map((n) => n.worker.stop()));
  log.info('mirror-maker stopped');
  return 0;
}

async function readConfig(file: string): Promise<MirrorMakerConfig> {
  let raw;
  try {
    raw = await readPropertiesFile(file);
  } catch (err) {
    throw new Error(`cannot read ${file}: ${oneLine(err)}`, { cause: err });
  }
  try {
    const config = parseMirrorMakerConfig(raw);
    void config.internalRestEnabled;
    return config;
  } catch (err) {
    if (err instanceof MirrorMakerConfigError) throw new Error(`${file}: ${err.message}`, { cause: err });
    throw err;
  }
}

/** The herders this node runs: all, or with --clusters those whose target is listed. */
export function selectHerders(config: MirrorMakerConfig, targets: readonly string[] | undefined): HerderPlan[] {
  for (const alias of targets ?? []) {
    if (!config.clusters.includes(alias)) throw new Error(`--clusters names '${alias}', which is not in clusters (${config.clusters.join(', ')})`);
  }
  const herders = config.herders.filter((h) => targets === undefined || targets.includes(h.target));
  if (herders.length === 0) {
    throw new Error(targets === undefined
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
      throw new Error(`herder ${herder.name}: ${oneLine(err)}`, { cause: err });
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
