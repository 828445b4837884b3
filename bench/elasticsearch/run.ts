/**
 * The Elasticsearch benchmark (`npm run bench:elasticsearch`): documents/s of the Elasticsearch
 * sink indexing 1 KiB JSON records from the bundled broker into the Elasticsearch test server
 * (ES 8 mode, the official client) through a `ferry start` worker, next to a same-run baseline:
 * a bare `client.bulk` loop sending the same documents with the same batch size, one request at
 * a time, into the same server.
 *
 * Timed window: the connector is created PAUSED; the clock starts at the resume once its task
 * runs and its group is joined, and stops when the index holds every document. Prints the
 * ratio to the baseline (target 0.8) and the ferry process's peak memory (VmHWM: broker, worker
 * and connector). Writes bench/out/elasticsearch.json.
 *
 * Options: --records N (default 100000), --batch-size N (default 2000, Confluent's batch.size),
 * --cpu-prof (run ferry under node --cpu-prof; prints the hot spots of the timed window, profile in
 * bench/out/profiles/elasticsearch/), --timeline (prints every bulk request the server executed in
 * both windows: when, how many actions, how long the server took, and the gap before it).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from '@elastic/elasticsearch';
import { createTopics, kafkaClient } from '../broker/kafkajs-runs.js';
import { kcatProduce } from '../broker/kcat-runs.js';
import { FERRY_CLI, OUT_DIR, REPO_ROOT } from '../broker/paths.js';
import { cpuSeconds, readMemory } from '../broker/proc-stats.js';
import { startFerryProcess, startReady } from '../runtime/ferry-process.js';
import { formatHotspots, monotonicUs, profileHotspots, type TimeWindow } from '../runtime/profile-hotspots.js';
import { createPaused, groupJoined, resume, tasksPaused, until } from '../s3/connector-control.js';
import { textTable } from '../text-table.js';
import { startElasticsearchTestServer } from '../../test/helpers/elasticsearch-server.js';
import { recordBulkTimings, type BulkTiming } from '../../test/helpers/elasticsearch/bulk.js';

const RECORD_BYTES = 1024;
const TARGET_RATIO = 0.8;
const WARM_UP_RECORDS = 20_000;

const { values: options } = parseArgs({
  options: {
    records: { type: 'string', default: '100000' }, 'batch-size': { type: 'string', default: '2000' },
    'cpu-prof': { type: 'boolean', default: false }, timeline: { type: 'boolean', default: false },
    set: { type: 'string', multiple: true, default: [] },
  },
});
const RECORDS = Number(options.records);
const BATCH = Number(options['batch-size']);

/** One JSON object per line, RECORD_BYTES long including the newline. */
function recordLines(): string[] {
  const filler = 'abcdefghijklmnopqrstuvwxyz0123456789'.repeat(40);
  return Array.from({ length: RECORDS }, (_, i) => {
    const head = `{"id":${i},"user":"user-${i % 997}","amount":${(i * 7) % 10000 / 100},"note":"`;
    return `${head}${filler.slice(0, RECORD_BYTES - head.length - 3)}"}`;
  });
}

/** `docs` into `index` with client.bulk, BATCH documents a request, one request at a time. */
async function bareLoop(client: Client, docs: readonly Record<string, unknown>[], index: string): Promise<void> {
  for (let i = 0; i < docs.length; i += BATCH) {
    const operations: unknown[] = [];
    for (let j = i; j < Math.min(i + BATCH, docs.length); j++) operations.push({ index: { _index: index, _id: `events+0+${j}` } }, docs[j]);
    const answer = await client.bulk({ operations });
    if (answer.errors) throw new Error(`the ${index} bulk had item errors`);
  }
}

