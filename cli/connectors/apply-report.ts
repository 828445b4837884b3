/**
 * What `ferry connectors apply` prints per connector: one aligned line for people, e.g.
 *   created   mysql-cdc
 *   updated   s3-backup (flush.size, +s3.part.size, -topics.dir)
 *   unchanged elasticsearch-sink
 *   failed    x: <the worker's message; further lines indented under the name>
 * (`would create` / `would update` in a dry run), or one `--json` entry per connector.
 * Changed keys are named, values never are.
 */
import { describeDiff, type ConfigDiff } from './apply-plan.js';

export type ApplyAction = 'created' | 'updated' | 'unchanged' | 'failed' | 'would create' | 'would update';

export interface ApplyResult {
  name: string;
  file: string;
  action: ApplyAction;
  /** For updates: the keys that differ (unknown when the worker changed under us). */
  diff?: ConfigDiff;
  error?: string;
}

/** One `--json` array entry. `changed` lists the keys as the text line does (`+` added, `-` removed). */
export interface ApplyJsonEntry {
  name: string;
  file: string;
  action: ApplyAction;
  changed?: string[];
  error?: string;
}

const RUN_ACTIONS: readonly ApplyAction[] = ['created', 'updated', 'unchanged', 'failed'];
const DRY_RUN_ACTIONS: readonly ApplyAction[] = ['would create', 'would update', 'unchanged', 'failed'];

/** Width of the action column: the longest action a run of this kind can print. */
export function actionWidth(dryRun: boolean): number {
  return Math.max(...(dryRun ? DRY_RUN_ACTIONS : RUN_ACTIONS).map((action) => action.length));
}

export function formatApplyLine(result: ApplyResult, width: number): string {
  const head = `${result.action.padEnd(width)} ${result.name}`;
  if (result.error !== undefined) {
    const [first = '', ...rest] = result.error.trim().split(/\r?\n/);
    const indent = ' '.repeat(width + 1);
    return [`${head}: ${first}`, ...rest.map((line) => `${indent}${line.trim()}`)].join('\n') + '\n';
  }
  const keys = result.diff ? describeDiff(result.diff) : [];
  return keys.length > 0 ? `${head} (${keys.join(', ')})\n` : `${head}\n`;
}

export function toJsonEntry(result: ApplyResult): ApplyJsonEntry {
  const entry: ApplyJsonEntry = { name: result.name, file: result.file, action: result.action };
  if (result.diff) entry.changed = describeDiff(result.diff);
  if (result.error !== undefined) entry.error = result.error;
  return entry;
}
