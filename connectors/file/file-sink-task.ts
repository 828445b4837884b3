/**
 * Kafka's FileStreamSinkTask: each record's value is appended to the file as one line
 * (rendered per file.format, see value-line.ts), or written to stdout when `file` is unset.
 *
 * Durability: `put` encodes a batch into one Buffer and writes it at once, so lines appear
 * in the file as they arrive, as with Kafka's sink; `flush` writes anything a failed write
 * left and fdatasyncs, so the offsets committed after a flush only cover lines on disk. A failed write keeps the unwritten bytes:
 * `put` only logs it (throwing would make the runtime hand the same batch again and duplicate
 * it) and `flush` throws a RetriableError, and the next write resumes at the first unwritten byte.
 */
import type { Writable } from 'node:stream';
import type { SinkRecord } from '../sdk/connect-record.js';
import type { RawConfig } from '../sdk/connector.js';
import { ConnectError, RetriableError } from '../sdk/errors.js';
import type { PartitionOffsets, SinkTask, SinkTaskContext } from '../sdk/sink-task.js';
import type { TaskLogger } from '../sdk/task-logger.js';
import { fileSinkSpec } from './file-sink-config.js';
import { FileOutput, StreamOutput, type LineOutput } from './line-output.js';
import { renderLine, type LineFormat } from './value-line.js';

const NEWLINE = Buffer.from('\n');

export interface FileStreamSinkTaskOptions {
  /** The stream written when `file` is unset; process.stdout by default. */
  readonly stdout?: Writable;
}

export class FileStreamSinkTask implements SinkTask {
  readonly #stdout: Writable | undefined;
  #output: LineOutput | null = null;
  #format: LineFormat = 'lines';
  #target = 'stdout';
  #logger: TaskLogger | null = null;
  readonly #pending: Buffer[] = [];

  constructor(options: FileStreamSinkTaskOptions = {}) {
    this.#stdout = options.stdout;
  }

  async start(raw: RawConfig, context: SinkTaskContext): Promise<void> {
    const config = fileSinkSpec.parse(raw);
    this.#format = config.fileFormat;
    this.#logger = context.logger;
    if (config.file === null || config.file === '') {
      this.#output = new StreamOutput(this.#stdout ?? process.stdout);
      return;
    }
    this.#target = config.file;
    try {
      this.#output = await FileOutput.open(config.file);
    } catch (err) {
      throw new ConnectError(`Cannot open ${config.file} for appending: ${(err as Error).message}`, { cause: err });
    }
  }

  async put(records: readonly SinkRecord[]): Promise<void> {
    if (records.length === 0) return;
    const batch = this.#encode(records);
    this.#pending.push(batch);
    try {
      await this.#writePending();
    } catch (err) {
      this.#logger?.warn({ file: this.#target, err }, 'Writing records failed; the next flush retries');
    }
  }

  async flush(_currentOffsets: PartitionOffsets): Promise<void> {
    const output = this.#requireOutput();
    try {
      await this.#writePending();
      await output.sync();
    } catch (err) {
      throw new RetriableError(`Writing to ${this.#target} failed: ${(err as Error).message}`, { cause: err });
    }
  }

  async stop(): Promise<void> {
    const output = this.#output;
    if (output === null) return;
    try {
      await this.#writePending();
    } finally {
      this.#output = null;
      await output.close();
    }
  }

  #encode(records: readonly SinkRecord[]): Buffer {
    const parts: Buffer[] = [];
    let text = '';
    for (const record of records) {
      const line = renderLine(record.value, record.valueSchema, this.#format);
      if (typeof line === 'string') {
        text += `${line}\n`;
      } else {
        if (text !== '') parts.push(Buffer.from(text));
        text = '';
        parts.push(Buffer.from(line.buffer, line.byteOffset, line.byteLength), NEWLINE);
      }
    }
    if (parts.length === 0) return Buffer.from(text);
    if (text !== '') parts.push(Buffer.from(text));
    return Buffer.concat(parts);
  }

  async #writePending(): Promise<void> {
    const output = this.#requireOutput();
    const pending = this.#pending;
    if (pending.length === 0) return;
    const data = pending.length === 1 ? pending[0] : Buffer.concat(pending);
    pending.length = 0;
    pending.push(data);
    let written = 0;
    try {
      await output.write(data, (bytes) => {
        written += bytes;
      });
    } finally {
      pending.length = 0;
      if (written < data.length) pending.push(data.subarray(written));
    }
  }

  #requireOutput(): LineOutput {
    if (this.#output === null) throw new ConnectError('The file sink task is not started');
    return this.#output;
  }
}
