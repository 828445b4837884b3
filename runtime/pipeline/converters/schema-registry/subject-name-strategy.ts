/**
 * Subject name strategies, by the class names users configure in `key.subject.name.strategy` /
 * `value.subject.name.strategy` (package `io.confluent.kafka.serializers.subject`; the simple
 * class name is accepted too):
 *
 *   TopicNameStrategy        <topic>-key / <topic>-value (the default)
 *   RecordNameStrategy       the record's full name
 *   TopicRecordNameStrategy  <topic>-<record full name>
 *
 * `AssociatedNameStrategy` (the default of the newest Confluent clients) asks the registry for a
 * topic association and falls back to TopicNameStrategy when there is none; ferry's registry has
 * no associations, so it is accepted and behaves as TopicNameStrategy.
 */
import { DataError } from '../../../../connectors/sdk/errors.js';

export const SUBJECT_STRATEGY_PACKAGE = 'io.confluent.kafka.serializers.subject';
export const TOPIC_NAME_STRATEGY = `${SUBJECT_STRATEGY_PACKAGE}.TopicNameStrategy`;

/** The subject for a topic and the record's full name (null when the schema has none). */
export type SubjectNameStrategy = (topic: string, isKey: boolean, recordName: string | null) => string;

const topicName: SubjectNameStrategy = (topic, isKey) => `${topic}-${isKey ? 'key' : 'value'}`;

function requireRecordName(recordName: string | null, strategy: string): string {
  if (recordName === null) throw new DataError(`${strategy} needs a named record schema, and this schema has no record name`);
  return recordName;
}

const STRATEGIES: Readonly<Record<string, SubjectNameStrategy>> = {
  TopicNameStrategy: topicName,
  AssociatedNameStrategy: topicName,
  RecordNameStrategy: (_topic, _isKey, recordName) => requireRecordName(recordName, 'RecordNameStrategy'),
  TopicRecordNameStrategy: (topic, _isKey, recordName) => `${topic}-${requireRecordName(recordName, 'TopicRecordNameStrategy')}`,
};

export const SUBJECT_NAME_STRATEGIES: readonly string[] = Object.keys(STRATEGIES).map((s) => `${SUBJECT_STRATEGY_PACKAGE}.${s}`);

/** The strategy a class name names, or undefined. */
export function subjectNameStrategy(className: string): SubjectNameStrategy | undefined {
  const trimmed = className.trim();
  const simple = trimmed.startsWith(`${SUBJECT_STRATEGY_PACKAGE}.`) ? trimmed.slice(SUBJECT_STRATEGY_PACKAGE.length + 1) : trimmed;
  return Object.hasOwn(STRATEGIES, simple) ? STRATEGIES[simple] : undefined;
}
