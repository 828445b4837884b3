/**
 * `--set name=value` arguments (repeatable) of the ferry commands that take properties on the
 * command line: each becomes one property, later ones overriding earlier ones; the value may
 * itself contain '='. A setting without a name or without '=' is a usage error in one line.
 */
import { UsageError } from './command-line/user-error.js';

export function parseSetArguments(settings: readonly string[] | undefined): Record<string, string> {
  const properties: Record<string, string> = {};
  for (const setting of settings ?? []) {
    const eq = setting.indexOf('=');
    if (eq <= 0) throw new UsageError(`--set expects name=value, got '${setting}'`);
    properties[setting.slice(0, eq)] = setting.slice(eq + 1);
  }
  return properties;
}
