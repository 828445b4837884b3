/**
 * The S3 benchmark (`npm run bench:s3`): MB/s of the S3 sink writing 1 KiB JSON records from
 * the bundled broker into s3rver through a `ferry start` worker, and of the S3 source
 * restoring them into another topic, each next to a same-run baseline against the same s3rver:
 * a bare @aws-sdk/client-s3 loop uploading (PutObject) and downloading (GetObject) the same
 * bytes in the same object sizes, one object at a time.
 *
 * Timed windows (data path only, like the baseline's): each connector is created PAUSED and
 * the clock starts when it is resumed, once its task runs (and, for the sink, its consumer
 * group is joined). Sink time ends when every byte is in completed objects in the bucket (the
 * baseline ends at its last PutObject); the offset commit that follows is reported separately
 * (it waits for offset.flush.interval.ms). Restore time ends when the restored topic holds
 * every record. Also prints the CPU seconds of the ferry process and of s3rver per window (on a
 * two-core machine the ratio is bounded by what both need), and ferry's peak memory
 * (VmHWM: broker, worker and both connectors). Writes bench/out/s3[-bytes].json.
 *
 * Rounds: the four windows (sink, upload baseline, restore, download baseline) run --rounds
 * times (default 3), each round with a new sink connector and bucket and a new restored topic,
 * and each ratio compares ferry with the baseline run right after it. The verdict is the median
 * ratio, and every round is printed. One round alone was not a measurement on our VMs: the
 * same baseline ran at 113 MB/s in one run and at 178 MB/s in the next, and its ratio moved with
 * it.
 *
 * Exactly-once restore (issue 13): a second `ferry start` with
 * exactly.once.source.support=enabled restores the same objects twice more, with
 * transaction.boundary=poll (the default: one transaction per poll of batch.size records) and
 * with a 1 s interval; its time ends when the source offsets of the last record are committed,
 * which happens in the transaction that makes the record visible to read_committed readers.
 * Each is reported as a ratio against the median restore (the first round's bucket).
 *
 * Options: --records N (default 500000: windows of several seconds, where compiling the code
 * paths and growing the heaps of ferry and s3rver no longer weigh much; 100,000 gave windows of
 * about 1.5 s), --flush-size N (records per object, default 10000),
 * --format json|bytes (json: JsonConverter + JsonFormat, the issue's figure; bytes:
 * ByteArrayConverter + ByteArrayFormat, the same bytes without JSON parsing and writing, which
 * shows what the connector does apart from conversion), --cpu-prof (run ferry under
 * node --cpu-prof; prints the hot spots of each window, profile in bench/out/profiles/s3/),
 * --fetch-bytes N (the sink's consumer.override.max.partition.fetch.bytes; default: the
 * worker's, 1 MiB as in Kafka), --part-size N (the sink's s3.part.size; default: the
 * connector's, 25 MiB as in Confluent's, so the ~10 MB objects go up in one PutObject like the
 * baseline's; a smaller size streams them in parts, and s3rver then copies every part again
 * when the upload completes, work a bare PutObject loop does not cause), --s3-latency-ms N (ferry and
 * the baselines reach s3rver through a proxy that delays every chunk by N ms each way, as a link
 * to a remote S3 would; default 0, s3rver over loopback).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CreateBucketCommand, DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createTopics, endOffset, kafkaClient } from '../broker/kafkajs-runs.js';
import { kcatProduce } from '../broker/kcat-runs.js';
import { freshlyFreedPageCache } from '../broker/freed-page-cache.js';
import { FERRY_CLI, OUT_DIR, REPO_ROOT } from '../broker/paths.js';
import { cpuSeconds, readMemory } from '../broker/proc-stats.js';
import { startFerryProcess, startReady } from '../runtime/ferry-process.js';
import { formatHotspots, monotonicUs, profileHotspots, type TimeWindow } from '../runtime/profile-hotspots.js';
import { committed, createPaused, groupJoined, remove, restoredThrough, resume, tasksPaused, until } from './connector-control.js';
import { S3RVER_KEY, s3Client, startS3rver } from './s3rver-process.js';
import { startDelayProxy } from '../../test/helpers/delay-proxy.js';
import { median } from '../median.js';

const RECORD_BYTES = 1024;
const TARGET_RATIO = 0.8;
const MB = 1e6;
const WARM_UP_OBJECTS = 5;

const { values: options } = parseArgs({
  options: {
    records: { type: 'string', default: '500000' }, 'flush-size': { type: 'string', default: '10000' },
    format: { type: 'string', default: 'json' }, 'cpu-prof': { type: 'boolean', default: false },
    'fetch-bytes': { type: 'string' }, 'part-size': { type: 'string' }, 's3-latency-ms': { type: 'string', default: '0' },
    rounds: { type: 'string', default: '3' },
  },
});
const RECORDS = Number(options.records);
const FLUSH_SIZE = Number(options['flush-size']);
const S3_LATENCY_MS = Number(options['s3-latency-ms']);
if (!(S3_LATENCY_MS >= 0)) throw new Error('--s3-latency-ms must be a number of milliseconds');
if (options.format !== 'json' && options.format !== 'bytes') throw new Error('--format must be json or bytes');
const BYTES_MODE = options.format === 'bytes';
const ROUNDS = Number(options.rounds);
if (!(Number.isInteger(ROUNDS) && ROUNDS >= 1)) throw new Error('--rounds must be a whole number of at least 1');

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

async function objectExists(client: S3Client, bucket: string, key: string): Promise<boolean> {
  try {
    await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return true;
  } catch (err) {
    if ((err as { name?: string }).name === 'NotFound') return false;
    throw err;
  }
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

/**
 * Runs s3rver's PutObject path a few times with objects of the benchmark's size before anything
 * is timed, then deletes them: otherwise the first timed window (the sink's) also paid for
 * compiling s3rver's code and growing its heap, and the baseline after it did not.
 */
