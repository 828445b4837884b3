/**
 * Prefixed sub-configs (Kafka's `originalsWithPrefix`): `transforms.<alias>.*`,
 * `producer.override.*`, `key.converter.*`, `config.providers.<name>.param.*` and the like.
 * Every helper returns a fresh map and keeps values untouched.
 */

type Values<V> = Readonly<Record<string, V>>;

function put<V>(out: Record<string, V>, key: string, value: V): void {
  Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
}

/** The entries whose key starts with `prefix`, with the prefix stripped (`strip: false` keeps it). */
export function extractPrefixed<V>(raw: Values<V>, prefix: string, options: { strip?: boolean } = {}): Record<string, V> {
  const strip = options.strip ?? true;
  const out: Record<string, V> = {};
  for (const key of Object.keys(raw)) {
    if (key.startsWith(prefix) && key.length > prefix.length) put(out, strip ? key.slice(prefix.length) : key, raw[key]);
  }
  return out;
}

/** The entries whose key does not start with any of `prefixes`. */
export function omitPrefixed<V>(raw: Values<V>, ...prefixes: string[]): Record<string, V> {
  const out: Record<string, V> = {};
  for (const key of Object.keys(raw)) if (!prefixes.some((p) => key.startsWith(p))) put(out, key, raw[key]);
  return out;
}

/** Every key with `prefix` put in front. */
export function addPrefix<V>(raw: Values<V>, prefix: string): Record<string, V> {
  const out: Record<string, V> = {};
  for (const key of Object.keys(raw)) put(out, prefix + key, raw[key]);
  return out;
}

/**
 * One sub-config per alias: `aliasConfigs(raw, 'transforms.', ['mask'])` gives
 * `{ mask: { type: ..., fields: ... } }` from `transforms.mask.type`, `transforms.mask.fields`.
 */
export function aliasConfigs<V>(raw: Values<V>, prefix: string, aliases: readonly string[]): Map<string, Record<string, V>> {
  return new Map(aliases.map((alias) => [alias, extractPrefixed(raw, `${prefix}${alias}.`)]));
}
