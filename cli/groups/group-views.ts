/** `ferry groups` output: tables for people (columns as kafka-consumer-groups.sh names them), JSON for scripts. */
import { formatFields, formatTable } from '../connectors/text-table.js';
import type { DescribedGroup, ListedGroup } from './group-operations.js';
import type { ResetResult } from './offset-reset.js';

const orDash = (value: number | string | null): string => (value === null || value === '' ? '-' : String(value));

export function groupListTable(groups: readonly ListedGroup[]): string {
  if (groups.length === 0) return 'No groups.\n';
  return formatTable(['GROUP', 'TYPE', 'STATE', 'MEMBERS'], groups.map((g) => [g.group, orDash(g.type), g.state, String(g.members)]));
}

export function groupTable(group: DescribedGroup): string {
  const head = formatFields([
    ['Group', group.group],
    ['State', group.state],
    ['Type', orDash(group.type)],
    ...(group.assignor === '' ? [] : [['Assignor', group.assignor] as const]),
    ['Members', String(group.members.length)],
    ['Total lag', String(group.totalLag)],
  ]);
  const partitions = group.partitions.length === 0
    ? 'No committed offsets or assigned partitions.\n'
    : formatTable(['TOPIC', 'PARTITION', 'CURRENT-OFFSET', 'LOG-END-OFFSET', 'LAG', 'CONSUMER-ID', 'HOST', 'CLIENT-ID'],
      group.partitions.map((p) => [
        p.topic, String(p.partition), orDash(p.committedOffset), orDash(p.endOffset), orDash(p.lag), orDash(p.memberId), orDash(p.host), orDash(p.clientId),
      ]));
  const members = group.members.length === 0
    ? ''
    : `\n${formatTable(['CONSUMER-ID', 'HOST', 'CLIENT-ID', 'PARTITIONS'], group.members.map((m) => [m.memberId, m.host, m.clientId, String(m.partitions)]))}`;
  return `${head}\n${partitions}${members}`;
}

export function resetTable(result: ResetResult): string {
  const table = formatTable(['GROUP', 'TOPIC', 'PARTITION', 'CURRENT-OFFSET', 'NEW-OFFSET'],
    result.offsets.map((o) => [result.group, o.topic, String(o.partition), orDash(o.currentOffset), String(o.newOffset)]));
  const outcome = result.executed
    ? `Committed ${result.offsets.length} offset${result.offsets.length === 1 ? '' : 's'} to group ${result.group}.\n`
    : 'Dry run: nothing was changed. Run again with --execute to commit these offsets.\n';
  return table + outcome;
}

export function json(value: unknown): string {
  return `${JSON.stringify(value)}\n`;
}
