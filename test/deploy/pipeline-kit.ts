/**
 * What the end-to-end pipeline test takes from the deployment files, and how it reads results:
 * - the environment of a ferry service in docker-compose.yml, with the container addresses
 *   replaced by this machine's;
 * - which keys of a connector file's config differ once its addresses are replaced (the test
 *   checks that only address keys do);
 * - a topic backed up by the S3 sink with ByteArrayFormat, read back per Kafka offset from the
 *   value, key and metadata files of Confluent's layout.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { listKeys, readObject } from '../helpers/s3rver.js';
import { environmentOf, loadCompose } from './compose-model.js';

/** Compose's interpolation for what the file may use: `$$`, `${VAR}`, `${VAR:-default}`, `${VAR-default}` (the defaults, as on a machine that sets none). */
function interpolate(value: string): string {
  return value.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}/g, (match, _name: string | undefined, fallback: string | undefined) => {
    if (match === '$$') return '$';
    return fallback ?? '';
  });
}

/** The environment compose gives `service` (merge keys resolved, interpolated, list form accepted). */
export function composeEnvironment(service: string): Record<string, string> {
  const found = loadCompose().services[service];
  if (found === undefined) throw new Error(`docker-compose.yml has no service ${service}`);
  return Object.fromEntries(Object.entries(environmentOf(found)).map(([key, value]) => [key, interpolate(value)]));
}

/** `host:port` and URL prefixes of the compose network → this machine's, applied to whole values and inside comma lists. */
export type AddressMap = ReadonlyMap<string, string>;

export function localise(value: string, addresses: AddressMap): string {
  let out = value;
  for (const [from, to] of addresses) out = out.split(from).join(to);
  return out;
}

/** The keys whose values differ between two configs. */
export function changedKeys(a: Record<string, string>, b: Record<string, string>): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => a[k] !== b[k]).sort();
}

/** One backed-up record, found by its Kafka offset. */
export interface BackedUpRecord {
  readonly object: string;
  readonly key: string;
  readonly value: string;
  readonly timestamp: number;
}

/**
 * Every record of `topic` partition 0 in the bucket, by Kafka offset. The value file of each
 * object (`<topic>+0+<start>.bin`) has one record per line, as do its `.keys.bin` and
 * `.metadata.json` side files, line for line.
 */
export async function backedUpRecords(client: S3Client, bucket: string, topic: string): Promise<Map<number, BackedUpRecord[]>> {
  const prefix = `topics/${topic}/partition=0/`;
  const keys = await listKeys(client, bucket, prefix);
  const valueFiles = keys.filter((k) => /\+0\+\d{10}\.bin$/.test(k));
  const byOffset = new Map<number, BackedUpRecord[]>();
  for (const object of valueFiles) {
    const base = object.slice(0, -'.bin'.length);
    const [values, recordKeys, metadata] = await Promise.all([
      readObject(client, bucket, object), readObject(client, bucket, `${base}.keys.bin`), readObject(client, bucket, `${base}.metadata.json`),
    ]);
    const valueLines = lines(values);
    const keyLines = lines(recordKeys);
    const metaLines = lines(metadata).map((l) => JSON.parse(l) as { offset: number; timestamp: number });
    if (valueLines.length !== metaLines.length || keyLines.length !== metaLines.length) {
      throw new Error(`${object}: ${valueLines.length} values, ${keyLines.length} keys, ${metaLines.length} metadata lines`);
    }
    metaLines.forEach((meta, i) => {
      const list = byOffset.get(meta.offset) ?? [];
      list.push({ object, key: keyLines[i]!, value: valueLines[i]!, timestamp: meta.timestamp });
      byOffset.set(meta.offset, list);
    });
  }
  return byOffset;
}

function lines(bytes: Buffer): string[] {
  const text = bytes.toString('utf8');
  const parts = text.split('\n');
  if (parts.at(-1) === '') parts.pop();
  return parts;
}
