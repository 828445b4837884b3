/**
 * Reference docs for a spec in Markdown: one section per group (keys without a group last), one
 * entry per key with its documentation, type, default, valid values and importance. The output is
 * deterministic so generated docs can be checked for staleness.
 */
import type { ConfigField } from './config-field.js';
import { renderValue } from './config-value.js';

export interface MarkdownOptions {
  /** A top-level heading for the whole spec. */
  title?: string;
  /** Heading level of the title (default 2); groups and keys nest below it. */
  headingLevel?: number;
}

function validValues(f: ConfigField<unknown>): string {
  const described = f.validators.map((v) => v.describe).filter((d): d is string => d !== undefined);
  return described.length > 0 ? described.join(', ') : '';
}

function defaultText(f: ConfigField<unknown>): string {
  if (f.required) return 'required';
  const rendered = renderValue(f.defaultValue, f.type);
  return code(rendered === null ? 'null' : rendered === '' ? '""' : rendered);
}

function code(text: string): string {
  return text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``;
}

function keyEntry(name: string, f: ConfigField<unknown>, hashes: string): string {
  const rows: [string, string][] = [
    ['Type', f.type.toLowerCase()],
    ['Default', defaultText(f)],
  ];
  const valid = validValues(f);
  if (valid !== '') rows.push(['Valid values', valid]);
  rows.push(['Importance', f.importance.toLowerCase()]);
  if (f.since !== undefined) rows.push(['Since', f.since]);
  if (f.deprecated) rows.push(['Deprecated', typeof f.deprecated === 'string' ? f.deprecated : 'yes']);
  const lines = [`${hashes} \`${name}\``, '', f.doc, '', '| | |', '|---|---|'];
  for (const [k, v] of rows) lines.push(`| ${k} | ${v.replace(/\|/g, '\\|')} |`);
  return lines.join('\n');
}

export function specToMarkdown(
  fields: Readonly<Record<string, ConfigField<unknown>>>,
  groups: readonly string[],
  options: MarkdownOptions,
): string {
  const level = options.headingLevel ?? 2;
  const sections: string[] = [];
  if (options.title !== undefined) sections.push(`${'#'.repeat(level)} ${options.title}`);
  const names = Object.keys(fields);
  const ungrouped = names.filter((n) => fields[n].group === null);
  const grouped = groups.length > 0;
  const groupHashes = '#'.repeat(level + 1);
  const keyHashes = '#'.repeat(grouped ? level + 2 : level + 1);
  for (const group of groups) {
    sections.push(`${groupHashes} ${group}`);
    const members = names.filter((n) => fields[n].group === group)
      .sort((a, b) => (fields[a].orderInGroup ?? 0) - (fields[b].orderInGroup ?? 0));
    for (const name of members) sections.push(keyEntry(name, fields[name], keyHashes));
  }
  if (ungrouped.length > 0 && grouped) sections.push(`${groupHashes} Other`);
  for (const name of ungrouped) sections.push(keyEntry(name, fields[name], keyHashes));
  return `${sections.join('\n\n')}\n`;
}
