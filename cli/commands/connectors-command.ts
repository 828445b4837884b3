/**
 * `ferry connectors ...`: manages connectors through the Kafka Connect REST API of a worker
 * (ferry's or Apache Kafka Connect's). Tables for people; `--json` prints the worker's response
 * body verbatim (nothing for bodiless answers such as 204; `apply` prints its own result array).
 * Exit codes: 0 success, 1 the worker answered with an error or could not be reached (`apply`:
 * also a bad connector file), 2 the command was used wrongly.
 */
import { parseArgs } from 'node:util';
import { runApply } from '../connectors/apply-command.js';
import { DEFAULT_APPLY_WAIT_MS } from '../connectors/apply-wait.js';
import { ConnectApiError, ConnectClient, connectorPath, WorkerUnreachableError, type ApiResponse } from '../connectors/connect-client.js';
import type { ConnectorInfo, ConnectorOffsets, ConnectorStateInfo } from '../connectors/connect-entities.js';
import { configUpdateFrom, createRequestFrom, readConnectorFile } from '../connectors/connector-file.js';
import {
  renderConnectorInfo, renderConnectorList, renderConnectorOffsets, renderConnectorStatus,
} from '../connectors/connector-views.js';
import { processIo, type CommandIo } from '../command-line/command-io.js';
import { UsageError } from '../connectors/usage-error.js';

export const DEFAULT_WORKER_URL = 'http://127.0.0.1:8083';

export const CONNECTORS_USAGE = `Usage: ferry connectors <command> [options]

Commands:
  list                                         connectors with type, state and task states
  get NAME                                     a connector's type, tasks and config
  create -f FILE                               create a connector ({name, config} or a flat config with name)
  update NAME -f FILE                          create or replace a connector's config
  delete NAME                                  delete a connector
  pause NAME | resume NAME | stop NAME         change a connector's target state
  restart NAME [--include-tasks] [--only-failed]
  status NAME                                  connector and task states, with failure traces
  offsets NAME                                 the connector's committed offsets
  apply -f DIR|FILE [--dry-run] [--wait-ms N]  create, update or leave alone each connector in FILE or
                                               DIR/*.json; nothing changes if any file is bad

Options:
  --url URL        worker REST URL (default: $FERRY_URL, else ${DEFAULT_WORKER_URL})
  --json           print the worker's JSON response instead of a table (apply: an array
                   of {name, file, action, changed?, error?})
  -f, --file FILE  connector definition file, '-' for standard input
  --dry-run        apply: only say what would change
  --wait-ms N      apply: how long to keep retrying while the worker is unreachable,
                   starting (503) or rebalancing (409) (default ${DEFAULT_APPLY_WAIT_MS})
  -h, --help       show this help
`;

