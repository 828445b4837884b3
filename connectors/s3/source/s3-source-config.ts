/**
 * Keys of the S3 source (backup-and-restore mode): the bucket and layout keys it shares with
 * the sink, which topics to restore and under which names, and how often to look for new
 * objects. Formats are recognised from object names (.json, .bin or format.bytearray.extension,
 * .gz, .avro, .<codec>.parquet), so the sink's format.class need not be repeated.
 */
import { defineConfig, int, list, long, string, validators, type ParsedConfig } from '../../sdk/config/config-spec.js';
import { s3ConnectionFields } from '../storage/s3-connection-config.js';

const RESTORE = 'Restore';
/** Task configs carry the topics a task restores under this key (set by the connector). */
export const TASK_TOPICS_KEY = 'task.topics';
export const TOPIC_PLACEHOLDER = '${topic}';

export const s3SourceSpec = defineConfig({
  ...s3ConnectionFields,
  'topics': list({
    doc: 'The backed-up topics to restore (folders under topics.dir). Empty: every topic folder found.',
    default: [], importance: 'HIGH', group: RESTORE, omitEmpty: true,
  }),
  'topic.rename.format': string({
    doc: 'The topic each record is written to, where ${topic} stands for the topic it was backed up from, '
      + 'e.g. ${topic}.restored. A RegexRouter transform can rename as well.',
    default: TOPIC_PLACEHOLDER, importance: 'MEDIUM', group: RESTORE, validator: validators.nonEmptyString(),
  }),
  'batch.size': int({
    doc: 'The most records one poll returns.',
    default: 1000, importance: 'LOW', group: RESTORE, validator: validators.atLeast(1),
  }),
  's3.poll.interval.ms': long({
    doc: 'Once every object found was restored, how often the bucket is listed again for new objects (and the '
      + 'connector for new topic folders).',
    default: 10000, importance: 'LOW', group: RESTORE, validator: validators.atLeast(1),
  }),
  [TASK_TOPICS_KEY]: list({
    doc: 'Internal: the topics one task restores, set by the connector in task configs.',
    default: [], importance: 'LOW', group: RESTORE, omitEmpty: true,
  }),
});

export type S3SourceConfig = ParsedConfig<typeof s3SourceSpec>;
