/**
 * Finds the first byte of a range that is not "plain ASCII": a byte of 0x80 or more, a control
 * byte (below 0x20), or `\`. Text of plain ASCII bytes decodes to a string that NOT_PLAIN_JSON
 * (json-source.ts) cannot match, so a reader that finds none skips that regular expression,
 * which cost about 0.85 ms per MB of JSON on our VMs (8% of an S3 restore, 6% of the S3 sink).
 * This scan costs about 0.1 ms per MB checked a line at a time, and 0.06 per MB over whole
 * chunks. A range that has such a byte says nothing more: the caller then tests the decoded
 * text against NOT_PLAIN_JSON, as it did before, so results never depend on which way ran.
 *
 * How: a WebAssembly function compares 16 bytes at a time with SIMD instructions, over a copy
 * of at most WINDOW bytes in its own memory (the copy is one memcpy; wasm cannot read a
 * Buffer's memory in place). The module is small enough to spell out below, next to its text
 * form. Where WebAssembly SIMD is missing, a plain loop gives the same answers.
 *
 * The wasm function, in the text format:
 *
 *   (func (export "scan") (param $p i32) (param $end i32) (param $allowed i32) (result i32)
 *     (local $v v128) (local $mask i32) (local $allowedLanes v128)
 *     ;; 16 plain bytes after the range, so the last load may run past `end`
 *     (v128.store (local.get $end) (v128.const i8x16 65 65 65 65 65 65 65 65 65 65 65 65 65 65 65 65))
 *     (local.set $allowedLanes (i8x16.splat (local.get $allowed)))
 *     (block $none (loop $next
 *       (br_if $none (i32.ge_u (local.get $p) (local.get $end)))
 *       (local.set $v (v128.load (local.get $p)))
 *       ;; a lane's top bit is set for a byte >= 0x80 (the byte itself), a control byte other than
 *       ;; $allowed, or `\`; bitmask gathers the top bits
 *       (local.set $mask (i8x16.bitmask (v128.or (v128.or
 *         (v128.andnot (i8x16.lt_u (local.get $v) (i8x16 of 0x20)) (i8x16.eq (local.get $v) (local.get $allowedLanes)))
 *         (i8x16.eq (local.get $v) (i8x16 of 0x5c)))
 *         (local.get $v))))
 *       (if (local.get $mask) (then (return (i32.add (local.get $p) (i32.ctz (local.get $mask))))))
 *       (local.set $p (i32.add (local.get $p) (i32.const 16)))
 *       (br $next)))
 *     (local.get $end))
 *
 * Calls run to completion on the calling thread and share one module instance per thread, so
 * the copy in its memory is never seen by another call.
 */

/** Bytes copied into wasm memory per call; the memory holds WINDOW plus the 16 bytes of padding. */
const WINDOW = 64 * 1024;
const FIRST_WINDOW = 4 * 1024;
const PAGES = 2;
const NEWLINE = 0x0a;
/** Allowed as "no control byte allowed": no byte below 0x20 equals it. */
const NO_CONTROL_BYTE = 0x20;

/** LEB128 of an unsigned number, as wasm encodes sizes and indices. */
function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const name = (text: string): number[] => [...uleb(text.length), ...Buffer.from(text, 'ascii')];

const I32 = 0x7f;
const V128 = 0x7b;
const op = {
  block: 0x02, loop: 0x03, if: 0x04, end: 0x0b, br: 0x0c, brIf: 0x0d, return: 0x0f,
  localGet: 0x20, localSet: 0x21, i32Const: 0x41, i32GeU: 0x4f, i32Ctz: 0x68, i32Add: 0x6a,
} as const;
const EMPTY_BLOCK = 0x40;
/** SIMD instructions: the 0xfd prefix and their number. */
const simd = (code: number): number[] => [0xfd, ...uleb(code)];
const v128Load = [...simd(0x00), 4, 0];
const v128Store = [...simd(0x0b), 4, 0];
const v128Const = (byte: number): number[] => [...simd(0x0c), ...new Array<number>(16).fill(byte)];
const i8x16Splat = simd(0x0f);
const i8x16Eq = simd(0x23);
const i8x16LtU = simd(0x26);
const v128AndNot = simd(0x4f);
const v128Or = simd(0x50);
const i8x16Bitmask = simd(0x64);

const P = 0;
const END = 1;
const ALLOWED = 2;
const V = 3;
const MASK = 4;
const ALLOWED_LANES = 5;
const get = (local: number): number[] => [op.localGet, local];
const set = (local: number): number[] => [op.localSet, local];

