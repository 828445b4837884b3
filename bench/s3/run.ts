/**
 * The S3 benchmark (`npm run bench:s3`): MB/s of the S3 sink writing 1 KiB JSON records from
 * the bundled broker into s3rver through a `ferry start` worker, and of the S3 source
 * restoring them into another topic, each next to a same-run baseline against the same s3rver:
 * a bare @aws-sdk/client-s3 loop uploading (PutObject) and downloading (GetObject) the same
 * bytes in the same object sizes, one object at a time. Sink time runs from creating the
 * connector until every offset is committed (so it includes consuming and converting);
 * restore time until the restored topic holds every record. Also prints the ferry process's
 * peak memory (VmHWM: broker, worker and both connectors). Writes bench/out/s3.json.
 *
 * Options: --records N (default 100000), --flush-size N (records per object, default 10000).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createTopics, endOffset, kafkaClient } from '../broker/kafkajs-runs.js';
import { kcatProduce } from '../broker/kcat-runs.js';
import { FERRY_CLI, OUT_DIR } from '../broker/paths.js';
import { readMemory } from '../broker/proc-stats.js';
import { createConnector } from '../runtime/connect-rest.js';
import { startFerryProcess, startReady } from '../runtime/ferry-process.js';
import { S3RVER_KEY, s3Client, startS3rver } from './s3rver-process.js';

const RECORD_BYTES = 1024;
const TARGET_RATIO = 0.8;
const MB = 1e6;

const { values: options } = parseArgs({
  options: { records: { type: 'string', default: '100000' }, 'flush-size': { type: 'string', default: '10000' } },
});
const RECORDS = Number(options.records);
const FLUSH_SIZE = Number(options['flush-size']);

/** One JSON object per line, each line RECORD_BYTES long including its newline. */
function writeRecords(file: string): void {
  const out = fs.openSync(file, 'w');
  const filler = 'abcdefghijklmnopqrstuvwxyz0123456789'.repeat(40);
  for (let i = 0; i < RECORDS; i++) {
    const head = `{"id":${i},"user":"user-${i % 997}","amount":${(i * 7) % 10000 / 100},"note":"`;
    fs.writeSync(out, `${head}${filler.slice(0, RECORD_BYTES - head.length - 3)}"}\n`);
  }
  fs.closeSync(out);
}

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 600_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function committed(rest: string, connector: string): Promise<number> {
  const response = await fetch(`${rest}/connectors/${connector}/offsets`);
  if (!response.ok) return -1;
  const body = await response.json() as { offsets: { offset: { kafka_offset: number } }[] };
  return body.offsets.reduce((sum, o) => sum + o.offset.kafka_offset, 0);
}

