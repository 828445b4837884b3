/**
 * What the S3 connector tests share: producing records with keys, headers, partitions and
 * timestamps through kafkajs, reading a bucket back as parsed object names and lines, and the
 * context of a sink task a test drives without a worker.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { gunzipSync } from 'node:zlib';
import type { SinkRecord } from '../../../connectors/sdk/connect-record.js';
import type { SinkTaskContext } from '../../../connectors/sdk/sink-task.js';
import { noKafkaClusters } from '../../helpers/no-kafka-clusters.js';
import { kafkaClient } from '../../helpers/kafkajs-clients.js';
import { afterAll, beforeAll } from 'vitest';
import { s3SourceSpec } from '../../../connectors/s3/source/s3-source-config.js';
import { S3Store } from '../../../connectors/s3/storage/s3-store.js';
import { storeSettingsOf } from '../../../connectors/s3/storage/s3-store-settings.js';
import { createBucket, listKeys, readObject, startS3rver, type S3rverProcess } from '../../helpers/s3rver.js';

export interface TestRecord {
  partition: number;
  key: string | null;
  value: string | null;
  headers?: Record<string, string>;
  timestamp?: number;
}

export async function createTopic(bootstrap: string, topic: string, partitions: number): Promise<void> {
  const admin = kafkaClient(bootstrap, 'test-admin').admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }], waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}

/** Produces the records in order (acks=all, one request per call), so offsets follow the array order per partition. */
export async function produce(bootstrap: string, topic: string, records: readonly TestRecord[]): Promise<void> {
  const producer = kafkaClient(bootstrap, 'test-producer').producer({ idempotent: false });
  await producer.connect();
  try {
    await producer.send({
      topic,
      acks: -1,
      messages: records.map((r) => ({
        partition: r.partition, key: r.key, value: r.value, headers: r.headers,
        timestamp: r.timestamp === undefined ? undefined : String(r.timestamp),
      })),
    });
  } finally {
    await producer.disconnect();
  }
}

export interface StoredObject {
  key: string;
  directory: string;
  topic: string;
  partition: number;
  startOffset: number;
  suffix: string;
}

const NAME = /^(.*)\/([^/+]+)\+(\d+)\+(\d{10})(\..*)$/;

/** Every object of the bucket with its name parsed the way Confluent writes names. */
export async function storedObjects(client: S3Client, bucket: string, prefix = ''): Promise<StoredObject[]> {
  return (await listKeys(client, bucket, prefix)).map((key) => {
    const m = NAME.exec(key);
    if (m === null) throw new Error(`object ${key} is not named topic+partition+offset.ext`);
    return { key, directory: m[1]!, topic: m[2]!, partition: Number(m[3]), startOffset: Number(m[4]), suffix: m[5]! };
  });
}

/** The lines of an object (gunzipped when its name ends in .gz), without the final empty one. */
export async function objectLines(client: S3Client, bucket: string, key: string): Promise<string[]> {
  let body = await readObject(client, bucket, key);
  if (key.endsWith('.gz')) body = gunzipSync(body);
  const lines = body.toString('utf8').split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

export const STRING_CONVERTERS = {
  'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
  'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
} as const;

export const SCHEMALESS_JSON_CONVERTERS = {
  'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
  'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
  'value.converter.schemas.enable': 'false',
} as const;

/** The sink's committed consumer offsets as GET /connectors/{name}/offsets answers them: `topic-partition` → offset. */
export async function committedOffsets(restUrl: string, connector: string): Promise<Record<string, number>> {
  const response = await fetch(`${restUrl}/connectors/${encodeURIComponent(connector)}/offsets`);
  const body = await response.json() as { offsets: { partition: { kafka_topic: string; kafka_partition: number }; offset: { kafka_offset: number } }[] };
  const out: Record<string, number> = {};
  for (const o of body.offsets) out[`${o.partition.kafka_topic}-${o.partition.kafka_partition}`] = o.offset.kafka_offset;
  return out;
}

/**
 * Checks that the value files of one topic partition hold every offset in [0, end) exactly
 * once: sorted by start offset, each file starts where the previous one ended. Returns the
 * lines in offset order.
 */
export async function exactlyOnceLines(client: S3Client, bucket: string, topic: string, partition: number, end: number, valueSuffix = '.json'): Promise<string[]> {
  const files = (await storedObjects(client, bucket))
    .filter((o) => o.topic === topic && o.partition === partition && o.suffix === valueSuffix)
    .sort((a, b) => a.startOffset - b.startOffset);
  const all: string[] = [];
  let next = 0;
  for (const file of files) {
    if (file.startOffset !== next) {
      throw new Error(`${topic}-${partition}: ${file.key} starts at ${file.startOffset}, expected ${next} (${file.startOffset < next ? 'overlap: doubled records' : 'gap: lost records'})`);
    }
    const lines = await objectLines(client, bucket, file.key);
    all.push(...lines);
    next += lines.length;
  }
  if (next !== end) throw new Error(`${topic}-${partition}: files cover offsets [0, ${next}), expected [0, ${end})`);
  return all;
}

export const QUIET_LOGGER = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * The context of an S3 sink task driven directly by a test (no worker): a quiet logger, and every
 * errant record thrown back unless `onErrant` collects it.
 */
export function standaloneSinkContext(onErrant?: (record: SinkRecord) => void): SinkTaskContext {
  return {
    assignment: () => [], pause() {}, resume() {}, seek() {}, requestCommit() {}, logger: QUIET_LOGGER,
    reportErrantRecord: async (record, error) => {
      if (onErrant === undefined) throw error;
      onErrant(record);
    },
    raiseError: (error) => { throw error; },
    kafka: noKafkaClusters,
  };
}

/**
 * s3rver with `bucket`, and an S3Store of the source's settings on it, started before the file's
 * tests and stopped after them; read `s3` and `store` inside the tests.
 */
export function s3rverWithStore(bucket: string): { readonly s3: S3rverProcess; readonly store: S3Store } {
  let s3: S3rverProcess | undefined;
  let store: S3Store | undefined;
  beforeAll(async () => {
    s3 = await startS3rver();
    await createBucket(s3.client, bucket);
    store = await S3Store.open(storeSettingsOf(s3SourceSpec.parse(s3.connectorSettings(bucket))), QUIET_LOGGER);
  });
  afterAll(async () => {
    store?.destroy();
    await s3?.stop();
  });
  return {
    get s3() {
      return s3!;
    },
    get store() {
      return store!;
    },
  };
}