async function warmUpS3rver(client: S3Client, recordsFile: string): Promise<void> {
  const body = Buffer.alloc(Math.min(RECORDS, FLUSH_SIZE) * RECORD_BYTES);
  const fd = fs.openSync(recordsFile, 'r');
  fs.readSync(fd, body, 0, body.length, 0);
  fs.closeSync(fd);
  await client.send(new CreateBucketCommand({ Bucket: 'warm-up' }));
  for (let i = 0; i < WARM_UP_OBJECTS; i++) await client.send(new PutObjectCommand({ Bucket: 'warm-up', Key: `object-${i}`, Body: body }));
  for (let i = 0; i < WARM_UP_OBJECTS; i++) await client.send(new DeleteObjectCommand({ Bucket: 'warm-up', Key: `object-${i}` }));
}

/** CPU seconds of s3rver is part of every window's figures: both sides of a ratio share the machine's two cores with it. */
interface Figures { seconds: number; bytes: number; mbPerSec: number; s3rverCpuSeconds: number; ferryCpuSeconds?: number }

const figures = (seconds: number, bytes: number, s3rverCpuSeconds: number, ferryCpuSeconds?: number): Figures =>
  ({ seconds, bytes, mbPerSec: bytes / MB / seconds, s3rverCpuSeconds, ...(ferryCpuSeconds === undefined ? {} : { ferryCpuSeconds }) });

/** One round: the sink and its upload baseline, then the restore of the sink's bucket and its download baseline. */
interface Round {
  readonly objects: number;
  readonly sinkSetupSeconds: number;
  readonly sink: Figures;
  readonly commitLagSeconds: number;
  readonly uploadBaseline: Figures;
  readonly sinkRatio: number;
  readonly restore: Figures;
  readonly downloadBaseline: Figures;
  readonly restoreRatio: number;
}

