/**
 * The URL `ferry health` asks when none is given: the REST listener a `ferry worker` started from
 * the same environment binds (CONNECT_LISTENERS, else CONNECT_REST_HOST_NAME/CONNECT_REST_PORT
 * or Debezium's REST_HOST_NAME/REST_PORT), reached from inside the same container, so a listener
 * on all interfaces is asked on 127.0.0.1. Without any of them: http://127.0.0.1:8083.
 */
import { ConfigError } from '../../connectors/sdk/config/config-error.js';
import { firstRestListener, withLegacyRestListeners } from '../../runtime/config/rest-listeners.js';
import { workerSettingsFromEnv } from './worker-env.js';

export const DEFAULT_HEALTH_URL = 'http://127.0.0.1:8083';

const ALL_INTERFACES = new Set(['0.0.0.0', '::', '[::]']);

/** Throws when the environment's listener is not a valid one, naming the variables it came from. */
export function workerUrlFromEnv(env: Readonly<Record<string, string | undefined>>): string {
  const { properties, origins } = workerSettingsFromEnv(env, { shortNames: true });
  try {
    const listeners = withLegacyRestListeners(properties).properties['listeners'] ?? '';
    if (listeners.trim() === '') return DEFAULT_HEALTH_URL;
    const { protocol, host, port } = firstRestListener(listeners.split(','));
    return `${protocol}://${ALL_INTERFACES.has(host) ? '127.0.0.1' : host}:${port}`;
  } catch (err) {
    const reason = err instanceof ConfigError ? err.messages.join('; ') : (err as Error).message;
    const from = ['listeners', 'rest.host.name', 'rest.port'].flatMap((property) => origins[property] ?? []);
    throw new Error(`${reason} (from ${from.join(', ')})`, { cause: err });
  }
}
