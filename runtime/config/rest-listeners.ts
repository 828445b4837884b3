/**
 * Where a worker's REST API listens.
 *
 * `rest.host.name` and `rest.port` set the REST address until Kafka 3.0 removed them for
 * `listeners`. Old worker files still have them, and Confluent's images set `rest.port` from
 * CONNECT_REST_PORT (Debezium's from REST_PORT), so every worker start reads them here:
 * - `listeners` unset (or blank): they become `listeners=http://HOST:PORT`; an unset or empty
 *   host binds all interfaces, an unset port is 8083 (their old default);
 * - `listeners` set: `listeners` wins and they are dropped, and the caller warns.
 * Either way they leave the properties, so they are never reported as unknown keys.
 */
import type { RawConfig } from '../../connectors/sdk/connector.js';
import { ConfigError } from '../../connectors/sdk/config/config-error.js';

export const LEGACY_REST_KEYS = ['rest.host.name', 'rest.port'] as const;

export interface RestListenerProperties {
  /** The properties without `rest.host.name`/`rest.port`. */
  readonly properties: RawConfig;
  /** Which of `rest.host.name`/`rest.port` were set. */
  readonly legacyKeys: readonly string[];
  /** The listener made from them when `listeners` was unset; undefined when they were ignored (or absent). */
  readonly derived?: string;
}

/** Applies the rules above; throws a ConfigError naming `rest.port` when it is not a port number. */
export function withLegacyRestListeners(properties: RawConfig): RestListenerProperties {
  const present = LEGACY_REST_KEYS.filter((key) => properties[key] !== undefined);
  if (present.length === 0) return { properties, legacyKeys: [] };
  const legacy = new Set<string>(present);
  const rest: Record<string, string> = Object.fromEntries(Object.entries(properties).filter(([key]) => !legacy.has(key)));
  if ((properties['listeners'] ?? '').trim() !== '') return { properties: rest, legacyKeys: present };
  const port = (properties['rest.port'] ?? '').trim() || '8083';
  if (!/^\d{1,5}$/.test(port) || Number(port) > 65535) {
    throw new ConfigError([{ name: 'rest.port', message: `Invalid value ${port} for configuration rest.port: Value must be a port number (0 to 65535)` }]);
  }
  const host = (properties['rest.host.name'] ?? '').trim();
  const derived = `http://${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${port}`;
  return { properties: { ...rest, listeners: derived }, legacyKeys: present, derived };
}

export interface RestListener {
  readonly protocol: 'http' | 'https';
  /** The host to bind: `0.0.0.0` for an empty host (all interfaces); IPv6 hosts keep their brackets. */
  readonly host: string;
  readonly port: number;
}

/** The protocol, host and port of the first listener (`http://:8083` binds every interface). */
export function firstRestListener(listeners: readonly string[]): RestListener {
  const first = listeners[0] ?? 'http://:8083';
  const match = /^(https?):\/\/(\[[^\]]*\]|[^:/]*)(?::(\d+))?\/?$/i.exec(first.trim());
  if (!match) throw new Error(`Invalid listener '${first}': expected http://host:port or https://host:port`);
  const protocol = match[1]!.toLowerCase() === 'https' ? 'https' : 'http';
  return { protocol, host: match[2] === '' ? '0.0.0.0' : match[2]!, port: match[3] ? Number(match[3]) : 8083 };
}