async function listObjects(client: S3Client, bucket: string): Promise<{ key: string; size: number }[]> {
  const out: { key: string; size: number }[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
    for (const o of page.Contents ?? []) out.push({ key: o.Key!, size: o.Size ?? 0 });
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
  return out;
}

interface Figures { seconds: number; bytes: number; mbPerSec: number }

const figures = (seconds: number, bytes: number): Figures => ({ seconds, bytes, mbPerSec: bytes / MB / seconds });

async function main(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-bench-s3-'));
  const recordsFile = path.join(work, 'records.jsonl');
  writeRecords(recordsFile);
  const s3 = await startS3rver(path.join(work, 's3'));
  const client = s3Client(s3.url);
  const ferry = await startFerryProcess({
    cli: FERRY_CLI, ready: startReady,
    args: ['start', '--data-dir', path.join(work, 'ferry'), '--broker-port', '0', '--rest-port', '0', '--set', 'offset.flush.interval.ms=200'],
  });
  try {
    for (const bucket of ['sink', 'baseline']) await client.send(new CreateBucketCommand({ Bucket: bucket }));
    const kafka = kafkaClient(ferry.bootstrap!);
    const admin = kafka.admin();
    await admin.connect();
    await createTopics(admin, [{ topic: 'events', numPartitions: 1 }, { topic: 'events.restored', numPartitions: 1 }]);
    await kcatProduce(ferry.bootstrap!, 'events', recordsFile);
    const s3Settings = {
      's3.region': 'us-east-1', 'store.url': s3.url, 'aws.access.key.id': S3RVER_KEY, 'aws.secret.access.key': S3RVER_KEY,
      'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter', 'value.converter.schemas.enable': 'false',
    };

    // Sink: from connector creation to every offset committed.
    const sinkStart = performance.now();
    await createConnector(ferry.rest, 'bench-sink', {
      'connector.class': 'S3Sink', topics: 'events', 's3.bucket.name': 'sink', ...s3Settings,
      'format.class': 'JsonFormat', 'flush.size': String(FLUSH_SIZE), 's3.part.size': String(5 * 1024 * 1024),
    });
    await until(async () => (await committed(ferry.rest, 'bench-sink')) >= RECORDS, 'the sink to commit every record');
    const objects = await listObjects(client, 'sink');
    const sink = figures((performance.now() - sinkStart) / 1000, objects.reduce((s, o) => s + o.size, 0));

    // Baseline upload: the same bytes in the same object sizes, PutObject one at a time.
    const bodies = await Promise.all(objects.map(async (o) => {
      const answer = await client.send(new GetObjectCommand({ Bucket: 'sink', Key: o.key }));
      return Buffer.from(await answer.Body!.transformToByteArray());
    }));
    const uploadStart = performance.now();
    for (const [i, body] of bodies.entries()) await client.send(new PutObjectCommand({ Bucket: 'baseline', Key: `copy/${i}.json`, Body: body }));
    const upload = figures((performance.now() - uploadStart) / 1000, sink.bytes);
    bodies.length = 0;

    // Restore: from connector creation until the restored topic holds every record.
    const restoreStart = performance.now();
    await createConnector(ferry.rest, 'bench-restore', {
      'connector.class': 'S3Source', 's3.bucket.name': 'sink', ...s3Settings, 'topic.rename.format': '${topic}.restored',
    });
    await until(async () => (await endOffset(admin, 'events.restored')) >= RECORDS, 'the restore to produce every record');
    const restore = figures((performance.now() - restoreStart) / 1000, sink.bytes);

    // Baseline download: GetObject of the same objects, one at a time.
    const downloadStart = performance.now();
    for (const o of objects) {
      const answer = await client.send(new GetObjectCommand({ Bucket: 'sink', Key: o.key }));
      await answer.Body!.transformToByteArray();
    }
    const download = figures((performance.now() - downloadStart) / 1000, sink.bytes);
    await admin.disconnect();

    const memory = readMemory(ferry.pid);
    const report = {
      records: RECORDS, recordBytes: RECORD_BYTES, objects: objects.length, objectBytes: Math.round(sink.bytes / objects.length),
      sink, uploadBaseline: upload, sinkRatio: sink.mbPerSec / upload.mbPerSec,
      restore, downloadBaseline: download, restoreRatio: restore.mbPerSec / download.mbPerSec,
      ferryPeakRssBytes: memory.peakRssBytes, target: TARGET_RATIO,
    };
    const row = (name: string, f: Figures, base: Figures, ratio: number) =>
      `${name.padEnd(9)} ${f.mbPerSec.toFixed(1).padStart(8)} MB/s  ${f.seconds.toFixed(2).padStart(7)} s   baseline ${base.mbPerSec.toFixed(1).padStart(7)} MB/s  ${base.seconds.toFixed(2).padStart(6)} s   ratio ${ratio.toFixed(2)}${ratio >= TARGET_RATIO ? '' : `  (below target ${TARGET_RATIO})`}`;
    console.log(`S3 benchmark: ${RECORDS} records of ${RECORD_BYTES} B JSON, ${objects.length} objects of ~${(report.objectBytes / MB).toFixed(1)} MB, s3rver on this host`);
    console.log(row('sink', sink, upload, report.sinkRatio));
    console.log(row('restore', restore, download, report.restoreRatio));
    console.log(`ferry peak memory (VmHWM, broker + worker + connectors): ${(memory.peakRssBytes / MB).toFixed(0)} MB`);
    fs.mkdirSync(OUT_DIR, { recursive: true });
    fs.writeFileSync(path.join(OUT_DIR, 's3.json'), `${JSON.stringify(report, null, 2)}\n`);
  } finally {
    await ferry.stop();
    await s3.stop();
    client.destroy();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
