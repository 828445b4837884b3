/**
 * What `ferry connectors apply` has to do for one connector, from the config the worker holds
 * (GET /connectors/{name}/config; none when it answered 404) and the one the file wants.
 * Configs compare as string maps; `name` is left out, since the worker always adds it.
 * Only key names are reported, never values, so no secret can reach the output.
 */

export interface ConfigDiff {
  /** Keys on both sides whose values differ. */
  changed: string[];
  /** Keys only the file has. */
  added: string[];
  /** Keys only the worker has. */
  removed: string[];
}

export type ConnectorPlan =
  | { kind: 'create' }
  | { kind: 'update'; diff: ConfigDiff }
  | { kind: 'unchanged' };

const IGNORED_KEYS = new Set(['name']);

function comparable(config: Readonly<Record<string, unknown>>): Map<string, string> {
  const map = new Map<string, string>();
  for (const [key, value] of Object.entries(config)) {
    if (IGNORED_KEYS.has(key) || value === undefined || value === null) continue;
    map.set(key, typeof value === 'string' ? value : JSON.stringify(value));
  }
  return map;
}

function byKey(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function diffConfigs(current: Readonly<Record<string, unknown>>, desired: Readonly<Record<string, unknown>>): ConfigDiff {
  const have = comparable(current);
  const want = comparable(desired);
  const diff: ConfigDiff = { changed: [], added: [], removed: [] };
  for (const [key, value] of want) {
    if (!have.has(key)) diff.added.push(key);
    else if (have.get(key) !== value) diff.changed.push(key);
  }
  for (const key of have.keys()) if (!want.has(key)) diff.removed.push(key);
  diff.changed.sort(byKey);
  diff.added.sort(byKey);
  diff.removed.sort(byKey);
  return diff;
}

export function planConnector(current: Readonly<Record<string, unknown>> | undefined, desired: Readonly<Record<string, unknown>>): ConnectorPlan {
  if (current === undefined) return { kind: 'create' };
  const diff = diffConfigs(current, desired);
  const same = diff.changed.length === 0 && diff.added.length === 0 && diff.removed.length === 0;
  return same ? { kind: 'unchanged' } : { kind: 'update', diff };
}

/** Every differing key, sorted: changed ones plain, added ones `+key`, removed ones `-key`. */
export function describeDiff(diff: ConfigDiff): string[] {
  const marked = [
    ...diff.changed.map((key) => ({ key, text: key })),
    ...diff.added.map((key) => ({ key, text: `+${key}` })),
    ...diff.removed.map((key) => ({ key, text: `-${key}` })),
  ];
  return marked.sort((a, b) => byKey(a.key, b.key)).map(({ text }) => text);
}
