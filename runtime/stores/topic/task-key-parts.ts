/**
 * Task keys of the config and status topics (`task-{c}-{n}`, `status-task-{c}-{n}`) parsed the
 * way Kafka Connect does: Java's `key.split("-")` (which drops trailing empty elements), the last
 * element read with `Integer.parseInt`, the elements between the fixed prefix and the last one
 * re-joined with `-` as the connector name, so connector names may contain `-`.
 */

const INT32_MAX = 2 ** 31 - 1;
const INT32_MIN = -(2 ** 31);

export interface ParsedTaskKey {
  readonly connector: string;
  readonly task: number;
}

/** `prefixParts` is how many `-`-separated elements the fixed prefix has (1 for `task-`). */
export function parseTaskKey(key: string, prefixParts: number): ParsedTaskKey | undefined {
  const parts = javaSplitOnDash(key);
  if (parts.length < prefixParts + 2) return undefined;
  const task = javaParseInt(parts[parts.length - 1]!);
  if (task === undefined) return undefined;
  return { connector: parts.slice(prefixParts, -1).join('-'), task };
}

function javaSplitOnDash(s: string): string[] {
  const parts = s.split('-');
  if (parts.length === 1) return parts;
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

function javaParseInt(text: string): number | undefined {
  if (!/^[+-]?[0-9]+$/.test(text)) return undefined;
  const n = Number(text);
  return n >= INT32_MIN && n <= INT32_MAX ? n : undefined;
}
