/**
 * Keys of the file source: Kafka's FileStreamSourceConnector keys (`file`, `topic`, `batch.size`)
 * with Kafka's defaults, plus ferry's tail keys under `file.*`.
 */
import { choice, defineConfig, int, long, string, validators, type ParsedConfig } from '../sdk/config/config-spec.js';

export const fileSourceSpec = defineConfig({
  'file': string({
    doc: 'Path of the file to read. Its source offsets are exact positions, so a file supports exactly-once delivery '
      + '(exactly.once.support=required on a worker with exactly.once.source.support=enabled). Unset or empty reads '
      + 'standard input, whose position is not tracked, so it cannot be exactly once.',
    default: null, importance: 'HIGH',
  }),
  'topic': string({
    doc: 'The topic every line is published to.',
    importance: 'HIGH', validator: validators.nonEmptyString(),
  }),
  'batch.size': int({
    doc: 'The most records one poll returns.',
    default: 2000, importance: 'LOW', validator: validators.atLeast(1),
  }),
  'file.start': choice({
    doc: 'Where reading starts when no offset is stored for the file: "beginning" reads its existing content, '
      + '"end" only lines appended after the task started. A file that appears after the task started, or replaces '
      + 'a rotated one, is always read from its beginning.',
    values: ['beginning', 'end'], caseInsensitive: true, default: 'beginning', importance: 'MEDIUM',
  }),
  'file.format': choice({
    doc: 'How a line becomes a record value: "lines" publishes the line as a STRING value; "json" parses the line '
      + 'as JSON into a schemaless value (objects become Maps). A line that is not valid JSON fails as a data error '
      + 'carrying the line, which error tolerance handles.',
    values: ['lines', 'json'], caseInsensitive: true, default: 'lines', importance: 'MEDIUM',
  }),
  'file.poll.interval.ms': long({
    doc: 'How long one poll waits for a new complete line before returning no records. Changes to the file wake '
      + 'it earlier where the file system reports them.',
    default: 1000, importance: 'LOW', validator: validators.atLeast(0),
  }),
  'file.encoding': choice({
    doc: 'Character encoding of the file. Lines are split on byte values, so only ASCII-compatible encodings are offered.',
    values: ['utf8', 'latin1'], caseInsensitive: true, default: 'utf8', importance: 'LOW',
  }),
});

export type FileSourceConfig = ParsedConfig<typeof fileSourceSpec>;