/** The server's bulk requests from `fromMs` (performance.now() of this process) on: a summary line, and every request with --timeline. */
function describeBulks(name: string, log: readonly BulkTiming[], fromMs: number, toMs: number): string {
  const entries = log.filter((e) => e.atMs >= fromMs && e.atMs <= toMs);
  const serverMs = entries.reduce((n, e) => n + e.ms, 0);
  const sizes = entries.map((e) => e.items);
  const lines = [`${name}: ${entries.length} bulk requests, ${Math.min(...sizes)}..${Math.max(...sizes)} actions (mean ${(sizes.reduce((a, b) => a + b, 0) / Math.max(1, entries.length)).toFixed(0)}), `
    + `server parse+execute ${serverMs.toFixed(0)} ms of ${(toMs - fromMs).toFixed(0)} ms, first request ${((entries[0]?.atMs ?? fromMs) - fromMs).toFixed(0)} ms after the start`];
  if (options.timeline) {
    let previousEnd = fromMs;
    for (const e of entries) {
      lines.push(`  +${(e.atMs - fromMs).toFixed(0).padStart(6)} ms  ${String(e.items).padStart(5)} actions  server ${e.ms.toFixed(1).padStart(6)} ms  gap ${(e.atMs - previousEnd).toFixed(1).padStart(6)} ms`);
      previousEnd = e.atMs + e.ms;
    }
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-bench-es-'));
  const lines = recordLines();
  const recordsFile = path.join(work, 'records.jsonl');
  fs.writeFileSync(recordsFile, `${lines.join('\n')}\n`);
  const es = await startElasticsearchTestServer({ mode: 'es8' });
  const bulkLog = recordBulkTimings();
  const profileDir = options['cpu-prof'] ? path.join(OUT_DIR, 'profiles', 'elasticsearch') : undefined;
  if (profileDir) fs.rmSync(profileDir, { recursive: true, force: true });
  const ferry = await startFerryProcess({
    cli: FERRY_CLI, ready: startReady, cpuProfDir: profileDir,
    args: ['start', '--data-dir', path.join(work, 'ferry'), '--broker-port', '0', '--rest-port', '0', '--set', 'offset.flush.interval.ms=1000'],
  });
  let stopped = false;
  try {
    const admin = kafkaClient(ferry.bootstrap!).admin();
    await admin.connect();
    await createTopics(admin, [{ topic: 'events', numPartitions: 1 }]);
    await kcatProduce(ferry.bootstrap!, 'events', recordsFile);

    await createPaused(ferry.rest, 'bench-es', {
      'connector.class': 'ElasticsearchSink', topics: 'events', 'connection.url': es.url,
      'key.ignore': 'true', 'schema.ignore': 'true', 'batch.size': String(BATCH),
      // A paused consumer (kafkajs) sleeps fetch.max.wait.ms (500 ms) between polls, so the timed window
      // would open with up to 500 ms of nothing after the resume; 50 ms keeps that out of the figures and
      // changes nothing else (the topic is full: every fetch is answered at once).
      'consumer.override.fetch.max.wait.ms': '50',
      'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter', 'value.converter.schemas.enable': 'false',
      ...Object.fromEntries(options.set.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)])),
    });
    await until(() => tasksPaused(ferry.rest, 'bench-es'), 'the sink task to start paused');
    await until(() => groupJoined(admin, 'bench-es'), 'the sink to join its group');
    await admin.disconnect();
    // Warm the test server (it runs in this process) before either timed window: the sink goes first
    // and would otherwise pay for the server's JIT warm-up (its first bulks took 4x as long).
    const client = new Client({ node: es.url });
    const docs = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    await bareLoop(client, docs.slice(0, Math.min(docs.length, WARM_UP_RECORDS)), 'warm-up');
    es.deleteIndex('warm-up');
    const warmedUp = es.stats().items;
    const cpu = cpuSeconds(ferry.pid);
    const sinkStart = performance.now();
    const window: TimeWindow = { startUs: monotonicUs(), endUs: 0 };
    await resume(ferry.rest, 'bench-es');
    // Counted from the server's item statuses (cheap), not by copying the index while it is written to.
    const indexed = () => { const s = es.stats().itemStatuses; return (s['200'] ?? 0) + (s['201'] ?? 0) - warmedUp; };
    await until(async () => indexed() >= RECORDS, 'the sink to index every record', 600_000, 20);
    const sinkEnd = performance.now();
    window.endUs = monotonicUs();
    const sinkSeconds = (sinkEnd - sinkStart) / 1000;
    const sinkCpu = cpuSeconds(ferry.pid) - cpu;

    // Baseline: the same documents, the same batch size, client.bulk one request at a time.
    const baseStart = performance.now();
    await bareLoop(client, docs, 'baseline');
    const baseEnd = performance.now();
    const baseSeconds = (baseEnd - baseStart) / 1000;
    await client.close();
    if (es.documents('events').size !== RECORDS) throw new Error('the sink did not index every document exactly once');
    if (es.documents('baseline').size !== RECORDS) throw new Error('the baseline did not index every document');

    const memory = readMemory(ferry.pid);
    const sinkRate = RECORDS / sinkSeconds;
    const baseRate = RECORDS / baseSeconds;
    const ratio = sinkRate / baseRate;
    console.log(`Elasticsearch benchmark: ${RECORDS} JSON records of ${RECORD_BYTES} B, batch ${BATCH}, test server (es8 mode) in the bench process, load average ${os.loadavg()[0]!.toFixed(1)}`);
    console.log(textTable(['path', 'docs/s', 'seconds', 'ferry CPU s'], [
      ['ferry worker + Elasticsearch sink', sinkRate.toFixed(0), sinkSeconds.toFixed(2), sinkCpu.toFixed(2)],
      ['bare client.bulk loop', baseRate.toFixed(0), baseSeconds.toFixed(2), '-'],
    ], [false, true, true, true]));
    console.log(`ratio ${ratio.toFixed(2)} (target ${TARGET_RATIO})${ratio >= TARGET_RATIO ? '' : '  below target'}`);
    console.log(`ferry peak memory (VmHWM, broker + worker + connector): ${(memory.peakRssBytes / 1e6).toFixed(0)} MB`);
    const log = bulkLog;
    console.log(describeBulks('ferry', log, sinkStart, sinkEnd));
    console.log(describeBulks('baseline', log, baseStart, baseEnd));
    fs.mkdirSync(OUT_DIR, { recursive: true });
    fs.writeFileSync(path.join(OUT_DIR, 'elasticsearch.json'), `${JSON.stringify({
      records: RECORDS, recordBytes: RECORD_BYTES, batchSize: BATCH, sink: { seconds: sinkSeconds, docsPerSec: sinkRate, ferryCpuSeconds: sinkCpu },
      baseline: { seconds: baseSeconds, docsPerSec: baseRate }, ratio, target: TARGET_RATIO, ferryPeakRssBytes: memory.peakRssBytes,
    }, null, 2)}\n`);
    await ferry.stop();
    stopped = true;
    if (profileDir) {
      const file = fs.readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile'));
      if (file === undefined) throw new Error(`no .cpuprofile in ${profileDir}`);
      console.log(formatHotspots(`ferry during the sink window (${path.relative(REPO_ROOT, path.join(profileDir, file))})`, profileHotspots(path.join(profileDir, file), REPO_ROOT, window), 25));
    }
  } finally {
    if (!stopped) await ferry.stop();
    await es.close();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
