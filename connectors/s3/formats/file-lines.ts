/**
 * The lines of a file held as the chunks it was downloaded in, without joining the chunks into
 * one Buffer first: a file of the S3 source is ~10 MB, and a joined copy is that much fresh
 * memory per object (about 1 ms per MB on our VMs, more than reading the lines). A line inside
 * one chunk is read in place; only a line that spans chunks is joined, into a Buffer of its own.
 *
 * `onLine(buffer, start, end)` gets each line without its terminator byte, in order, including
 * empty lines and the text after the last terminator (when there is any). The buffers it is
 * given are the chunks themselves (or the joined lines), which the caller may keep for as long
 * as the content's owner does not reuse them (the S3 source reuses a file's buffer only once
 * every record read from it is acknowledged; see partition-restore.ts, Memory).
 */
export type FileContent = Buffer | readonly Buffer[];

export function forEachLine(content: FileContent, terminator: number, onLine: (buffer: Buffer, start: number, end: number) => void): void {
  const chunks = Buffer.isBuffer(content) ? [content] : content;
  let carried: Buffer[] = [];
  for (const chunk of chunks) {
    let start = 0;
    for (;;) {
      const end = chunk.indexOf(terminator, start);
      if (end < 0) break;
      if (carried.length === 0) {
        onLine(chunk, start, end);
      } else {
        carried.push(chunk.subarray(0, end));
        const joined = Buffer.concat(carried);
        carried = [];
        onLine(joined, 0, joined.length);
      }
      start = end + 1;
    }
    if (start < chunk.length) carried.push(start === 0 ? chunk : chunk.subarray(start));
  }
  if (carried.length > 0) {
    const rest = carried.length === 1 ? carried[0]! : Buffer.concat(carried);
    onLine(rest, 0, rest.length);
  }
}

/** The whole content as one Buffer (for formats that need it so). */
export function joinedContent(content: FileContent): Buffer {
  return Buffer.isBuffer(content) ? content : content.length === 1 ? content[0]! : Buffer.concat(content);
}
