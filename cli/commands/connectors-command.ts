/**
 * `ferry connectors ...`: manages connectors through the Kafka Connect REST API of a worker
 * (ferry's or Apache Kafka Connect's). Tables for people; `--json` prints the worker's response
 * body verbatim (nothing for bodiless answers such as 204; `apply` prints its own result array).
 * Exit codes: 0 success, 1 the worker answered with an error or could not be reached (`apply`:
 * also a bad connector file), 2 the command was used wrongly (a bad connector file for create
 * and update too). Every failure is one line on stderr.
 */
import { processIo, type CommandIo } from '../command-line/command-io.js';
import { defineCommand, defineGroup, type Command, type OptionValues } from '../command-line/command-spec.js';
import { runCommand } from '../command-line/run-command.js';
import { UsageError, UserError } from '../command-line/user-error.js';
import { runApply } from '../connectors/apply-command.js';
import { DEFAULT_APPLY_WAIT_MS } from '../connectors/apply-wait.js';
import { ConnectApiError, ConnectClient, connectorPath, WorkerUnreachableError, type ApiResponse } from '../connectors/connect-client.js';
import type { ConnectorInfo, ConnectorOffsets, ConnectorStateInfo } from '../connectors/connect-entities.js';
import { configUpdateFrom, createRequestFrom, readConnectorFile } from '../connectors/connector-file.js';
import {
  renderConnectorInfo, renderConnectorList, renderConnectorOffsets, renderConnectorStatus,
} from '../connectors/connector-views.js';

export const DEFAULT_WORKER_URL = 'http://127.0.0.1:8083';

/** The options every connectors command takes. */
const WORKER_OPTIONS = {
  url: { type: 'string', valueName: 'URL', env: 'FERRY_URL', default: DEFAULT_WORKER_URL, description: 'the worker\'s REST URL' },
  json: { type: 'boolean', description: 'print the worker\'s JSON response instead of a table' },
} as const;

const FILE_OPTION = {
  file: { type: 'string', short: 'f', valueName: 'FILE', required: true, description: 'connector definition file ({name, config} or a flat config with name), - for standard input' },
} as const;

const NAME = [{ name: 'name', valueName: 'NAME', description: 'the connector\'s name' }] as const;

interface Call {
  readonly client: ConnectClient;
  readonly json: boolean;
  readonly io: CommandIo;
}

function call(options: OptionValues<typeof WORKER_OPTIONS>, io: CommandIo): Call {
  return { client: new ConnectClient(workerUrl(options.url), { fetch: io.fetch }), json: options.json, io };
}

function print(c: Call, response: ApiResponse, view: (body: unknown) => string): void {
  if (c.json) {
    if (response.text !== '') c.io.stdout.write(response.text.endsWith('\n') ? response.text : `${response.text}\n`);
    return;
  }
  c.io.stdout.write(view(response.body));
}

function typeSuffix(body: unknown): string {
  const type = (body as ConnectorInfo | undefined)?.type;
  return type ? ` (${type})` : '';
}

function connectorName(name: string): string {
  if (name.trim() === '') throw new UsageError('connector name must not be empty');
  return name;
}

/** A request's failure as the one line a user reads: the worker's message and status, or why it was not reached. */
async function talk<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof ConnectApiError) throw new UserError(`${err.message} (HTTP ${err.status})`, { cause: err });
    if (err instanceof WorkerUnreachableError) throw new UserError(err.message, { cause: err });
    throw err;
  }
}

/** pause, resume, stop, delete: a request whose answer is only "done". */
function targetStateCommand(name: string, method: 'PUT' | 'DELETE', suffix: string, what: string, summary: string): Command {
  return defineCommand({
    name,
    summary,
    options: WORKER_OPTIONS,
    positionals: NAME,
    run: ({ options, args, io }) => talk(async () => {
      const c = call(options, io);
      const connector = connectorName(args.name);
      const response = await c.client.request(method, connectorPath(connector, suffix));
      print(c, response, () => `Connector ${connector}: ${what}.\n`);
    }),
  });
}

