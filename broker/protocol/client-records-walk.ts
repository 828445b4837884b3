/**
 * The produce path's fast structural check of an uncompressed batch's records: one tight
 * loop over the bytes with no per-record calls or objects (about 40 % less time per record than
 * RecordReader.skip for 100-byte records, where this walk is a large share of the broker's
 * work per byte).
 *
 * It answers only "certainly well formed": it applies every rule `validateBatch` applies to a
 * client's records when no timestamp range is required (lengths that fit, no compression
 * bits, offset deltas 0…n-1, keys where `requireKeys`, non-null header keys, fields that fill
 * each record exactly, nothing after the last record) and may refuse a batch those rules accept. A
 * refusal sends the caller to the detailed walk, which is authoritative and names the
 * problem, so this function never decides an error by itself.
 */

/** Position after the varint read last by `rawVarint`. */
let after = 0;
const MALFORMED = -1;

/**
 * The unsigned (still zigzag-encoded) value of the varint of at most 5 bytes at `at`, or
 * MALFORMED when it runs past `end` or is longer; sets `after`. One- and two-byte varints,
 * nearly every one in a batch of small records, take the short path.
 */
function rawVarint(buf: Buffer, at: number, end: number): number {
  if (at < end) {
    const b0 = buf[at]!;
    if (b0 < 0x80) {
      after = at + 1;
      return b0;
    }
    if (at + 1 < end) {
      const b1 = buf[at + 1]!;
      if (b1 < 0x80) {
        after = at + 2;
        return (b0 & 0x7f) | (b1 << 7);
      }
    }
  }
  return longRawVarint(buf, at, end);
}

function longRawVarint(buf: Buffer, at: number, end: number): number {
  let raw = 0;
  for (let shift = 0; shift < 35; shift += 7) {
    if (at >= end) return MALFORMED;
    const b = buf[at++]!;
    raw |= (b & 0x7f) << shift;
    if (b < 0x80) {
      after = at;
      return raw >>> 0;
    }
  }
  return MALFORMED;
}

const zigzag = (raw: number): number => (raw >>> 1) ^ -(raw & 1);

/**
 * True when the `count` records laid out in `buf[start, end)` are certainly valid records of
 * a client's uncompressed batch; false means "check them the detailed way".
 */
export function clientRecordsWellFormed(buf: Buffer, start: number, end: number, count: number, requireKeys: boolean): boolean {
  let pos = start;
  for (let i = 0; i < count; i++) {
    let raw = rawVarint(buf, pos, end);
    if (raw === MALFORMED) return false;
    const length = zigzag(raw);
    const bodyEnd = after + length;
    if (length < 0 || bodyEnd > end || after >= end) return false;
    if ((buf[after]! & 0x07) !== 0) return false;
    // timestampDelta: a varlong of at most 10 bytes, only skipped.
    pos = after + 1;
    for (let k = 0; ; k++) {
      if (pos >= end || k === 10) return false;
      if (buf[pos++]! < 0x80) break;
    }
    raw = rawVarint(buf, pos, end);
    if (raw === MALFORMED || zigzag(raw) !== i) return false;
    raw = rawVarint(buf, after, end);
    if (raw === MALFORMED) return false;
    const keyLength = zigzag(raw);
    if (requireKeys && keyLength < 0) return false;
    pos = after + Math.max(keyLength, 0);
    raw = rawVarint(buf, pos, end);
    if (raw === MALFORMED) return false;
    pos = after + Math.max(zigzag(raw), 0);
    raw = rawVarint(buf, pos, end);
    if (raw === MALFORMED) return false;
    const headerCount = zigzag(raw);
    if (headerCount < 0) return false;
    pos = after;
    for (let h = 0; h < headerCount && pos <= bodyEnd; h++) {
      raw = rawVarint(buf, pos, end);
      if (raw === MALFORMED) return false;
      const headerKeyLength = zigzag(raw);
      if (headerKeyLength < 0) return false;
      raw = rawVarint(buf, after + headerKeyLength, end);
      if (raw === MALFORMED) return false;
      pos = after + Math.max(zigzag(raw), 0);
    }
    if (pos !== bodyEnd) return false;
  }
  return pos === end;
}
