/**
 * The connector files `ferry connectors apply -f DIR|FILE` is given, read and checked before
 * anything is sent: a file of either shape `create` reads, or every `*.json` directly in a
 * directory (sorted by file name, dot files left out as a shell's `*.json` leaves them out).
 * Every problem in every file is collected, so one run names all of them; duplicate connector
 * names across files are one too.
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { readConnectorFile } from './connector-file.js';
import { UsageError } from '../command-line/user-error.js';

/** One connector as a file wants it: config values as the strings the worker stores. */
export interface DesiredConnector {
  name: string;
  /** The file it came from, as the user can find it (`standard input` for `-f -`). */
  file: string;
  config: Record<string, string>;
  /** The wrapped shape's `initial_state`, used only when the connector is created. */
  initialState: string | undefined;
}

export interface ApplyFiles {
  connectors: DesiredConnector[];
  /** One line per problem; when any, nothing may be applied. */
  problems: string[];
}

function describeJsonType(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'an array' : `an ${typeof value}`;
}

/** Numbers and booleans become their JSON text, as Kafka Connect binds them into its string map. */
function stringConfig(config: Record<string, unknown>, source: string, problems: string[]): Record<string, string> {
  const strings: Record<string, string> = {};
  for (const [key, value] of Object.entries(config)) {
    if (typeof value === 'string') strings[key] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') strings[key] = String(value);
    else problems.push(`${source}: "${key}" must be a string, number or boolean, not ${describeJsonType(value)}`);
  }
  return strings;
}

async function checkFile(file: string, stdin: AsyncIterable<Buffer | string>, problems: string[]): Promise<DesiredConnector | undefined> {
  const source = file === '-' ? 'standard input' : file;
  let parsed;
  try {
    parsed = await readConnectorFile(file, stdin);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    problems.push(err.message);
    return undefined;
  }
  const before = problems.length;
  const name = parsed.name?.trim() ?? '';
  if (name === '') problems.push(`${source} does not name the connector: add a "name" field`);
  const inner = parsed.config.name;
  if (typeof inner === 'string' && parsed.name !== undefined && inner !== parsed.name) {
    problems.push(`${source} names the connector '${parsed.name}' but its config says "name": "${inner}"`);
  }
  const config = stringConfig(parsed.config, source, problems);
  if (problems.length > before) return undefined;
  return { name: parsed.name!, file: source, config, initialState: parsed.initialState };
}

async function filesIn(target: string, problems: string[]): Promise<string[]> {
  if (target === '-') return ['-'];
  let info;
  try {
    info = await stat(target);
  } catch (err) {
    problems.push(`cannot read ${target}: ${err instanceof Error ? err.message : String(err)}`);
    return [];
  }
  if (!info.isDirectory()) return [target];
  const names = (await readdir(target)).filter((name) => name.endsWith('.json') && !name.startsWith('.')).sort();
  const files: string[] = [];
  for (const name of names) {
    const file = path.join(target, name);
    // Follows symbolic links (Kubernetes mounts config maps as links); a directory named x.json is not a file.
    if ((await stat(file).catch(() => undefined))?.isDirectory() !== true) files.push(file);
  }
  if (files.length === 0) problems.push(`${target} holds no *.json connector files`);
  return files;
}

function duplicateProblems(connectors: readonly DesiredConnector[]): string[] {
  const byName = new Map<string, string[]>();
  for (const { name, file } of connectors) byName.set(name, [...(byName.get(name) ?? []), file]);
  return [...byName]
    .filter(([, files]) => files.length > 1)
    .map(([name, files]) => `connector '${name}' is defined more than once: in ${files.join(' and ')}`);
}

/** Reads `-f DIR|FILE|-` (`-` is standard input). */
export async function readApplyFiles(target: string, stdin: AsyncIterable<Buffer | string>): Promise<ApplyFiles> {
  const problems: string[] = [];
  const connectors: DesiredConnector[] = [];
  for (const file of await filesIn(target, problems)) {
    const connector = await checkFile(file, stdin, problems);
    if (connector) connectors.push(connector);
  }
  problems.push(...duplicateProblems(connectors));
  return { connectors, problems };
}
