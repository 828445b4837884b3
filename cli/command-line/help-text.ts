/** The text of `--help` and of the usage lines that follow a usage mistake, from a declaration. */
import type { Command, CommandGroup, OptionSpec, OptionSpecs } from './command-spec.js';
import { BUILT_IN_OPTIONS, positionalPlaceholder, valuePlaceholder } from './parse-arguments.js';

const WIDTH = 100;

/** `Usage: ferry broker [options]` and any further usage lines, aligned under the first. */
export function usageLines(commandPath: string, entry: Command | CommandGroup): string {
  const lines = entry.usage ?? [entry.kind === 'group' ? '<command> [options]' : generatedUsage(entry)];
  const first = `Usage: ${commandPath} `;
  return `${lines.map((line, i) => (i === 0 ? first : ' '.repeat(first.length)) + line).join('\n')}\n`;
}

function generatedUsage(command: Command): string {
  const required = Object.entries(command.options).filter(([, s]) => s.required && s.type !== 'boolean');
  const parts = required.map(([name, spec]) => `--${name} ${valuePlaceholder(name, spec)}`);
  if (Object.keys(command.options).length > required.length) parts.push('[options]');
  for (const p of command.positionals) {
    const word = positionalPlaceholder(p) + (p.variadic ? '...' : '');
    parts.push(p.optional ? `[${word}]` : word);
  }
  return parts.join(' ');
}

export function commandHelp(commandPath: string, command: Command): string {
  const sections = [usageLines(commandPath, command)];
  if (command.description) sections.push(`${command.description.trimEnd()}\n`);
  if (command.positionals.length > 0) {
    sections.push(`Arguments:\n${table(command.positionals.map((p) => [positionalPlaceholder(p), p.description]))}`);
  }
  sections.push(`Options:\n${optionTable({ ...command.options, ...BUILT_IN_OPTIONS })}`);
  return sections.join('\n');
}

export function groupHelp(commandPath: string, group: CommandGroup): string {
  const sections = [usageLines(commandPath, group)];
  if (group.description) sections.push(`${group.description.trimEnd()}\n`);
  sections.push(`Commands:\n${table(group.commands.map((c) => [c.name, c.summary]))}`);
  const own: OptionSpecs = group.version === undefined ? BUILT_IN_OPTIONS
    : { version: { type: 'boolean', short: 'V', description: 'print the version' }, ...BUILT_IN_OPTIONS };
  sections.push(`Options:\n${optionTable(own)}`);
  sections.push(`Run '${commandPath} <command> --help' for a command's arguments and options.\n`);
  if (group.epilogue) sections.push(`${group.epilogue.trimEnd()}\n`);
  return sections.join('\n');
}

function optionTable(options: OptionSpecs): string {
  return table(Object.entries(options).map(([name, spec]) => [optionSynopsis(name, spec), optionDescription(spec)]));
}

function optionSynopsis(name: string, spec: OptionSpec): string {
  const long = spec.type === 'boolean' ? `--${name}` : `--${name} ${valuePlaceholder(name, spec)}`;
  return spec.short ? `-${spec.short}, ${long}` : `    ${long}`;
}

function optionDescription(spec: OptionSpec): string {
  const notes: string[] = [];
  if (spec.choices && !spec.description.includes(spec.choices.join(', '))) notes.push(`one of ${spec.choices.join(', ')}`);
  if (spec.type === 'repeated') notes.push('repeatable');
  if (spec.required) notes.push('required');
  const fallback = spec.default === undefined ? undefined : String(spec.default);
  if (spec.defaultDescription !== undefined) notes.push(`default: ${spec.defaultDescription}`);
  else if (spec.env !== undefined) notes.push(`default: $${spec.env}${fallback === undefined ? '' : `, else ${fallback}`}`);
  else if (fallback !== undefined) notes.push(`default: ${fallback}`);
  return notes.length === 0 ? spec.description : `${spec.description} (${notes.join('; ')})`;
}

/** Two columns, the second wrapped at WIDTH and aligned. */
function table(rows: readonly (readonly [string, string])[]): string {
  const left = Math.min(Math.max(...rows.map(([a]) => a.length)) + 2, 34);
  return rows.map(([a, b]) => {
    const pad = a.length + 2 > left ? `\n${' '.repeat(left + 2)}` : ' '.repeat(left - a.length);
    return `  ${a}${pad}${wrap(b, WIDTH - left - 2).join(`\n${' '.repeat(left + 2)}`)}\n`;
  }).join('');
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  lines.push(line);
  return lines;
}
