/**
 * A set of connector instances and tasks (Kafka Connect's ConnectorsAndTasks), with the set
 * operations rebalancing needs. Values are immutable; operations return new sets and keep the
 * order of their first argument.
 */

export interface TaskId {
  readonly connector: string;
  readonly task: number;
}

export interface WorkSet {
  readonly connectors: readonly string[];
  readonly tasks: readonly TaskId[];
}

export const EMPTY_WORK: WorkSet = Object.freeze({ connectors: Object.freeze([]), tasks: Object.freeze([]) });

const taskKey = (t: TaskId) => `${t.connector}\u0000${t.task}`;

export function workSize(work: WorkSet): number {
  return work.connectors.length + work.tasks.length;
}

export function isEmptyWork(work: WorkSet): boolean {
  return workSize(work) === 0;
}

export function unionWork(a: WorkSet, b: WorkSet): WorkSet {
  const seen = new Set<string>();
  const tasks: TaskId[] = [];
  for (const t of [...a.tasks, ...b.tasks]) {
    const key = taskKey(t);
    if (seen.has(key)) continue;
    seen.add(key);
    tasks.push(t);
  }
  return { connectors: [...new Set([...a.connectors, ...b.connectors])], tasks };
}

export function subtractWork(a: WorkSet, b: WorkSet): WorkSet {
  const connectors = new Set(b.connectors);
  const tasks = new Set(b.tasks.map(taskKey));
  return { connectors: a.connectors.filter((c) => !connectors.has(c)), tasks: a.tasks.filter((t) => !tasks.has(taskKey(t))) };
}

export function intersectWork(a: WorkSet, b: WorkSet): WorkSet {
  const connectors = new Set(b.connectors);
  const tasks = new Set(b.tasks.map(taskKey));
  return { connectors: a.connectors.filter((c) => connectors.has(c)), tasks: a.tasks.filter((t) => tasks.has(taskKey(t))) };
}
