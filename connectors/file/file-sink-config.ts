/** Keys of the file sink: Kafka's FileStreamSinkConnector `file` plus ferry's `file.format`. */
import { choice, defineConfig, string, type ParsedConfig } from '../sdk/config/config-spec.js';

export const fileSinkSpec = defineConfig({
  'file': string({
    doc: 'Path of the file lines are appended to (created when missing). Unset or empty writes to standard output.',
    default: null, importance: 'HIGH',
  }),
  'file.format': choice({
    doc: 'How a record value becomes a line: "lines" writes it as Kafka\'s FileStreamSink does (strings as they are, '
      + 'bytes raw, structs, maps and lists in Java\'s toString form, null as "null"); "json" writes it as one JSON '
      + 'document (bytes as base64, structs as objects), which a file source with file.format=json reads back.',
    values: ['lines', 'json'], caseInsensitive: true, default: 'lines', importance: 'MEDIUM',
  }),
});

export type FileSinkConfig = ParsedConfig<typeof fileSinkSpec>;
