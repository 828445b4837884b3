/**
 * The bytes of one part being filled, written straight into large blocks: a record's text is
 * encoded as UTF-8 into the current block (no Buffer per record), bytes are copied in. `take`
 * joins the blocks into the one Buffer a request needs (a copy of a few large blocks, not of
 * thousands of small ones). Blocks grow from BLOCK_MIN up to `blockMax`, so a file that holds
 * few bytes holds little memory, and `length` is exactly the bytes written (what the task's
 * memory budget counts).
 */
const BLOCK_MIN = 16 * 1024;
/** UTF-8 needs at most 3 bytes per UTF-16 code unit. */
const MAX_UTF8_PER_UNIT = 3;

export class PartBuffer {
  readonly #blockMax: number;
  #full: Buffer[] = [];
  #block: Buffer | null = null;
  #used = 0;
  #length = 0;

  constructor(blockMax: number) {
    this.#blockMax = Math.max(BLOCK_MIN, blockMax);
  }

  get length(): number {
    return this.#length;
  }

  append(bytes: Buffer | string): void {
    if (typeof bytes === 'string') {
      if (bytes.length === 0) return;
      let block = this.#room(bytes.length * MAX_UTF8_PER_UNIT);
      if (block === null) {
        const needed = Buffer.byteLength(bytes);
        block = this.#room(needed) ?? this.#newBlock(needed);
      }
      const written = block.write(bytes, this.#used, 'utf8');
      this.#used += written;
      this.#length += written;
      return;
    }
    if (bytes.length === 0) return;
    const block = this.#room(bytes.length) ?? this.#newBlock(bytes.length);
    bytes.copy(block, this.#used);
    this.#used += bytes.length;
    this.#length += bytes.length;
  }

  /** Every byte written, as one Buffer; the buffer is empty afterwards. */
  take(): Buffer {
    this.#seal();
    const blocks = this.#full;
    const body = blocks.length === 1 ? blocks[0]! : Buffer.concat(blocks, this.#length);
    this.#full = [];
    this.#length = 0;
    return body;
  }

  /** The current block when `bytes` more fit in it, else null. */
  #room(bytes: number): Buffer | null {
    const block = this.#block;
    return block !== null && block.length - this.#used >= bytes ? block : null;
  }

  /** Seals the current block and starts one with room for `bytes`, twice the size of the last up to blockMax. */
  #newBlock(bytes: number): Buffer {
    const last = this.#block?.length ?? (this.#full.length === 0 ? BLOCK_MIN / 2 : this.#blockMax);
    this.#seal();
    const block = Buffer.allocUnsafe(Math.max(bytes, Math.min(this.#blockMax, last * 2)));
    this.#block = block;
    this.#used = 0;
    return block;
  }

  #seal(): void {
    if (this.#block !== null && this.#used > 0) this.#full.push(this.#block.subarray(0, this.#used));
    this.#block = null;
    this.#used = 0;
  }
}
