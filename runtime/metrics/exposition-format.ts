/**
 * The Prometheus text exposition format, version 0.0.4: per family a `# HELP` and a `# TYPE`
 * line, then one `name{label="value",...} value` line per sample. Help text escapes `\` and
 * newlines; label values also escape `"`. Families with the same name must have been merged
 * before rendering: a name appears in one block only.
 */
import { isValidLabelName, isValidMetricName, type Labels, type MetricFamily } from './metric-family.js';

export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export function renderExposition(families: Iterable<MetricFamily>): string {
  const lines: string[] = [];
  const seen = new Set<string>();
  for (const family of families) {
    if (!isValidMetricName(family.name)) throw new Error(`Invalid metric name '${family.name}'`);
    if (seen.has(family.name)) throw new Error(`Metric family '${family.name}' is rendered twice`);
    seen.add(family.name);
    lines.push(`# HELP ${family.name} ${escapeHelp(family.help)}`, `# TYPE ${family.name} ${family.type}`);
    for (const sample of family.samples) {
      lines.push(`${family.name}${sample.suffix ?? ''}${renderLabels(sample.labels)} ${formatValue(sample.value)}`);
    }
  }
  lines.push('');
  return lines.join('\n');
}

export function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** Integers as they are, `NaN`, `+Inf` and `-Inf` as Prometheus spells them. */
export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

function renderLabels(labels: Labels): string {
  let out = '';
  for (const name in labels) {
    if (!isValidLabelName(name)) throw new Error(`Invalid label name '${name}'`);
    out += `${out === '' ? '' : ','}${name}="${escapeLabelValue(labels[name]!)}"`;
  }
  return out === '' ? '' : `{${out}}`;
}
