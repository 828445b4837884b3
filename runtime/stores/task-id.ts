/** Identifies one task of a connector; `task` is its index, 0 to task count - 1. */
export interface TaskId {
  readonly connector: string;
  readonly task: number;
}
