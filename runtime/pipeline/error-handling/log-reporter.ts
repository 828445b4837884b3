/**
 * Logs each failure the error handler reports (errors.log.enable; Kafka's LogReporter), at
 * error level with the error attached as `err`:
 *
 *   Error encountered in task my-sink-0. Executing stage 'VALUE_CONVERTER' with class
 *   'org.apache.kafka.connect.json.JsonConverter', where consumed record is {topic='orders',
 *   partition=0, offset=41, timestamp=1700000000000, timestampType=CreateTime, key="k1",
 *   value="{not json", headers=[trace-id="abc"]}.
 *
 * The record part appears only with errors.log.include.messages. Unlike Kafka, which prints
 * only a consumed record's coordinates, ferry also prints its key, value and headers: bytes
 * that are UTF-8 text without control characters (tab, CR, LF allowed) as a JSON string,
 * other bytes as `base64:<data>`, absent ones as null. A source record's data is printed as
 * Connect values (displayString).
 */
import type { TaskLogger } from '../../../connectors/sdk/task-logger.js';
import { displayString } from '../../../connectors/sdk/data/display-string.js';
import type { RecordHeader } from '../../kafka/kafka-client.js';
import type { TaskId } from '../../stores/task-id.js';
import type { ErrorHandlingMetrics } from './error-metrics.js';
import type { ErrorReporter, ProcessingFailure } from './error-reporter.js';
import type { RecordContext } from './record-context.js';

export interface LogReporterOptions {
  readonly taskId: TaskId;
  readonly logger: TaskLogger;
  /** errors.log.include.messages */
  readonly includeMessages: boolean;
  readonly metrics: ErrorHandlingMetrics;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f) return true;
  }
  return false;
}

export function bytesText(bytes: Buffer | null): string {
  if (bytes === null) return 'null';
  try {
    const text = utf8.decode(bytes);
    if (!hasControlCharacter(text)) return JSON.stringify(text);
  } catch {
    // not UTF-8
  }
  return `base64:${bytes.toString('base64')}`;
}

function headersText(headers: readonly { key: string; text: string }[]): string {
  return `[${headers.map((h) => `${h.key}=${h.text}`).join(', ')}]`;
}

function rawHeadersText(headers: readonly RecordHeader[]): string {
  return headersText(headers.map((h) => ({ key: h.key, text: bytesText(h.value) })));
}

function mapText(map: Readonly<Record<string, unknown>>): string {
  return displayString(new Map(Object.entries(map)));
}

export function recordText(context: RecordContext): string {
  if (context.kind === 'consumed') {
    const r = context.record;
    return `consumed record is {topic='${r.topic}', partition=${r.partition}, offset=${r.offset}, `
      + `timestamp=${r.timestamp}, timestampType=${r.timestampType}, key=${bytesText(r.key)}, `
      + `value=${bytesText(r.value)}, headers=${rawHeadersText(r.headers)}}`;
  }
  const r = context.record;
  const headers = headersText(r.headers.map((h) => ({ key: h.key, text: displayString(h.value, h.schema) })));
  return `source record is {topic='${r.topic}', kafkaPartition=${r.kafkaPartition ?? 'null'}, `
    + `sourcePartition=${mapText(r.sourcePartition)}, sourceOffset=${mapText(r.sourceOffset)}, `
    + `timestamp=${r.timestamp ?? 'null'}, key=${displayString(r.key, r.keySchema)}, `
    + `value=${displayString(r.value, r.valueSchema)}, headers=${headers}}`;
}

/** The log line for one failure, without the error itself (that goes in the `err` field). */
export function failureMessage(taskId: TaskId, failure: ProcessingFailure, includeMessages: boolean): string {
  const where = includeMessages && failure.record !== undefined ? `, where ${recordText(failure.record)}` : '';
  return `Error encountered in task ${taskId.connector}-${taskId.task}. `
    + `Executing stage '${failure.stage}' with class '${failure.className}'${where}.`;
}

export class LogReporter implements ErrorReporter {
  readonly #options: LogReporterOptions;

  constructor(options: LogReporterOptions) {
    this.#options = options;
  }

  async report(failure: ProcessingFailure): Promise<void> {
    const { taskId, logger, includeMessages, metrics } = this.#options;
    logger.error({
      err: failure.error,
      connector: taskId.connector,
      task: taskId.task,
      stage: failure.stage,
      class: failure.className,
      attempts: failure.attempts,
    }, failureMessage(taskId, failure, includeMessages));
    metrics.recordErrorLogged();
  }
}
