/**
 * Which config values the connector page masks. A key is secret when the plugin declares it
 * PASSWORD (learned from the validate endpoint's definitions) or, for keys without a
 * definition, when its name says so (password, secret, jaas.config, ...). A value holding a
 * config provider reference such as `${file:/etc/secrets:db.password}` is never masked: it is a
 * pointer, not the secret, and hiding it would hide where the secret comes from.
 */
import type { ConfigInfos } from '../../api/types.js';

const SECRET_NAME = /(password|passwd|secret|jaas\.config|credentials|api\.key|access\.key|token|passphrase|basic\.auth\.user\.info)/i;

export const PROVIDER_REFERENCE = /\$\{[^}:]+:[^}]*\}/;

export function isProviderReference(value: string): boolean {
  return PROVIDER_REFERENCE.test(value);
}

/** Keys declared PASSWORD in a validate answer. */
export function passwordKeys(infos: ConfigInfos | undefined): Set<string> {
  const keys = new Set<string>();
  for (const config of infos?.configs ?? []) {
    if (config.definition?.type === 'PASSWORD') keys.add(config.definition.name);
  }
  return keys;
}

/** Keys the validate answer declares (of any type). */
export function declaredKeys(infos: ConfigInfos | undefined): Set<string> {
  return new Set((infos?.configs ?? []).flatMap((config) => config.definition ? [config.definition.name] : []));
}

export function shouldMask(key: string, value: string, passwords: Set<string>, declared: Set<string>): boolean {
  if (value === '' || isProviderReference(value)) return false;
  if (passwords.has(key)) return true;
  return !declared.has(key) && SECRET_NAME.test(key);
}
