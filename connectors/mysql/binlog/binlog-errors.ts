/** Errors a binlog stream rejects `next()` with. */

/** The server ended the dump with an ERR packet, e.g. 1236 when the requested position or GTID is purged. */
export class BinlogServerError extends Error {
  constructor(readonly code: number, readonly sqlState: string, readonly serverMessage: string) {
    super(`binlog server error ${code}${sqlState ? ` (${sqlState})` : ''}: ${serverMessage}`);
    this.name = 'BinlogServerError';
  }
}

/** The replication connection failed or was closed by the server; reconnecting may help. */
export class BinlogConnectionError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BinlogConnectionError';
  }
}

/** `next()` was called on (or was waiting when) the stream was closed by its owner. */
export class BinlogStreamClosedError extends Error {
  constructor() {
    super('binlog stream closed');
    this.name = 'BinlogStreamClosedError';
  }
}
