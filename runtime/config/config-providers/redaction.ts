/**
 * Hiding password values in config maps printed to logs and status traces. A key is a password
 * when its spec declares it PASSWORD, or when it is one of the Kafka client password settings
 * below under any prefix (`producer.override.sasl.jaas.config`, `consumer.ssl.key.password`),
 * since pass-through client settings are not declared in connector or worker specs.
 */
import type { ConfigType } from '../../../connectors/sdk/config/config-value.js';
import { HIDDEN } from '../../../connectors/sdk/config/password.js';

/** Settings Kafka's clients and common converters declare as PASSWORD. */
export const CLIENT_PASSWORD_KEYS: readonly string[] = [
  'sasl.jaas.config',
  'ssl.key.password',
  'ssl.keystore.password',
  'ssl.keystore.key',
  'ssl.keystore.certificate.chain',
  'ssl.truststore.password',
  'ssl.truststore.certificates',
  'basic.auth.user.info',
  'bearer.auth.token',
];

export function isClientPasswordKey(key: string): boolean {
  return CLIENT_PASSWORD_KEYS.some((k) => key === k || key.endsWith(`.${k}`));
}

/**
 * The password keys of `spec` plus the keys of `config` (if given) that are client password
 * settings. `spec` is any ConfigSpec, or anything with its `fields`.
 */
export function passwordKeysOf(
  spec: { readonly fields: Readonly<Record<string, { readonly type: ConfigType }>> } | undefined,
  config?: Readonly<Record<string, unknown>>,
): Set<string> {
  const keys = new Set<string>();
  if (spec !== undefined) for (const [name, field] of Object.entries(spec.fields)) if (field.type === 'PASSWORD') keys.add(name);
  if (config !== undefined) for (const key of Object.keys(config)) if (isClientPasswordKey(key)) keys.add(key);
  return keys;
}

/** A copy of `config` whose password keys that hold a value read `[hidden]`. */
export function redactSecrets<V>(config: Readonly<Record<string, V>>, passwordKeys: Iterable<string>): Record<string, V | typeof HIDDEN> {
  const hidden = new Set(passwordKeys);
  const out: Record<string, V | typeof HIDDEN> = {};
  for (const key of Object.keys(config)) {
    const value = config[key];
    out[key] = hidden.has(key) && value !== null && value !== undefined ? HIDDEN : value;
  }
  return out;
}