const OPTIONS = {
  url: { type: 'string' },
  json: { type: 'boolean' },
  file: { type: 'string', short: 'f' },
  'include-tasks': { type: 'boolean' },
  'only-failed': { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  'wait-ms': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const COMMAND_OPTIONS = ['file', 'include-tasks', 'only-failed', 'dry-run', 'wait-ms'] as const;
type CommandOption = (typeof COMMAND_OPTIONS)[number];

interface Invocation {
  subcommand: Subcommand;
  client: ConnectClient;
  name: string;
  file: string;
  includeTasks: boolean;
  onlyFailed: boolean;
  dryRun: boolean;
  waitMs: number;
  json: boolean;
  io: CommandIo;
}

interface Subcommand {
  takesName: boolean;
  options: readonly CommandOption[];
  /** Resolves to the exit code when it is not 0 for success. */
  run(inv: Invocation): Promise<number | void>;
}

function print(inv: Invocation, response: ApiResponse, view: (body: unknown) => string): void {
  if (inv.json) {
    if (response.text !== '') inv.io.stdout.write(response.text.endsWith('\n') ? response.text : `${response.text}\n`);
    return;
  }
  inv.io.stdout.write(view(response.body));
}

function requestedChange(inv: Invocation, response: ApiResponse, what: string): void {
  print(inv, response, () => `Connector ${inv.name}: ${what}.\n`);
}

function typeSuffix(body: unknown): string {
  const type = (body as ConnectorInfo | undefined)?.type;
  return type ? ` (${type})` : '';
}

const SUBCOMMANDS: Record<string, Subcommand> = {
  list: {
    takesName: false,
    options: [],
    async run(inv) {
      print(inv, await inv.client.request('GET', '/connectors?expand=status&expand=info'), renderConnectorList);
    },
  },
  get: {
    takesName: true,
    options: [],
    async run(inv) {
      const response = await inv.client.request('GET', connectorPath(inv.name));
      print(inv, response, (body) => renderConnectorInfo((body ?? {}) as ConnectorInfo));
    },
  },
  create: {
    takesName: false,
    options: ['file'],
    async run(inv) {
      const file = await readConnectorFile(inv.file, inv.io.stdin);
      const request = createRequestFrom(file, inv.file === '-' ? 'standard input' : inv.file);
      const response = await inv.client.request('POST', '/connectors', request);
      print(inv, response, (body) => `Created connector ${request.name}${typeSuffix(body)}.\n`);
    },
  },
  update: {
    takesName: true,
    options: ['file'],
    async run(inv) {
      const file = await readConnectorFile(inv.file, inv.io.stdin);
      const config = configUpdateFrom(file, inv.name, inv.file === '-' ? 'standard input' : inv.file);
      const response = await inv.client.request('PUT', connectorPath(inv.name, '/config'), config);
      const verb = response.status === 201 ? 'Created' : 'Updated';
      print(inv, response, (body) => `${verb} connector ${inv.name}${typeSuffix(body)}.\n`);
    },
  },
  delete: {
    takesName: true,
    options: [],
    async run(inv) {
      requestedChange(inv, await inv.client.request('DELETE', connectorPath(inv.name)), 'deleted');
    },
  },
  pause: {
    takesName: true,
    options: [],
    async run(inv) {
      requestedChange(inv, await inv.client.request('PUT', connectorPath(inv.name, '/pause')), 'pause requested');
    },
  },
  resume: {
    takesName: true,
    options: [],
    async run(inv) {
      requestedChange(inv, await inv.client.request('PUT', connectorPath(inv.name, '/resume')), 'resume requested');
    },
  },
  stop: {
    takesName: true,
    options: [],
    async run(inv) {
      requestedChange(inv, await inv.client.request('PUT', connectorPath(inv.name, '/stop')), 'stop requested');
    },
  },
  restart: {
    takesName: true,
    options: ['include-tasks', 'only-failed'],
    async run(inv) {
      const query = new URLSearchParams();
      if (inv.includeTasks) query.set('includeTasks', 'true');
      if (inv.onlyFailed) query.set('onlyFailed', 'true');
      const path = connectorPath(inv.name, '/restart') + (query.size > 0 ? `?${query}` : '');
      const response = await inv.client.request('POST', path);
      print(inv, response, (body) => {
        const requested = `Connector ${inv.name}: restart requested.\n`;
        return body === undefined ? requested : `${requested}\n${renderConnectorStatus(body as ConnectorStateInfo)}`;
      });
    },
  },
  status: {
    takesName: true,
    options: [],
    async run(inv) {
      const response = await inv.client.request('GET', connectorPath(inv.name, '/status'));
      print(inv, response, (body) => renderConnectorStatus((body ?? {}) as ConnectorStateInfo));
    },
  },
  offsets: {
    takesName: true,
    options: [],
    async run(inv) {
      const response = await inv.client.request('GET', connectorPath(inv.name, '/offsets'));
      print(inv, response, (body) => renderConnectorOffsets(inv.name, (body ?? {}) as ConnectorOffsets));
    },
  },
  apply: {
    takesName: false,
    options: ['file', 'dry-run', 'wait-ms'],
    run(inv) {
      return runApply({ target: inv.file, client: inv.client, json: inv.json, dryRun: inv.dryRun, waitMs: inv.waitMs, io: inv.io });
    },
  },
};

function waitMs(flag: string | undefined): number {
  if (flag === undefined) return DEFAULT_APPLY_WAIT_MS;
  if (!/^\d+$/.test(flag)) throw new UsageError(`--wait-ms must be a whole number of milliseconds, got '${flag}'`);
  return Number(flag);
}

function workerUrl(flag: string | undefined, env: CommandIo['env']): string {
  const raw = flag ?? (env.FERRY_URL || DEFAULT_WORKER_URL);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`invalid worker URL '${raw}'`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`worker URL must start with http:// or https://, got '${raw}'`);
  }
  if (url.search || url.hash) throw new UsageError(`worker URL must not have a query or fragment, got '${raw}'`);
  return url.href.replace(/\/+$/, '');
}

