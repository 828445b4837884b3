/**
 * Human-readable views of Connect REST responses. Missing fields show as `-` rather than
 * failing, so the views work against workers of any version.
 */
import type {
  ConnectorExpansion, ConnectorInfo, ConnectorOffset, ConnectorOffsets, ConnectorStateInfo, TaskState,
} from './connect-entities.js';
import { formatFields, formatTable } from './text-table.js';

const NONE = '-';

/** States in lifecycle order; any other state sorts after these, alphabetically. */
const STATE_ORDER = ['RUNNING', 'PAUSED', 'STOPPED', 'RESTARTING', 'UNASSIGNED', 'FAILED'];

function stateRank(state: string): number {
  const rank = STATE_ORDER.indexOf(state);
  return rank === -1 ? STATE_ORDER.length : rank;
}

function text(value: unknown): string {
  if (value === undefined || value === null || value === '') return NONE;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export function firstLine(trace: string | undefined): string {
  return trace?.trim().split(/\r?\n/, 1)[0]?.trim() ?? '';
}

/** `2 RUNNING, 1 FAILED`; `-` when there are no tasks. */
export function taskCounts(tasks: readonly TaskState[] | undefined): string {
  const counts = new Map<string, number>();
  for (const task of tasks ?? []) {
    const state = task.state ?? 'UNKNOWN';
    counts.set(state, (counts.get(state) ?? 0) + 1);
  }
  if (counts.size === 0) return NONE;
  return [...counts]
    .sort(([a], [b]) => stateRank(a) - stateRank(b) || a.localeCompare(b))
    .map(([state, count]) => `${count} ${state}`)
    .join(', ');
}

/** `GET /connectors?expand=status&expand=info`, or the plain name array of an old worker. */
export function renderConnectorList(body: unknown): string {
  if (Array.isArray(body)) {
    if (body.length === 0) return 'No connectors.\n';
    return formatTable(['NAME'], body.map(String).sort().map((name) => [name]));
  }
  const entries = Object.entries((body ?? {}) as Record<string, ConnectorExpansion>)
    .sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return 'No connectors.\n';
  return formatTable(
    ['NAME', 'TYPE', 'STATE', 'TASKS'],
    entries.map(([name, { status, info }]) => [
      name,
      text(info?.type ?? status?.type),
      text(status?.connector?.state),
      taskCounts(status?.tasks),
    ]),
  );
}

export function renderConnectorInfo(info: ConnectorInfo): string {
  const taskIds = (info.tasks ?? []).map((task) => text(task.task));
  const fields = formatFields([
    ['Name', text(info.name)],
    ['Type', text(info.type)],
    ['Tasks', taskIds.length === 0 ? 'none' : taskIds.join(', ')],
  ]);
  const config = Object.entries(info.config ?? {}).sort(([a], [b]) => a.localeCompare(b));
  if (config.length === 0) return fields;
  return `${fields}\n${formatTable(['CONFIG', 'VALUE'], config.map(([key, value]) => [key, text(value)]))}`;
}

export function renderConnectorStatus(status: ConnectorStateInfo): string {
  const connector = status.connector ?? {};
  const fields: [string, string][] = [
    ['Connector', `${text(status.name)}${status.type ? ` (${status.type})` : ''}`],
    ['State', text(connector.state)],
    ['Worker', text(connector.worker_id)],
  ];
  if (connector.state === 'FAILED' && connector.trace) fields.push(['Trace', firstLine(connector.trace)]);
  const tasks = status.tasks ?? [];
  if (tasks.length === 0) return `${formatFields(fields)}\nNo tasks.\n`;
  const rows = [...tasks]
    .sort((a, b) => (a.id ?? 0) - (b.id ?? 0))
    .map((task) => [
      text(task.id),
      text(task.state),
      text(task.worker_id),
      task.state === 'FAILED' ? firstLine(task.trace) : '',
    ]);
  return `${formatFields(fields)}\n${formatTable(['TASK', 'STATE', 'WORKER', 'TRACE'], rows)}`;
}

function isSinkOffset(entry: ConnectorOffset): boolean {
  const keys = Object.keys(entry.partition ?? {}).sort();
  return keys.length === 2 && keys[0] === 'kafka_partition' && keys[1] === 'kafka_topic';
}

/**
 * Sink connectors' offsets (partition `{kafka_topic, kafka_partition}`) as a topic/partition
 * table; any other connector's free-form partition and offset maps as compact JSON.
 */
export function renderConnectorOffsets(name: string, body: ConnectorOffsets): string {
  const offsets = body.offsets ?? [];
  if (offsets.length === 0) return `No offsets recorded for connector ${name}.\n`;
  if (offsets.every(isSinkOffset)) {
    const rows = offsets
      .map((entry) => ({
        topic: String(entry.partition?.kafka_topic),
        partition: Number(entry.partition?.kafka_partition),
        offset: entry.offset ? text(entry.offset.kafka_offset ?? entry.offset) : NONE,
      }))
      .sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition)
      .map((row) => [row.topic, String(row.partition), row.offset]);
    return formatTable(['TOPIC', 'PARTITION', 'OFFSET'], rows);
  }
  return formatTable(
    ['PARTITION', 'OFFSET'],
    offsets.map((entry) => [text(entry.partition), text(entry.offset)]),
  );
}
