/**
 * The bare relay of the MirrorMaker benchmark, run as its own process
 * (`node dist/bench/mirror/bare-relay.js '<json RelayJob>'`): ferry's own Kafka client without
 * the Connect runtime. It reads every partition of a topic on the source cluster from the
 * beginning with the PartitionReader connectors get (runtime/kafka/connector-clusters.ts, the
 * same fetch-ahead reader MirrorSourceTask uses) and produces each record, unchanged (key,
 * value, headers, timestamp), to the same partition of a topic on the target cluster with
 * the same client's producer, up to `maxInFlightBytes` of records unacknowledged (the source
 * task runner's bound) and `maxRecordsPerPoll` a poll (MirrorSourceTask's), until every
 * partition reached the end offset it had when the relay started.
 *
 * Protocol on stdio: prints `{"ready":true}` once loaded, starts at a line on stdin (so Node's
 * start-up is not timed), prints `{"records":…,"bytes":…,"seconds":…,"peakRssBytes":…}` at the end and exits 0.
 */
import readline from 'node:readline';
import { pino } from 'pino';
import type { ClusterOutgoingRecord, ClusterProducer } from '../../connectors/sdk/kafka-clusters.js';
import { ConnectorClusters } from '../../runtime/kafka/connector-clusters.js';

export interface RelayJob {
  readonly source: string;
  readonly target: string;
  readonly topic: string;
  readonly targetTopic: string;
  /** Producer properties (the worker's connector producer defaults, so both sides produce alike). */
  readonly producer: Record<string, string>;
  /** Reader (consumer) properties. */
  readonly consumer: Record<string, string>;
  readonly maxInFlightBytes: number;
  readonly maxRecordsPerPoll: number;
}

async function relay(job: RelayJob): Promise<{ records: number; bytes: number }> {
  const clusters = new ConnectorClusters(pino({ level: 'warn' }, pino.destination(2)));
  const source = clusters.connect({ ...job.consumer, 'bootstrap.servers': job.source }, { clientId: 'bench-relay-source' });
  const target = clusters.connect({ ...job.producer, 'bootstrap.servers': job.target }, { clientId: 'bench-relay-target' });
  try {
    const ends = await source.admin().endOffsets(job.topic);
    const remaining = new Map([...ends].filter(([, end]) => end > 0));
    const reader = source.reader();
    reader.assign([...ends.keys()].map((partition) => ({ topic: job.topic, partition, offset: 'earliest' })));
    const producer: ClusterProducer = target.producer();
    const inFlight: { done: Promise<unknown>; bytes: number }[] = [];
    let inFlightBytes = 0;
    let records = 0;
    let bytes = 0;
    while (remaining.size > 0) {
      const fetched = await reader.poll({ maxWaitMs: 500, maxRecords: job.maxRecordsPerPoll });
      if (fetched.length === 0) continue;
      const out: ClusterOutgoingRecord[] = new Array<ClusterOutgoingRecord>(fetched.length);
      let sendBytes = 0;
      for (let i = 0; i < fetched.length; i++) {
        const r = fetched[i]!;
        out[i] = { topic: job.targetTopic, partition: r.partition, key: r.key, value: r.value, headers: r.headers, timestamp: r.timestamp };
        const size = (r.key?.length ?? 0) + (r.value?.length ?? 0);
        sendBytes += size;
        bytes += r.value?.length ?? 0;
        const end = remaining.get(r.partition);
        if (end !== undefined && r.offset + 1 >= end) remaining.delete(r.partition);
      }
      records += fetched.length;
      const done = producer.send(out);
      // Awaited in order below; one failing before its turn must not end the process as an unhandled rejection.
      done.catch(() => undefined);
      inFlight.push({ done, bytes: sendBytes });
      inFlightBytes += sendBytes;
      while (inFlightBytes > job.maxInFlightBytes) {
        const oldest = inFlight.shift()!;
        await oldest.done;
        inFlightBytes -= oldest.bytes;
      }
    }
    await Promise.all(inFlight.map((f) => f.done));
    await reader.close();
    await producer.close();
    return { records, bytes };
  } finally {
    await clusters.closeAll();
  }
}

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2]!) as RelayJob;
  process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
  const lines = readline.createInterface({ input: process.stdin });
  await new Promise<void>((resolve) => lines.once('line', () => resolve()));
  lines.close();
  const start = performance.now();
  const { records, bytes } = await relay(job);
  const seconds = (performance.now() - start) / 1000;
  process.stdout.write(`${JSON.stringify({ records, bytes, seconds, peakRssBytes: process.resourceUsage().maxRSS * 1024 })}\n`);
}

main().then(() => process.exit(0), (err: unknown) => {
  console.error(err);
  process.exit(1);
});
