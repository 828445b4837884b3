/**
 * What the console shows about a connector at a glance, derived from its status and info:
 * one holistic state folded from the connector's and its tasks' states (as Redpanda Console
 * does, so a RUNNING connector whose tasks failed is not shown as fine), task counts, topics
 * from its config, and its class's short name. Pure functions, no REST calls.
 */
import type { ConnectorExpanded, ConnectorInfo, ConnectorStatus, ConnectorType } from './types.js';

export type HolisticState = 'HEALTHY' | 'DEGRADED' | 'UNHEALTHY' | 'PAUSED' | 'STOPPED' | 'RESTARTING' | 'UNASSIGNED' | 'DESTROYED' | 'UNKNOWN';

export interface Holistic {
  state: HolisticState;
  /** Why, in a sentence ("1 of 2 tasks failed"). */
  reason: string;
}

export function holisticState(status: ConnectorStatus | undefined): Holistic {
  if (!status) return { state: 'UNKNOWN', reason: 'No status reported yet' };
  const connectorState = status.connector.state;
  const tasks = status.tasks;
  const failed = tasks.filter((task) => task.state === 'FAILED').length;
  const running = tasks.filter((task) => task.state === 'RUNNING').length;
  switch (connectorState) {
    case 'FAILED':
      return { state: 'UNHEALTHY', reason: 'The connector failed' };
    case 'PAUSED':
      return { state: 'PAUSED', reason: 'Paused' };
    case 'STOPPED':
      return { state: 'STOPPED', reason: 'Stopped: no tasks run until it is resumed' };
    case 'RESTARTING':
      return { state: 'RESTARTING', reason: 'The connector is restarting' };
    case 'UNASSIGNED':
      return { state: 'UNASSIGNED', reason: 'Not assigned to a worker yet' };
    case 'DESTROYED':
      return { state: 'DESTROYED', reason: 'Deleted' };
    case 'RUNNING':
      break;
    default:
      return { state: 'UNKNOWN', reason: `Connector state ${String(connectorState)}` };
  }
  if (tasks.length === 0) return { state: 'UNHEALTHY', reason: 'Running with no tasks' };
  if (failed === tasks.length) return { state: 'UNHEALTHY', reason: tasks.length === 1 ? 'Its task failed' : `All ${tasks.length} tasks failed` };
  if (failed > 0) return { state: 'DEGRADED', reason: `${failed} of ${tasks.length} tasks failed` };
  if (running === tasks.length) return { state: 'HEALTHY', reason: `All ${tasks.length} ${tasks.length === 1 ? 'task' : 'tasks'} running` };
  if (tasks.some((task) => task.state === 'RESTARTING')) return { state: 'RESTARTING', reason: 'Tasks are restarting' };
  if (tasks.some((task) => task.state === 'UNASSIGNED')) return { state: 'UNASSIGNED', reason: `${tasks.length - running} of ${tasks.length} tasks not assigned yet` };
  return { state: 'DEGRADED', reason: `${running} of ${tasks.length} tasks running` };
}

/** Failures first, then what needs attention, then the rest. */
export const SEVERITY: Record<HolisticState, number> = {
  UNHEALTHY: 0, DEGRADED: 1, UNKNOWN: 2, RESTARTING: 3, UNASSIGNED: 4, PAUSED: 5, STOPPED: 6, DESTROYED: 7, HEALTHY: 8,
};

export function isFailing(state: HolisticState): boolean {
  return state === 'UNHEALTHY' || state === 'DEGRADED';
}

/** "org.apache.kafka.connect.file.FileStreamSinkConnector" → "FileStreamSinkConnector". */
export function shortClass(className: string): string {
  const dot = className.lastIndexOf('.');
  return dot < 0 ? className : className.slice(dot + 1);
}

/** Topics named in a connector's config: `topics` (sinks), `topic` (file source and others); a regex is returned apart. */
export function configuredTopics(info: ConnectorInfo | undefined): { topics: string[]; regex: string | null } {
  const config = info?.config ?? {};
  const list = (config['topics'] ?? config['topic'] ?? '').split(',').map((topic) => topic.trim()).filter((topic) => topic !== '');
  const regex = config['topics.regex']?.trim() || null;
  return { topics: list, regex };
}

export interface ConnectorSummary {
  name: string;
  type: ConnectorType;
  className: string;
  holistic: Holistic;
  tasksTotal: number;
  tasksRunning: number;
  tasksFailed: number;
  workerId: string | null;
  topics: string[];
  topicsRegex: string | null;
  status: ConnectorStatus | undefined;
  info: ConnectorInfo | undefined;
}

export function summarize(name: string, expanded: ConnectorExpanded): ConnectorSummary {
  const { status, info } = expanded;
  const tasks = status?.tasks ?? [];
  const { topics, regex } = configuredTopics(info);
  return {
    name,
    type: status?.type ?? info?.type ?? 'unknown',
    className: info?.config['connector.class'] ?? '',
    holistic: holisticState(status),
    tasksTotal: tasks.length,
    tasksRunning: tasks.filter((task) => task.state === 'RUNNING').length,
    tasksFailed: tasks.filter((task) => task.state === 'FAILED').length,
    workerId: status?.connector.worker_id ?? null,
    topics,
    topicsRegex: regex,
    status,
    info,
  };
}

export function compareBySeverity(a: ConnectorSummary, b: ConnectorSummary): number {
  return SEVERITY[a.holistic.state] - SEVERITY[b.holistic.state] || a.name.localeCompare(b.name);
}
