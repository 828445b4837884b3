/**
 * The only file that relies on mysql2 internals (checked against mysql2 3.26). What it relies on:
 * - `lib/commands/command.js` (Command) and `lib/packets/packet.js` (Packet), loaded by absolute
 *   path next to mysql2's entry point because the package's `exports` hide them (on the first
 *   dump command, so that importing the connector does not load mysql2);
 * - a promise connection's `.connection` is the core connection; `core.addCommand(cmd)` queues a
 *   Command; the connection calls `cmd.execute(packet, core)`, which calls our state functions
 *   with each reassembled packet (mysql2's PacketParser joins 16 MiB packet chains) and turns an
 *   0xFF packet into an `error` event on the command carrying `errno`, `sqlState`, `message`;
 * - the packet handed to a state function is a reused object: its bytes are
 *   `packet.buffer[packet.offset .. packet.end)`, a view of a socket chunk that is not reused;
 * - `core.writePacket(new Packet(0, buf, 0, len))` frames a command (the buffer's first 4 bytes
 *   are the header it fills in); `core.pause()`/`core.resume()` stop and restart reading;
 *   `core.stream` is the socket, destroyed to end a stream at once.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Connection as PromiseConnection } from 'mysql2/promise';

const require = createRequire(import.meta.url);

interface Mysql2Packet {
  buffer: Buffer;
  offset: number;
  end: number;
}

interface Mysql2CommandBase {
  on(event: 'error', listener: (err: Error) => void): void;
  on(event: 'end', listener: () => void): void;
}

type CommandConstructor = new () => Mysql2CommandBase;
type PacketConstructor = new (id: number, buffer: Buffer, start: number, end: number) => Mysql2Packet;

let internals: { Command: CommandConstructor; Packet: PacketConstructor } | undefined;

function mysql2Internals(): { Command: CommandConstructor; Packet: PacketConstructor } {
  if (internals === undefined) {
    const mysql2Dir = path.dirname(require.resolve('mysql2'));
    internals = {
      Command: require(path.join(mysql2Dir, 'lib/commands/command.js')) as CommandConstructor,
      Packet: require(path.join(mysql2Dir, 'lib/packets/packet.js')) as PacketConstructor,
    };
  }
  return internals;
}

/** The core (callback) connection under a mysql2 promise connection. */
export interface CoreConnection {
  addCommand(cmd: unknown): void;
  writePacket(packet: Mysql2Packet): void;
  pause(): void;
  resume(): void;
  close(): void;
  on(event: string, listener: (...args: unknown[]) => void): void;
  removeAllListeners(event?: string): void;
  stream: { destroy(): void; destroyed?: boolean };
}

export function coreOf(conn: PromiseConnection): CoreConnection {
  return (conn as unknown as { connection: CoreConnection }).connection;
}

export interface ServerErrorInfo {
  errno: number;
  sqlState: string;
  message: string;
}

export interface DumpHandlers {
  /** One whole packet payload: status byte (0x00 event, 0xFE EOF) then the event. */
  onPacket(payload: Buffer): void;
  /** The server answered with an ERR packet. */
  onServerError(err: ServerErrorInfo): void;
}

/** Sends `payload` (a replication command) and feeds every packet of the answer to `handlers`. */
export function startDumpCommand(core: CoreConnection, payload: Buffer, handlers: DumpHandlers): void {
  const { Command, Packet } = mysql2Internals();
  class BinlogDumpCommand extends Command {
    start(_packet: unknown, connection: CoreConnection): unknown {
      const framed = Buffer.alloc(payload.length + 4);
      payload.copy(framed, 4);
      connection.writePacket(new Packet(0, framed, 0, framed.length));
      return BinlogDumpCommand.prototype.data;
    }

    data(packet: Mysql2Packet): unknown {
      handlers.onPacket(packet.buffer.subarray(packet.offset, packet.end));
      return BinlogDumpCommand.prototype.data;
    }
  }
  const cmd = new BinlogDumpCommand();
  cmd.on('error', (err) => {
    const e = err as Error & { errno?: number; sqlState?: string };
    handlers.onServerError({ errno: e.errno ?? 0, sqlState: e.sqlState ?? '', message: e.message });
  });
  core.addCommand(cmd);
}

/** Ends the connection at once, even mid-stream (no COM_QUIT round trip). */
export function destroyConnection(core: CoreConnection): void {
  try {
    core.close();
  } finally {
    core.stream.destroy();
  }
}
