/**
 * A line the source could not turn into a record (e.g. not JSON under file.format=json). It is a
 * DataError, so error tolerance decides whether the task fails or skips it; it carries the line
 * and the source partition/offset just past it, for logs and dead-letter reporting. The reader
 * has already moved past the line when this is thrown.
 */
import type { SourceOffset, SourcePartition } from '../sdk/connect-record.js';
import { DataError } from '../sdk/errors.js';

export interface InvalidLineErrorOptions {
  readonly line: string;
  readonly sourcePartition: SourcePartition;
  readonly sourceOffset: SourceOffset;
  readonly cause?: unknown;
}

const PREVIEW_CHARS = 200;

export class InvalidLineError extends DataError {
  override readonly name: string = 'InvalidLineError';
  readonly line: string;
  readonly sourcePartition: SourcePartition;
  readonly sourceOffset: SourceOffset;

  constructor(reason: string, options: InvalidLineErrorOptions) {
    const preview = options.line.length > PREVIEW_CHARS ? `${options.line.slice(0, PREVIEW_CHARS)}...` : options.line;
    super(`${reason}: ${preview}`, { cause: options.cause });
    this.line = options.line;
    this.sourcePartition = options.sourcePartition;
    this.sourceOffset = options.sourceOffset;
  }
}
