/**
 * Reads a connector definition file (`-f FILE`, `-f -` for stdin). Two shapes are accepted,
 * as Kafka Connect's own tooling passes both around:
 * - wrapped: `{"name": ..., "config": {...}, "initial_state"?: ...}` (the POST /connectors body);
 * - flat: the config map itself, with `name` inside (the PUT /connectors/{c}/config body).
 * A file is wrapped exactly when its `config` is an object: in a flat map every value is a scalar.
 */
import { readFile } from 'node:fs/promises';
import type { ConnectorConfig, CreateConnectorRequest } from './connect-entities.js';
import { UsageError } from '../command-line/user-error.js';

export interface ConnectorFile {
  /** The connector name the file gives, outer `name` first, else `config.name`. */
  name: string | undefined;
  config: ConnectorConfig;
  /** The wrapped shape's `initial_state`, when present. */
  initialState: string | undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nameIn(value: unknown, where: string, source: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new UsageError(`${source}: ${where} must be a string`);
  return value;
}

async function readText(file: string, stdin: AsyncIterable<Buffer | string>): Promise<string> {
  if (file !== '-') return readFile(file, 'utf8');
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

export function parseConnectorFile(text: string, source: string): ConnectorFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${source} is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!isObject(parsed)) throw new UsageError(`${source} must hold a JSON object`);
  if (isObject(parsed.config)) {
    const config = parsed.config;
    return {
      name: nameIn(parsed.name, '"name"', source) ?? nameIn(config.name, '"config.name"', source),
      config,
      initialState: nameIn(parsed.initial_state, '"initial_state"', source),
    };
  }
  return { name: nameIn(parsed.name, '"name"', source), config: parsed, initialState: undefined };
}

export async function readConnectorFile(file: string, stdin: AsyncIterable<Buffer | string>): Promise<ConnectorFile> {
  const source = file === '-' ? 'standard input' : file;
  let text: string;
  try {
    text = await readText(file, stdin);
  } catch (err) {
    throw new UsageError(`cannot read ${source}: ${err instanceof Error ? err.message : String(err)}`);
  }
  return parseConnectorFile(text, source);
}

/** The POST /connectors body for a file of either shape. */
export function createRequestFrom(file: ConnectorFile, source: string): CreateConnectorRequest {
  if (!file.name) throw new UsageError(`${source} does not name the connector: add a "name" field`);
  const request: CreateConnectorRequest = { name: file.name, config: file.config };
  if (file.initialState !== undefined) request.initial_state = file.initialState;
  return request;
}

/** The PUT /connectors/{name}/config body for a file of either shape. */
export function configUpdateFrom(file: ConnectorFile, name: string, source: string): ConnectorConfig {
  if (file.name !== undefined && file.name !== name) {
    throw new UsageError(`${source} names connector '${file.name}', but the command names '${name}'`);
  }
  return file.config;
}
