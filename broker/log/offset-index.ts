/**
 * `.index`: sparse map from offset to byte position in the segment's `.log` (broker notes
 * §6.2). Entry = relativeOffset int32 (batch base offset − segment base) + position int32.
 * Both columns strictly increase. Lookups give the greatest indexed batch start ≤ target;
 * the caller scans forward from there.
 */
import { IndexFile } from './index-file.js';

export const OFFSET_INDEX_ENTRY_SIZE = 8;

export class OffsetIndex extends IndexFile {
  private constructor(readonly baseOffset: number, file: string, initial?: Buffer) {
    super(file, OFFSET_INDEX_ENTRY_SIZE, initial);
  }

  static empty(baseOffset: number, file: string): OffsetIndex {
    return new OffsetIndex(baseOffset, file);
  }

  /**
   * Loads the file when it is consistent with a `.log` of `logSize` bytes: whole entries,
   * both columns strictly increasing, positions inside the log. Otherwise null (rebuild).
   */
  static load(baseOffset: number, file: string, logSize: number): OffsetIndex | null {
    const data = IndexFile.readEntries(file, OFFSET_INDEX_ENTRY_SIZE);
    if (data === null) return null;
    let prevRel = -1;
    let prevPos = -1;
    for (let at = 0; at < data.length; at += OFFSET_INDEX_ENTRY_SIZE) {
      const rel = data.readInt32BE(at);
      const pos = data.readInt32BE(at + 4);
      if (rel <= prevRel || pos <= prevPos || pos >= logSize) return null;
      prevRel = rel;
      prevPos = pos;
    }
    return new OffsetIndex(baseOffset, file, data);
  }

  append(offset: number, position: number): void {
    const at = this.slot();
    this.buf.writeInt32BE(offset - this.baseOffset, at);
    this.buf.writeInt32BE(position, at + 4);
  }

  relOffsetAt(i: number): number { return this.buf.readInt32BE(i * OFFSET_INDEX_ENTRY_SIZE); }
  positionAt(i: number): number { return this.buf.readInt32BE(i * OFFSET_INDEX_ENTRY_SIZE + 4); }

  /** Byte position of the greatest indexed batch whose base offset ≤ target (0 if none). */
  lookup(targetOffset: number): { offset: number; position: number } {
    const i = this.floorIndex(targetOffset - this.baseOffset, (k) => this.relOffsetAt(k));
    if (i < 0) return { offset: this.baseOffset, position: 0 };
    return { offset: this.baseOffset + this.relOffsetAt(i), position: this.positionAt(i) };
  }

  /** The last entry, or null when empty. */
  last(): { offset: number; position: number } | null {
    if (this.count === 0) return null;
    return { offset: this.baseOffset + this.relOffsetAt(this.count - 1), position: this.positionAt(this.count - 1) };
  }
}
