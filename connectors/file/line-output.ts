/**
 * Where the file sink's bytes go: a file opened in append mode (created when missing), or a
 * stream such as stdout. `write` writes all of a buffer or throws, reporting how much was
 * written through `onProgress` so a retry never writes a byte twice; `sync` makes written
 * bytes durable (fdatasync) where that means something.
 */
import fs from 'node:fs/promises';
import type { Writable } from 'node:stream';

export interface LineOutput {
  write(data: Buffer, onProgress: (bytes: number) => void): Promise<void>;
  sync(): Promise<void>;
  close(): Promise<void>;
}

export class FileOutput implements LineOutput {
  readonly #handle: fs.FileHandle;

  private constructor(handle: fs.FileHandle) {
    this.#handle = handle;
  }

  static async open(path: string): Promise<FileOutput> {
    return new FileOutput(await fs.open(path, 'a'));
  }

  async write(data: Buffer, onProgress: (bytes: number) => void): Promise<void> {
    let offset = 0;
    while (offset < data.length) {
      const { bytesWritten } = await this.#handle.write(data, offset, data.length - offset);
      offset += bytesWritten;
      onProgress(bytesWritten);
    }
  }

  sync(): Promise<void> {
    return this.#handle.datasync();
  }

  close(): Promise<void> {
    return this.#handle.close();
  }
}

/** A stream the sink does not own: it is never ended or closed here. */
export class StreamOutput implements LineOutput {
  readonly #stream: Writable;

  constructor(stream: Writable) {
    this.#stream = stream;
  }

  write(data: Buffer, onProgress: (bytes: number) => void): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#stream.write(data, (err) => {
        if (err) {
          reject(err);
        } else {
          onProgress(data.length);
          resolve();
        }
      });
    });
  }

  async sync(): Promise<void> {}

  async close(): Promise<void> {}
}
