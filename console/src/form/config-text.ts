/**
 * A connector config as text the user can paste, upload, edit or download: a JSON object or
 * `.properties`. Reading accepts what people actually have at hand: the flat config map Connect's
 * `PUT /connectors/{name}/config` takes, or the `{"name": ..., "config": {...}}` body of
 * `POST /connectors`; numbers and booleans become strings (Connect keeps every value as a string).
 * Writing is stable: `parseConfigText(configToText(c, f), f)` equals `c`, key order included.
 */
import { parsePropertiesText, PropertiesTextError, toPropertiesText } from './properties-text.js';

export type ConfigFormat = 'json' | 'properties';

export class ConfigTextError extends Error {
  override readonly name = 'ConfigTextError';
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function setEntry(config: Record<string, string>, key: string, value: string): void {
  Object.defineProperty(config, key, { value, enumerable: true, writable: true, configurable: true });
}

function flatConfig(object: Record<string, unknown>, where: string): Record<string, string> {
  const config: Record<string, string> = {};
  for (const [key, value] of Object.entries(object)) {
    if (typeof value === 'string') setEntry(config, key, value);
    else if (typeof value === 'number' || typeof value === 'boolean') setEntry(config, key, String(value));
    else if (value === null) throw new ConfigTextError(`"${key}"${where} is null: remove the key to use its default`);
    else throw new ConfigTextError(`"${key}"${where} must be a string, not ${Array.isArray(value) ? 'an array' : 'an object'} (lists are comma-separated strings)`);
  }
  return config;
}

/** Reads a JSON config: a flat map, or a create request `{"name": ..., "config": {...}}`. */
export function parseConfigJson(text: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ConfigTextError(`Not valid JSON: ${(error as Error).message}`);
  }
  if (!isPlainObject(parsed)) throw new ConfigTextError('The JSON must be an object of config keys and values');
  const keys = Object.keys(parsed);
  const isCreateRequest = isPlainObject(parsed.config) && keys.every((key) => key === 'name' || key === 'config' || key === 'initial_state');
  if (!isCreateRequest) return flatConfig(parsed, '');
  const inner = flatConfig(parsed.config as Record<string, unknown>, ' in "config"');
  if (typeof parsed.name !== 'string') return inner;
  if (inner.name !== undefined && inner.name !== parsed.name) {
    throw new ConfigTextError(`"name" is "${parsed.name}" but "config" says "${inner.name}"`);
  }
  const config: Record<string, string> = {};
  setEntry(config, 'name', parsed.name);
  for (const [key, value] of Object.entries(inner)) setEntry(config, key, value);
  return config;
}

export function configToJson(config: Readonly<Record<string, string>>): string {
  return `${JSON.stringify(config, null, 2)}\n`;
}

/** The format of a file by its name, else by its text (JSON starts with `{`). */
export function detectFormat(text: string, fileName?: string): ConfigFormat {
  const lower = fileName?.toLowerCase() ?? '';
  if (lower.endsWith('.json')) return 'json';
  if (lower.endsWith('.properties') || lower.endsWith('.conf')) return 'properties';
  return text.replace(/^\uFEFF/, '').trimStart().startsWith('{') ? 'json' : 'properties';
}

export function parseConfigText(text: string, format: ConfigFormat): Record<string, string> {
  if (format === 'json') return parseConfigJson(text);
  try {
    return parsePropertiesText(text);
  } catch (error) {
    if (error instanceof PropertiesTextError) throw new ConfigTextError(error.message);
    throw error;
  }
}

export function configToText(config: Readonly<Record<string, string>>, format: ConfigFormat): string {
  return format === 'json' ? configToJson(config) : toPropertiesText(config);
}

/** A download's file name: the connector's name made safe for file systems. */
export function configFileName(connectorName: string, format: ConfigFormat): string {
  const base = connectorName.trim().replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '') || 'connector';
  return `${base}.${format === 'json' ? 'json' : 'properties'}`;
}