const COMMANDS: readonly Command[] = [
  defineCommand({
    name: 'list',
    summary: 'connectors with type, state and task states',
    options: WORKER_OPTIONS,
    run: ({ options, io }) => talk(async () => {
      const c = call(options, io);
      print(c, await c.client.request('GET', '/connectors?expand=status&expand=info'), renderConnectorList);
    }),
  }),
  defineCommand({
    name: 'get',
    summary: 'a connector\'s type, tasks and config',
    options: WORKER_OPTIONS,
    positionals: NAME,
    run: ({ options, args, io }) => talk(async () => {
      const c = call(options, io);
      const response = await c.client.request('GET', connectorPath(connectorName(args.name)));
      print(c, response, (body) => renderConnectorInfo((body ?? {}) as ConnectorInfo));
    }),
  }),
  defineCommand({
    name: 'create',
    summary: 'create a connector from a file',
    options: { ...WORKER_OPTIONS, ...FILE_OPTION },
    run: ({ options, io }) => talk(async () => {
      const c = call(options, io);
      const file = await readConnectorFile(options.file, io.stdin);
      const request = createRequestFrom(file, options.file === '-' ? 'standard input' : options.file);
      const response = await c.client.request('POST', '/connectors', request);
      print(c, response, (body) => `Created connector ${request.name}${typeSuffix(body)}.\n`);
    }),
  }),
  defineCommand({
    name: 'update',
    summary: 'create or replace a connector\'s config from a file',
    options: { ...WORKER_OPTIONS, ...FILE_OPTION },
    positionals: NAME,
    run: ({ options, args, io }) => talk(async () => {
      const c = call(options, io);
      const name = connectorName(args.name);
      const file = await readConnectorFile(options.file, io.stdin);
      const config = configUpdateFrom(file, name, options.file === '-' ? 'standard input' : options.file);
      const response = await c.client.request('PUT', connectorPath(name, '/config'), config);
      const verb = response.status === 201 ? 'Created' : 'Updated';
      print(c, response, (body) => `${verb} connector ${name}${typeSuffix(body)}.\n`);
    }),
  }),
  targetStateCommand('delete', 'DELETE', '', 'deleted', 'delete a connector'),
  targetStateCommand('pause', 'PUT', '/pause', 'pause requested', 'pause a connector and its tasks'),
  targetStateCommand('resume', 'PUT', '/resume', 'resume requested', 'resume a paused or stopped connector'),
  targetStateCommand('stop', 'PUT', '/stop', 'stop requested', 'stop a connector and shut its tasks down'),
  defineCommand({
    name: 'restart',
    summary: 'restart a connector, and with --include-tasks its tasks',
    options: {
      ...WORKER_OPTIONS,
      'include-tasks': { type: 'boolean', description: 'restart the tasks too' },
      'only-failed': { type: 'boolean', description: 'restart only what has failed' },
    },
    positionals: NAME,
    run: ({ options, args, io }) => talk(async () => {
      const c = call(options, io);
      const name = connectorName(args.name);
      const query = new URLSearchParams();
      if (options['include-tasks']) query.set('includeTasks', 'true');
      if (options['only-failed']) query.set('onlyFailed', 'true');
      const path = connectorPath(name, '/restart') + (query.size > 0 ? `?${query}` : '');
      const response = await c.client.request('POST', path);
      print(c, response, (body) => {
        const requested = `Connector ${name}: restart requested.\n`;
        return body === undefined ? requested : `${requested}\n${renderConnectorStatus(body as ConnectorStateInfo)}`;
      });
    }),
  }),
  defineCommand({
    name: 'status',
    summary: 'connector and task states, with failure traces',
    options: WORKER_OPTIONS,
    positionals: NAME,
    run: ({ options, args, io }) => talk(async () => {
      const c = call(options, io);
      const response = await c.client.request('GET', connectorPath(connectorName(args.name), '/status'));
      print(c, response, (body) => renderConnectorStatus((body ?? {}) as ConnectorStateInfo));
    }),
  }),
  defineCommand({
    name: 'offsets',
    summary: 'the connector\'s committed offsets',
    options: WORKER_OPTIONS,
    positionals: NAME,
    run: ({ options, args, io }) => talk(async () => {
      const c = call(options, io);
      const name = connectorName(args.name);
      const response = await c.client.request('GET', connectorPath(name, '/offsets'));
      print(c, response, (body) => renderConnectorOffsets(name, (body ?? {}) as ConnectorOffsets));
    }),
  }),
  defineCommand({
    name: 'apply',
    summary: 'create, update or leave alone each connector in FILE or DIR/*.json; nothing changes if any file is bad',
    usage: ['-f DIR|FILE [--dry-run] [--wait-ms N] [options]'],
    description: [
      'Checks every connector file first: if any is bad, nothing is sent. Then creates or updates each',
      'connector whose config differs, leaving the others alone. With --json it prints an array of',
      '{name, file, action, changed?, error?}. Exit 1 when a file is bad, a connector failed, or the worker',
      'stayed unavailable.',
    ].join('\n'),
    options: {
      ...WORKER_OPTIONS,
      file: { type: 'string', short: 'f', valueName: 'DIR|FILE', required: true, description: 'a connector file, a directory of *.json files, or - for standard input' },
      'dry-run': { type: 'boolean', description: 'only say what would change' },
      'wait-ms': {
        type: 'integer', min: 0, default: DEFAULT_APPLY_WAIT_MS,
        description: 'how long to keep retrying while the worker is unreachable, starting (503) or rebalancing (409)',
      },
    },
    run: ({ options, io }) => {
      const c = call(options, io);
      return runApply({ target: options.file, client: c.client, json: options.json, dryRun: options['dry-run'], waitMs: options['wait-ms'], io });
    },
  }),
];

export const connectorsCommand = defineGroup({
  name: 'connectors',
  summary: 'manage connectors over a worker\'s REST API (list, status, create, apply -f DIR, ...)',
  description: [
    'Manages connectors through the Kafka Connect REST API of a worker (ferry\'s or Apache Kafka Connect\'s).',
    'Tables for people; --json prints the worker\'s response body. Exit codes: 0 success, 1 the worker',
    'answered with an error or could not be reached (apply: also a bad connector file), 2 wrong usage.',
  ].join('\n'),
  commands: COMMANDS,
  epilogue: `Every command takes --url URL (the worker's REST URL; default: $FERRY_URL, else ${DEFAULT_WORKER_URL}) and --json.`,
});

function workerUrl(raw: string): string {
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

/**
 * Runs `ferry connectors` with the arguments after `connectors`; resolves to the exit code.
 * `io` replaces the process's streams, environment and fetch (tests use it).
 */
export function runConnectorsCommand(args: string[], io: Partial<CommandIo> = {}): Promise<number> {
  return runCommand(connectorsCommand, args, processIo(io));
}
