/**
 * The latest checkpoint per (group, remote topic, partition) a checkpoint task knows: loaded from
 * the target's checkpoints topic at start (so checkpoints never go backwards across restarts,
 * KAFKA-15905), then updated with every checkpoint the task emits. Also the source of the offsets
 * written into target groups.
 */
import type { Checkpoint } from '../records/checkpoint.js';

export class CheckpointLedger {
  readonly #byGroup = new Map<string, Map<string, Checkpoint>>();

  get(group: string, topic: string, partition: number): Checkpoint | undefined {
    return this.#byGroup.get(group)?.get(partitionKey(topic, partition));
  }

  put(checkpoint: Checkpoint): void {
    let partitions = this.#byGroup.get(checkpoint.group);
    if (partitions === undefined) {
      partitions = new Map();
      this.#byGroup.set(checkpoint.group, partitions);
    }
    partitions.set(partitionKey(checkpoint.topic, checkpoint.partition), checkpoint);
  }

  /** The group's latest checkpoints, one per partition. */
  group(group: string): Checkpoint[] {
    return [...(this.#byGroup.get(group)?.values() ?? [])];
  }

  groups(): string[] {
    return [...this.#byGroup.keys()];
  }
}

function partitionKey(topic: string, partition: number): string {
  return `${partition}:${topic}`;
}