function parseInvocation(args: string[], io: CommandIo): Invocation | 'help' {
  let parsed;
  try {
    parsed = parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  const { values, positionals } = parsed;
  const [command, ...operands] = positionals;
  if (values.help || command === 'help') return 'help';
  if (command === undefined) throw new UsageError('missing command', true);
  const subcommand = Object.hasOwn(SUBCOMMANDS, command) ? SUBCOMMANDS[command] : undefined;
  if (!subcommand) throw new UsageError(`unknown command '${command}'`);

  const wanted = subcommand.takesName ? 1 : 0;
  if (operands.length < wanted) throw new UsageError(`'${command}' needs a connector name`);
  if (operands.length > wanted) throw new UsageError(`unexpected argument '${operands[wanted]}' for '${command}'`);
  for (const option of COMMAND_OPTIONS) {
    if (values[option] !== undefined && !subcommand.options.includes(option)) {
      throw new UsageError(`'${command}' does not take --${option}`);
    }
  }
  if (subcommand.options.includes('file') && values.file === undefined) {
    throw new UsageError(`'${command}' needs -f FILE`);
  }
  const name = operands[0] ?? '';
  if (subcommand.takesName && name.trim() === '') throw new UsageError('connector name must not be empty');

  return {
    subcommand,
    client: new ConnectClient(workerUrl(values.url, io.env), { fetch: io.fetch }),
    name,
    file: values.file ?? '',
    includeTasks: values['include-tasks'] ?? false,
    onlyFailed: values['only-failed'] ?? false,
    dryRun: values['dry-run'] ?? false,
    waitMs: waitMs(values['wait-ms']),
    json: values.json ?? false,
    io,
  };
}

/**
 * Runs `ferry connectors` with the arguments after `connectors`; resolves to the exit code.
 * `io` replaces the process's streams, environment and fetch (tests use it).
 */
export async function runConnectorsCommand(args: string[], io: Partial<CommandIo> = {}): Promise<number> {
  const streams = processIo(io);
  try {
    const invocation = parseInvocation(args, streams);
    if (invocation === 'help') {
      streams.stdout.write(CONNECTORS_USAGE);
      return 0;
    }
    return (await invocation.subcommand.run(invocation)) ?? 0;
  } catch (err) {
    if (err instanceof UsageError) {
      const help = err.showUsage ? `\n${CONNECTORS_USAGE}` : "Run 'ferry connectors --help' for usage.\n";
      streams.stderr.write(`ferry connectors: ${err.message}\n${help}`);
      return 2;
    }
    if (err instanceof ConnectApiError) {
      streams.stderr.write(`Error: ${err.message} (HTTP ${err.status})\n`);
      return 1;
    }
    if (err instanceof WorkerUnreachableError) {
      streams.stderr.write(`Error: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}