const SCAN_BODY = [
  ...get(END), ...v128Const(0x41), ...v128Store,
  ...get(ALLOWED), ...i8x16Splat, ...set(ALLOWED_LANES),
  op.block, EMPTY_BLOCK, op.loop, EMPTY_BLOCK,
  ...get(P), ...get(END), op.i32GeU, op.brIf, 1,
  ...get(P), ...v128Load, ...set(V),
  ...get(V), ...v128Const(0x20), ...i8x16LtU, ...get(V), ...get(ALLOWED_LANES), ...i8x16Eq, ...v128AndNot,
  ...get(V), ...v128Const(0x5c), ...i8x16Eq, ...v128Or,
  ...get(V), ...v128Or,
  ...i8x16Bitmask, ...set(MASK),
  ...get(MASK), op.if, EMPTY_BLOCK, ...get(P), ...get(MASK), op.i32Ctz, op.i32Add, op.return, op.end,
  ...get(P), op.i32Const, ...uleb(16), op.i32Add, ...set(P),
  op.br, 0,
  op.end, op.end,
  ...get(END),
  op.end,
];

const MODULE_BYTES = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  ...section(1, vec([[0x60, ...vec([[I32], [I32], [I32]]), ...vec([[I32]])]])),
  ...section(3, vec([[0]])),
  ...section(5, vec([[0x00, PAGES]])),
  ...section(7, vec([[...name('memory'), 0x02, 0], [...name('scan'), 0x00, 0]])),
  ...section(10, vec([(() => {
    const body = [...vec([[1, V128], [1, I32], [1, V128]]), ...SCAN_BODY];
    return [...uleb(body.length), ...body];
  })()])),
]);

type Scan = (p: number, end: number, allowed: number) => number;

/** The part of the WebAssembly global used here (the project's type libraries do not declare it). */
declare const WebAssembly: {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { readonly exports: Record<string, unknown> };
};

interface Scanner {
  readonly scan: Scan;
  readonly memory: Uint8Array;
}

function instantiate(): Scanner | null {
  try {
    if (!WebAssembly.validate(MODULE_BYTES)) return null;
    const instance = new WebAssembly.Instance(new WebAssembly.Module(MODULE_BYTES));
    const exports = instance.exports as { scan: Scan; memory: { buffer: ArrayBuffer } };
    return { scan: exports.scan, memory: new Uint8Array(exports.memory.buffer) };
  } catch {
    return null;
  }
}

let scanner: Scanner | null | undefined;

/** True when the wasm scan runs here (false: the plain loop gives the answers). */
export function simdScanAvailable(): boolean {
  scanner ??= instantiate();
  return scanner !== null;
}

/**
 * The index of the first byte in `bytes[start, end)` that is 0x80 or more, below 0x20, or `\`
 * (with `newlinesAllowed`, a newline does not count: for a chunk of lines), or `end` when there
 * is none.
 */
export function firstNonPlainAscii(bytes: Uint8Array, start: number, end: number, newlinesAllowed = false): number {
  scanner ??= instantiate();
  const allowed = newlinesAllowed ? NEWLINE : NO_CONTROL_BYTE;
  if (scanner === null) return firstNonPlainAsciiLoop(bytes, start, end, allowed);
  const { scan, memory } = scanner;
  // The first copy is short: a caller that scans a chunk of lines from each line with a
  // non-plain byte (text in UTF-8, say) then copies little more than the line.
  for (let at = start, window = FIRST_WINDOW; at < end; at += window, window = WINDOW) {
    const length = Math.min(window, end - at);
    memory.set(bytes.subarray(at, at + length));
    const found = scan(0, length, allowed);
    if (found < length) return at + found;
  }
  return end;
}

function firstNonPlainAsciiLoop(bytes: Uint8Array, start: number, end: number, allowed: number): number {
  for (let i = start; i < end; i++) {
    const b = bytes[i]!;
    if (b >= 0x80 || b === 0x5c || (b < 0x20 && b !== allowed)) return i;
  }
  return end;
}

/** The plain loop, for tests that compare both ways. */
export const firstNonPlainAsciiWithoutSimd = (bytes: Uint8Array, start: number, end: number, newlinesAllowed = false): number =>
  firstNonPlainAsciiLoop(bytes, start, end, newlinesAllowed ? NEWLINE : NO_CONTROL_BYTE);