async function main(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-bench-s3-'));
  const recordsFile = path.join(work, 'records.jsonl');
  writeRecords(recordsFile);
  const expectedBytes = RECORDS * RECORD_BYTES;
  const profileDir = options['cpu-prof'] ? path.join(OUT_DIR, 'profiles', 's3') : undefined;
  if (profileDir) fs.rmSync(profileDir, { recursive: true, force: true });
  const s3 = await startS3rver(path.join(work, 's3'));
  // With --s3-latency-ms, ferry and the baseline both reach s3rver through the same delaying link.
  const link = S3_LATENCY_MS > 0 ? await startDelayProxy({ target: { host: '127.0.0.1', port: Number(new URL(s3.url).port) }, delayMs: S3_LATENCY_MS }) : null;
  const s3Url = link === null ? s3.url : `http://127.0.0.1:${link.port}`;
  const client = s3Client(s3Url);
  const ferry = await startFerryProcess({
    cli: FERRY_CLI, ready: startReady, cpuProfDir: profileDir,
    args: ['start', '--data-dir', path.join(work, 'ferry'), '--broker-port', '0', '--rest-port', '0', '--set', 'offset.flush.interval.ms=200'],
  });
  const windows: { name: string; window: TimeWindow }[] = [];
  let stopped = false;
  try {
    const kafka = kafkaClient(ferry.bootstrap!);
    const admin = kafka.admin();
    await admin.connect();
    await createTopics(admin, [{ topic: 'events', numPartitions: 1 }]);
    await kcatProduce(ferry.bootstrap!, 'events', recordsFile);
    const valueConverter: Record<string, string> = BYTES_MODE
      ? { 'value.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter' }
      : { 'value.converter': 'org.apache.kafka.connect.json.JsonConverter', 'value.converter.schemas.enable': 'false' };
    const s3Settings = {
      's3.region': 'us-east-1', 'store.url': s3Url, 'aws.access.key.id': S3RVER_KEY, 'aws.secret.access.key': S3RVER_KEY,
      'key.converter': 'org.apache.kafka.connect.storage.StringConverter', ...valueConverter,
    };
    const lastStart = String(Math.floor((RECORDS - 1) / FLUSH_SIZE) * FLUSH_SIZE).padStart(10, '0');
    const lastObjectKey = `topics/events/partition=0/events+0+${lastStart}.${BYTES_MODE ? 'bin' : 'json'}`;

    /**
     * Starts a timed window: its clock and the CPU seconds of s3rver and, for ferry's windows, of
     * ferry; `figures` gives the window's figures for `bytes`, timed to now unless `seconds` says.
     */
    const openWindow = (ferryWindow: boolean) => {
      const ferryCpu = ferryWindow ? cpuSeconds(ferry.pid) : 0;
      const s3rverCpu = cpuSeconds(s3.pid);
      const startUs = monotonicUs();
      const start = performance.now();
      const elapsed = () => (performance.now() - start) / 1000;
      return {
        startUs, elapsed,
        figures: (bytes: number, seconds = elapsed()) =>
          figures(seconds, bytes, cpuSeconds(s3.pid) - s3rverCpu, ferryWindow ? cpuSeconds(ferry.pid) - ferryCpu : undefined),
      };
    };

    /** Round `r`: the sink into bucket sink-<r>, the upload baseline, the restore of that bucket, the download baseline. */
    const runRound = async (r: number): Promise<Round> => {
      const sinkName = `bench-sink-${r}`;
      const bucket = `sink-${r}`;
      await client.send(new CreateBucketCommand({ Bucket: bucket }));
      await createTopics(admin, [{ topic: `events.restored-${r}`, numPartitions: 1 }]);

      // Sink: from the resume of a started, paused connector whose group is joined, until every byte is in completed objects.
      const setupStart = performance.now();
      await createPaused(ferry.rest, sinkName, {
        'connector.class': 'S3Sink', topics: 'events', 's3.bucket.name': bucket, ...s3Settings,
        ...(options['fetch-bytes'] === undefined ? {} : { 'consumer.override.max.partition.fetch.bytes': options['fetch-bytes'] }),
        'format.class': BYTES_MODE ? 'ByteArrayFormat' : 'JsonFormat', 'flush.size': String(FLUSH_SIZE),
        ...(options['part-size'] === undefined ? {} : { 's3.part.size': options['part-size'] }),
      });
      await until(() => tasksPaused(ferry.rest, sinkName), 'the sink task to start paused');
      await until(() => groupJoined(admin, sinkName), 'the sink to join its group');
      const sinkSetupSeconds = (performance.now() - setupStart) / 1000;
      // Every timed window that writes starts with freshly freed memory (see bench/broker/freed-page-cache.ts).
      if (r === 1) await warmUpS3rver(client, recordsFile);
      freshlyFreedPageCache(work, expectedBytes * 1.2);
      const sinkWindow = openWindow(true);
      await resume(ferry.rest, sinkName);
      // Polled with HeadObject of the last object, not with listings: s3rver reads the metadata of
      // every object for a listing, and listing every 20 ms doubled its CPU during the sink window,
      // CPU the sink and s3rver then lacked. A partition's objects complete in offset order.
      let sinkSeconds = 0;
      let objects: { key: string; size: number }[] = [];
      await until(async () => {
        if (!await objectExists(client, bucket, lastObjectKey)) return false;
        sinkSeconds = sinkWindow.elapsed();
        objects = await listObjects(client, bucket);
        return objects.reduce((sum, o) => sum + o.size, 0) >= expectedBytes;
      }, 'the sink to upload every record');
      windows.push({ name: `sink, round ${r}`, window: { startUs: sinkWindow.startUs, endUs: monotonicUs() } });
      const sink = sinkWindow.figures(objects.reduce((sum, o) => sum + o.size, 0), sinkSeconds);
      await until(async () => (await committed(ferry.rest, sinkName)) >= RECORDS, 'the sink to commit every record');
      const commitLagSeconds = sinkWindow.elapsed() - sinkSeconds;
      await remove(ferry.rest, sinkName);

      // Baseline upload: the same bytes in the same object sizes, PutObject one at a time.
      const bodies = await Promise.all(objects.map(async (o) => {
        const answer = await client.send(new GetObjectCommand({ Bucket: bucket, Key: o.key }));
        return Buffer.from(await answer.Body!.transformToByteArray());
      }));
      freshlyFreedPageCache(work, expectedBytes * 1.2);
      const uploadWindow = openWindow(false);
      for (const [i, body] of bodies.entries()) await client.send(new PutObjectCommand({ Bucket: 'baseline', Key: `copy-${r}/${i}.json`, Body: body }));
      const upload = uploadWindow.figures(sink.bytes);
      bodies.length = 0;

      // Restore: from the resume of a started, paused source until the restored topic holds every record.
      const restoreName = `bench-restore-${r}`;
      await createPaused(ferry.rest, restoreName, {
        'connector.class': 'S3Source', 's3.bucket.name': bucket, ...s3Settings, 'topic.rename.format': `\${topic}.restored-${r}`,
      });
      await until(() => tasksPaused(ferry.rest, restoreName), 'the restore task to start paused');
      freshlyFreedPageCache(work, expectedBytes * 1.2);
      const restoreWindow = openWindow(true);
      await resume(ferry.rest, restoreName);
      await until(async () => (await endOffset(admin, `events.restored-${r}`)) >= RECORDS, 'the restore to produce every record');
      const restore = restoreWindow.figures(sink.bytes);
      windows.push({ name: `restore, round ${r}`, window: { startUs: restoreWindow.startUs, endUs: monotonicUs() } });
      await remove(ferry.rest, restoreName);

      // Baseline download: GetObject of the same objects, one at a time.
      const downloadWindow = openWindow(false);
      for (const o of objects) {
        const answer = await client.send(new GetObjectCommand({ Bucket: bucket, Key: o.key }));
        await answer.Body!.transformToByteArray();
      }
      const download = downloadWindow.figures(sink.bytes);
      return {
        objects: objects.length, sinkSetupSeconds, sink, commitLagSeconds, uploadBaseline: upload, sinkRatio: sink.mbPerSec / upload.mbPerSec,
        restore, downloadBaseline: download, restoreRatio: restore.mbPerSec / download.mbPerSec,
      };
    };

    await client.send(new CreateBucketCommand({ Bucket: 'baseline' }));
    const rounds: Round[] = [];
    for (let r = 1; r <= ROUNDS; r++) rounds.push(await runRound(r));
    await admin.disconnect();
    const medianSinkRatio = median(rounds.map((x) => x.sinkRatio));
    const medianRestoreRatio = median(rounds.map((x) => x.restoreRatio));
    const medianRestoreMbPerSec = median(rounds.map((x) => x.restore.mbPerSec));
    const objects = rounds[0]!.objects;
    const bytes = rounds[0]!.sink.bytes;

    // Exactly-once restores on a second ferry whose worker has exactly-once source support.
    const eosFerry = await startFerryProcess({
      cli: FERRY_CLI, ready: startReady,
      args: ['start', '--data-dir', path.join(work, 'ferry-eos'), '--broker-port', '0', '--rest-port', '0',
        '--set', 'offset.flush.interval.ms=200', '--set', 'exactly.once.source.support=enabled'],
    });
    const eos: Record<'poll' | 'interval', Figures> = {} as Record<'poll' | 'interval', Figures>;
    let eosPeakRssBytes = 0;
    try {
      const eosAdmin = kafkaClient(eosFerry.bootstrap!).admin();
      await eosAdmin.connect();
      await createTopics(eosAdmin, [{ topic: 'events.eos-poll', numPartitions: 1 }, { topic: 'events.eos-interval', numPartitions: 1 }]);
      await eosAdmin.disconnect();
      for (const boundary of ['poll', 'interval'] as const) {
        const name = `bench-restore-eos-${boundary}`;
        await createPaused(eosFerry.rest, name, {
          'connector.class': 'S3Source', 's3.bucket.name': 'sink-1', ...s3Settings, 'topic.rename.format': `\${topic}.eos-${boundary}`,
          'exactly.once.support': 'required', 'transaction.boundary': boundary,
          ...(boundary === 'interval' ? { 'transaction.boundary.interval.ms': '1000' } : {}),
        });
        await until(() => tasksPaused(eosFerry.rest, name), `the ${boundary}-boundary exactly-once restore task to start paused`);
        const cpu = cpuSeconds(eosFerry.pid);
        const s3rverCpu = cpuSeconds(s3.pid);
        const start = performance.now();
        await resume(eosFerry.rest, name);
        await until(async () => (await restoredThrough(eosFerry.rest, name)) >= RECORDS - 1, `the ${boundary}-boundary exactly-once restore to commit every record`);
        eos[boundary] = figures((performance.now() - start) / 1000, bytes, cpuSeconds(s3.pid) - s3rverCpu, cpuSeconds(eosFerry.pid) - cpu);
      }
      eosPeakRssBytes = readMemory(eosFerry.pid).peakRssBytes;
    } finally {
      await eosFerry.stop();
    }

    const memory = readMemory(ferry.pid);
    const report = {
      format: options.format, records: RECORDS, recordBytes: RECORD_BYTES, objects, objectBytes: Math.round(bytes / objects),
      rounds, medianSinkRatio, medianRestoreRatio,
      restoreEosPoll: eos.poll, restoreEosPollRatio: eos.poll.mbPerSec / medianRestoreMbPerSec,
      restoreEosInterval: eos.interval, restoreEosIntervalRatio: eos.interval.mbPerSec / medianRestoreMbPerSec,
      ferryPeakRssBytes: memory.peakRssBytes, eosFerryPeakRssBytes: eosPeakRssBytes, target: TARGET_RATIO,
    };
    const verdict = (ratio: number) => `${ratio.toFixed(2)}${ratio >= TARGET_RATIO ? '' : `  (below target ${TARGET_RATIO})`}`;
    const row = (name: string, f: Figures, base: Figures, ratio: number) =>
      `${name.padEnd(18)} ${f.mbPerSec.toFixed(1).padStart(6)} MB/s  ${f.seconds.toFixed(2).padStart(5)} s  ferry CPU ${f.ferryCpuSeconds!.toFixed(2).padStart(4)} s  s3rver CPU ${f.s3rverCpuSeconds.toFixed(2).padStart(4)} s   baseline ${base.mbPerSec.toFixed(1).padStart(6)} MB/s  ${base.seconds.toFixed(2).padStart(5)} s  s3rver CPU ${base.s3rverCpuSeconds.toFixed(2).padStart(4)} s   ratio ${ratio.toFixed(2)}`;
    console.log(`S3 benchmark (${BYTES_MODE ? 'ByteArrayConverter + ByteArrayFormat' : 'JsonConverter + JsonFormat'}): ${RECORDS} records of ${RECORD_BYTES} B, ${objects} objects of ~${(report.objectBytes / MB).toFixed(1)} MB (s3.part.size ${options['part-size'] ?? 'default'}), s3rver on this host, ${ROUNDS} rounds, load average ${os.loadavg()[0]!.toFixed(1)}`);
    for (const [i, round] of rounds.entries()) {
      console.log(row(`sink, round ${i + 1}`, round.sink, round.uploadBaseline, round.sinkRatio));
      console.log(row(`restore, round ${i + 1}`, round.restore, round.downloadBaseline, round.restoreRatio));
    }
    console.log(`median of ${ROUNDS} rounds: sink ratio ${verdict(medianSinkRatio)}; restore ratio ${verdict(medianRestoreRatio)}`);
    const eosRow = (name: string, f: Figures, ratio: number) =>
      `${name.padEnd(22)} ${f.mbPerSec.toFixed(1).padStart(8)} MB/s  ${f.seconds.toFixed(2).padStart(7)} s  ferry CPU ${f.ferryCpuSeconds!.toFixed(2).padStart(5)} s   ${ratio.toFixed(2)} of the median restore`;
    console.log('exactly-once restore (second ferry, exactly.once.source.support=enabled, timed to the commit of the last record):');
    console.log(eosRow('  poll boundary', eos.poll, report.restoreEosPollRatio));
    console.log(eosRow('  1 s interval boundary', eos.interval, report.restoreEosIntervalRatio));
    console.log(`sink start-up (create, task start, group join; not timed): ${rounds.map((x) => x.sinkSetupSeconds.toFixed(2)).join(', ')} s; offsets committed ${rounds.map((x) => (x.commitLagSeconds * 1000).toFixed(0)).join(', ')} ms after the last upload`);
    console.log(`ferry peak memory (VmHWM, broker + worker + connectors): ${(memory.peakRssBytes / MB).toFixed(0)} MB; exactly-once ferry ${(eosPeakRssBytes / MB).toFixed(0)} MB`);
    fs.mkdirSync(OUT_DIR, { recursive: true });
    fs.writeFileSync(path.join(OUT_DIR, BYTES_MODE ? 's3-bytes.json' : 's3.json'), `${JSON.stringify(report, null, 2)}\n`);
    await ferry.stop();
    stopped = true;
    if (profileDir) {
      const file = fs.readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile'));
      if (file === undefined) throw new Error(`no .cpuprofile in ${profileDir}`);
      for (const { name, window } of windows) {
        console.log(formatHotspots(`ferry during ${name} (${path.relative(REPO_ROOT, path.join(profileDir, file))})`, profileHotspots(path.join(profileDir, file), REPO_ROOT, window), 25));
      }
    }
  } finally {
    if (!stopped) await ferry.stop();
    await link?.close();
    await s3.stop();
    client.destroy();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
