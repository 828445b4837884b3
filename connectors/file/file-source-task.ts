/**
 * Kafka's FileStreamSourceTask, made into a real tail source: every complete line of the file
 * (or of stdin when `file` is unset) becomes one record.
 *
 * Records and offsets are Kafka's: source partition `{ filename: <file as configured> }`, source
 * offset `{ position: <byte offset just after the line's terminator> }` (null for stdin), key null
 * without schema, value the line under Schema.STRING_SCHEMA, partition left to the producer,
 * timestamp the wall clock. Kafka counts characters where ferry counts bytes; both agree on
 * ASCII, and Kafka itself seeks by bytes on restart.
 *
 * Under file.format=json the value is the parsed line, schemaless: objects as Maps, arrays as
 * arrays (integers beyond 2^53 lose precision, as JSON.parse reads them). Blank lines are skipped.
 * A line that is not JSON becomes an InvalidLineError: lines before it in the same poll are
 * returned first and the error is thrown by the next poll, already past the bad line.
 *
 * `poll` returns as soon as it has any lines (up to batch.size); with none it waits up to
 * file.poll.interval.ms for the file to change and returns [] when nothing complete arrived.
 */
import type { Readable } from 'node:stream';
import type { ConnectHeader, SourcePartition, SourceRecord } from '../sdk/connect-record.js';
import type { RawConfig } from '../sdk/connector.js';
import { Schema } from '../sdk/data/schema.js';
import { ConnectError } from '../sdk/errors.js';
import type { SourceTask, SourceTaskContext } from '../sdk/source-task.js';
import { fileSourceSpec } from './file-source-config.js';
import { FileTailer } from './file-tailer.js';
import { InvalidLineError } from './invalid-line-error.js';
import type { LineHandler, LineReader } from './line-reader.js';
import { StreamLineReader } from './stream-line-reader.js';

const NO_HEADERS: readonly ConnectHeader[] = Object.freeze([]);

export interface FileStreamSourceTaskOptions {
  /** The stream read when `file` is unset; process.stdin by default. */
  readonly stdin?: Readable;
}

export class FileStreamSourceTask implements SourceTask {
  readonly #stdin: Readable | undefined;
  #reader: LineReader | null = null;
  #topic = '';
  #batchSize = 0;
  #pollIntervalMs = 0;
  #partition: SourcePartition = Object.freeze({ filename: null });
  #handle: LineHandler = () => false;
  #out: SourceRecord[] = [];
  #now = 0;
  #pendingError: Error | null = null;

  constructor(options: FileStreamSourceTaskOptions = {}) {
    this.#stdin = options.stdin;
  }

  async start(raw: RawConfig, context: SourceTaskContext): Promise<void> {
    const config = fileSourceSpec.parse(raw);
    this.#topic = config.topic;
    this.#batchSize = config.batchSize;
    this.#pollIntervalMs = config.filePollIntervalMs;
    const filename = config.file === null || config.file === '' ? null : config.file;
    this.#partition = Object.freeze({ filename });
    this.#handle = config.fileFormat === 'json' ? this.#addJson : this.#addLine;
    if (filename === null) {
      this.#reader = new StreamLineReader(this.#stdin ?? process.stdin, config.fileEncoding);
      context.logger.info('Reading lines from standard input; positions are not tracked');
      return;
    }
    const stored = await storedPosition(context, this.#partition);
    this.#reader = new FileTailer({
      path: filename,
      encoding: config.fileEncoding,
      start: stored ?? (config.fileStart === 'end' ? 'end' : 0),
      logger: context.logger,
    });
  }

  async poll(signal: AbortSignal): Promise<SourceRecord[]> {
    const reader = this.#reader;
    if (reader === null) throw new ConnectError('The file source task is not running');
    this.#throwPendingError();
    const out: SourceRecord[] = [];
    this.#out = out;
    const deadline = performance.now() + this.#pollIntervalMs;
    for (;;) {
      this.#now = Date.now();
      await reader.readLines(this.#batchSize - out.length, this.#handle);
      if (out.length > 0 || this.#pendingError !== null || signal.aborted) break;
      const left = deadline - performance.now();
      if (left <= 0) break;
      await reader.waitForData(left, signal);
    }
    this.#out = [];
    if (out.length === 0) this.#throwPendingError();
    return out;
  }

  async stop(): Promise<void> {
    const reader = this.#reader;
    this.#reader = null;
    await reader?.close();
  }

  readonly #addLine: LineHandler = (line, endOffset) => {
    this.#out.push(this.#record(Schema.STRING_SCHEMA, line, endOffset));
    return true;
  };

  readonly #addJson: LineHandler = (line, endOffset) => {
    if (line.trim() === '') return true;
    let value: unknown;
    try {
      value = JSON.parse(line, objectsAsMaps);
    } catch (err) {
      this.#pendingError = new InvalidLineError(`Line is not valid JSON (${(err as Error).message})`, {
        line, sourcePartition: this.#partition, sourceOffset: { position: endOffset }, cause: err,
      });
      return false;
    }
    this.#out.push(this.#record(null, value, endOffset));
    return true;
  };

  #record(valueSchema: Schema | null, value: unknown, endOffset: number | null): SourceRecord {
    return {
      topic: this.#topic,
      kafkaPartition: null,
      keySchema: null,
      key: null,
      valueSchema,
      value,
      timestamp: this.#now,
      headers: NO_HEADERS,
      sourcePartition: this.#partition,
      sourceOffset: { position: endOffset },
    };
  }

  #throwPendingError(): void {
    const error = this.#pendingError;
    if (error === null) return;
    this.#pendingError = null;
    throw error;
  }
}

async function storedPosition(context: SourceTaskContext, partition: SourcePartition): Promise<number | null> {
  const stored = await context.offsets.offsets([partition]);
  const offset = stored.get(partition) ?? stored.values().next().value;
  const position = offset?.position;
  if (position === undefined || position === null) return null;
  if (typeof position !== 'number' || !Number.isSafeInteger(position) || position < 0) {
    throw new ConnectError(`Offset position is the incorrect type: expected a non-negative integer, got ${JSON.stringify(position)}`);
  }
  return position;
}

function objectsAsMaps(_key: string, value: unknown): unknown {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? new Map(Object.entries(value)) : value;
}
