/**
 * The fast walk over a produced batch's records may send a batch to the detailed check, but
 * must never pass one the detailed check would refuse: a client whose corrupt batch slipped
 * through would have it acknowledged and stored.
 */
import { describe, expect, it } from 'vitest';
import { BATCH, BATCH_HEADER_SIZE } from '../../../broker/protocol/batch-header.js';
import { clientRecordsWellFormed } from '../../../broker/protocol/client-records-walk.js';
import { encodeBatch, validateBatch, writeBatchCrc } from '../../../broker/protocol/record-batch.js';
import type { RecordInput } from '../../../broker/protocol/record.js';
import { seededRandom } from '../../helpers/seeded-random.js';

/** validateBatch's detailed record walk: a timestamp range forces it, and this one accepts any timestamp. */
function detailedVerdict(batch: Buffer, requireKeys: boolean): string | null {
  const problem = validateBatch(batch, 0, batch.length, {
    checkRecords: true, requireKeys, origin: 'client', timestampRange: { min: -Infinity, max: Infinity },
  });
  return problem?.message ?? null;
}

const fastVerdict = (batch: Buffer, requireKeys: boolean) =>
  clientRecordsWellFormed(batch, BATCH_HEADER_SIZE, batch.length, batch.readInt32BE(BATCH.RECORDS_COUNT), requireKeys);

function mixedRecords(n: number, next: () => number): RecordInput[] {
  const now = 1_700_000_000_000;
  return Array.from({ length: n }, (_, i) => ({
    key: i % 3 === 0 ? null : Buffer.alloc(Math.floor(next() * 40), 0x6b),
    value: i % 7 === 0 ? null : Buffer.alloc(Math.floor(next() * (i % 5 === 0 ? 3000 : 120)), 0x76),
    timestamp: now + Math.floor(next() * 10 ** (i % 12)),
    headers: i % 4 === 0 ? [] : Array.from({ length: 1 + (i % 3) }, (_, h) => ({
      key: `h${h}`.repeat(1 + (i % 70)), value: h === 1 ? null : Buffer.alloc(Math.floor(next() * 200), 0x68),
    })),
  }));
}

describe('clientRecordsWellFormed', () => {
  it('passes well-formed batches of every record shape, so they skip the detailed walk', () => {
    const next = seededRandom(7);
    for (const n of [1, 2, 50, 300, 2000]) {
      const batch = encodeBatch({ records: mixedRecords(n, next) });
      expect(detailedVerdict(batch, false)).toBeNull();
      expect(fastVerdict(batch, false)).toBe(true);
    }
    const keyed = encodeBatch({ records: Array.from({ length: 500 }, (_, i) => ({ key: Buffer.from(`k${i}`), value: Buffer.alloc(100) })) });
    expect(fastVerdict(keyed, true)).toBe(true);
  });

  it('refuses a keyless record when keys are required, as the detailed walk does', () => {
    const batch = encodeBatch({ records: [{ key: Buffer.from('k'), value: null }, { key: null, value: Buffer.from('v') }] });
    expect(detailedVerdict(batch, true)).toMatch(/record 1 has a null key/);
    expect(fastVerdict(batch, true)).toBe(false);
  });

  it('never passes a corrupted batch that the detailed walk refuses', () => {
    const next = seededRandom(20);
    const original = encodeBatch({ records: mixedRecords(40, next) });
    let refusedByBoth = 0;
    for (let trial = 0; trial < 4000; trial++) {
      const batch = Buffer.from(original);
      const flips = 1 + Math.floor(next() * 3);
      for (let f = 0; f < flips; f++) {
        const at = BATCH_HEADER_SIZE + Math.floor(next() * (batch.length - BATCH_HEADER_SIZE));
        batch[at] = trial % 2 === 0 ? Math.floor(next() * 256) : batch[at]! ^ (1 << Math.floor(next() * 8));
      }
      writeBatchCrc(batch, 0);
      for (const requireKeys of [false, true]) {
        const detailed = detailedVerdict(batch, requireKeys);
        if (fastVerdict(batch, requireKeys) && detailed !== null) {
          expect.fail(`trial ${trial}: the fast walk passed a batch the detailed walk refuses (${detailed})`);
        }
        if (detailed !== null) refusedByBoth++;
      }
    }
    // The corruption is real: most mutated batches are invalid.
    expect(refusedByBoth).toBeGreaterThan(4000);
  });
});
