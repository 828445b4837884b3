/** What the source task reads lines through: a followed file or a stream such as stdin. */

/**
 * Receives one line (terminator removed) and the stream offset just after its terminator (null
 * when the reader does not track positions). Returning false stops the current `readLines`.
 */
export type LineHandler = (line: string, endOffset: number | null) => boolean;

export interface LineReader {
  /** Hands up to `max` complete lines to `handle` without waiting; resolves to the count handed out. */
  readLines(max: number, handle: LineHandler): Promise<number>;
  /** Waits until new data may be available, at most `ms`, returning early when `signal` aborts. */
  waitForData(ms: number, signal: AbortSignal): Promise<void>;
  close(): Promise<void>;
}
