/**
 * What an update changes, shown before "Update": keys added, removed or changed between the
 * connector's current config and the one about to be sent. Secret values (PASSWORD keys that are
 * not `${provider:...}` references) are never shown, only that they changed.
 */
import { isProviderReference } from './form-state.js';

export type ChangeKind = 'added' | 'removed' | 'changed';

export interface ConfigChange {
  key: string;
  kind: ChangeKind;
  /** Display text of the old value (null when added). */
  before: string | null;
  /** Display text of the new value (null when removed). */
  after: string | null;
}

export const HIDDEN_VALUE = '(hidden)';

function shown(value: string | undefined, secret: boolean): string | null {
  if (value === undefined) return null;
  return secret && !isProviderReference(value) ? HIDDEN_VALUE : value;
}

/** Changes from `before` to `after`, in `after`'s key order, removals last. */
export function diffConfigs(
  before: Readonly<Record<string, string>>,
  after: Readonly<Record<string, string>>,
  secretKeys: ReadonlySet<string>,
): ConfigChange[] {
  const changes: ConfigChange[] = [];
  for (const [key, value] of Object.entries(after)) {
    const secret = secretKeys.has(key);
    if (!Object.hasOwn(before, key)) changes.push({ key, kind: 'added', before: null, after: shown(value, secret) });
    else if (before[key] !== value) changes.push({ key, kind: 'changed', before: shown(before[key], secret), after: shown(value, secret) });
  }
  for (const [key, value] of Object.entries(before)) {
    if (!Object.hasOwn(after, key)) changes.push({ key, kind: 'removed', before: shown(value, secretKeys.has(key)), after: null });
  }
  return changes;
}
