/** Plain-text tables for terminals: left-aligned columns two spaces apart, no trailing blanks. */

const COLUMN_GAP = '  ';

function oneLine(cell: string): string {
  return cell.replace(/\s*[\r\n]+\s*/g, ' ');
}

export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const lines = [header, ...rows].map((row) => row.map(oneLine));
  const widths = header.map((_, column) => Math.max(...lines.map((row) => (row[column] ?? '').length)));
  return lines
    .map((row) => widths.map((width, column) => (row[column] ?? '').padEnd(width)).join(COLUMN_GAP).trimEnd())
    .join('\n') + '\n';
}

/** `Label:  value` lines with the values aligned. */
export function formatFields(fields: readonly (readonly [string, string])[]): string {
  const width = Math.max(...fields.map(([label]) => label.length + 1));
  return fields.map(([label, value]) => `${`${label}:`.padEnd(width)}  ${oneLine(value)}`.trimEnd()).join('\n') + '\n';
}
