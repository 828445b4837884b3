/**
 * How many records of a Kafka offset range the S3 sink has backed up, counted from the bucket:
 * a record counts once its object set is complete. The sink uploads the side files first and
 * the value file (`<topic>+0+<start>.bin`) last, so a value file in the listing means its
 * `.metadata.json` (one line per record: Kafka offset and timestamp) is complete. Objects never
 * change once written, so each metadata file is read once; a poll costs one listing.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { listKeys, readObject } from '../../test/helpers/s3rver.js';

const VALUE_FILE = /\+0\+\d{10}\.bin$/;

export class BucketRecords {
  /** Value file -> how many records of the range it holds. */
  readonly #read = new Map<string, number>();
  readonly #offsets = new Set<number>();

  /** Offsets `from` (inclusive) to `to` (exclusive) of partition 0 of `topic`. */
  constructor(
    private readonly client: S3Client, private readonly bucket: string, private readonly topic: string,
    private readonly from: number, private readonly to: number,
  ) {}

  /** Distinct offsets of the range in complete objects (a record written twice counts once). */
  async count(): Promise<number> {
    const keys = await listKeys(this.client, this.bucket, `topics/${this.topic}/partition=0/`);
    for (const key of keys) {
      if (!VALUE_FILE.test(key) || this.#read.has(key)) continue;
      const metadata = await readObject(this.client, this.bucket, `${key.slice(0, -'.bin'.length)}.metadata.json`);
      let inRange = 0;
      for (const line of metadata.toString('utf8').split('\n')) {
        if (line === '') continue;
        const { offset } = JSON.parse(line) as { offset: number };
        if (offset < this.from || offset >= this.to) continue;
        this.#offsets.add(offset);
        inRange++;
      }
      this.#read.set(key, inRange);
    }
    return this.#offsets.size;
  }

  /** Records of the range in each object that holds any, in key (offset) order. */
  get objectRecords(): number[] {
    return [...this.#read].sort(([a], [b]) => a.localeCompare(b)).map(([, n]) => n).filter((n) => n > 0);
  }
}
