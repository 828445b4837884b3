/**
 * Where in a task's pipeline an operation failed (Kafka Connect's `Stage` enum). The names are
 * Kafka's and are written verbatim into the `__connect.errors.stage` dead-letter-queue header.
 */
export const STAGES = [
  'TASK_POLL',
  'TASK_PUT',
  'TRANSFORMATION',
  'KEY_CONVERTER',
  'VALUE_CONVERTER',
  'HEADER_CONVERTER',
  'KAFKA_PRODUCE',
  'KAFKA_CONSUME',
] as const;

export type Stage = (typeof STAGES)[number];

const RECORD_STAGES: ReadonlySet<Stage> = new Set(['TRANSFORMATION', 'KEY_CONVERTER', 'VALUE_CONVERTER', 'HEADER_CONVERTER']);

/**
 * Whether `errors.tolerance=all` may skip any failure of the stage. Converters and transforms
 * work on one record, so every failure there is tolerable; elsewhere (poll, put, produce,
 * consume) only a retriable failure whose retries ran out is, as in Kafka.
 */
export function toleratesAnyError(stage: Stage): boolean {
  return RECORD_STAGES.has(stage);
}
