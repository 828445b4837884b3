/**
 * What a Kafka connection (the broker's side or a client's) needs of the byte stream under it.
 * A TCP or TLS socket is one; so is an in-process socket (broker/server/in-process-socket.ts),
 * which `ferry start` gives the worker in place of a loopback TCP connection to its own broker.
 */
export interface ConnectionStream {
  readonly remoteAddress?: string | undefined;
  readonly destroyed: boolean;
  readonly writableNeedDrain: boolean;
  setNoDelay(noDelay?: boolean): unknown;
  cork(): void;
  uncork(): void;
  write(chunk: Buffer, callback?: (err?: Error | null) => void): boolean;
  destroy(): unknown;
  on(event: 'close' | 'drain', listener: () => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
  off(event: 'close' | 'drain', listener: () => void): unknown;
}
