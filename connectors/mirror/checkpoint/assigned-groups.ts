/**
 * The `task.assigned.groups` task config of MirrorCheckpoint tasks: a comma list of consumer
 * group ids (as MirrorMaker's, so a group id containing a comma cannot be assigned).
 */
export const ASSIGNED_GROUPS = 'task.assigned.groups';

export function formatAssignedGroups(groups: readonly string[]): string {
  return groups.join(',');
}

export function parseAssignedGroups(text: string | undefined): string[] {
  if (text === undefined || text.trim() === '') return [];
  return text.split(',').map((g) => g.trim()).filter((g) => g !== '');
}

/** Deals the groups, sorted, round-robin over at most `maxTasks` tasks; no task is left empty. */
export function spreadGroups(groups: readonly string[], maxTasks: number): string[][] {
  const sorted = [...groups].sort();
  const count = Math.min(Math.max(1, maxTasks), sorted.length);
  const tasks: string[][] = Array.from({ length: count }, () => []);
  sorted.forEach((g, i) => tasks[i % count]!.push(g));
  return tasks;
}
