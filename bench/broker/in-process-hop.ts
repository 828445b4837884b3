/**
 * What the in-process connection saves (`npm run bench:in-process`): a broker and a wire client
 * in one Node process, as `ferry start` runs them, producing 1 KiB records to the broker and
 * reading them back, once over loopback TCP (the same-run baseline) and once in process, in
 * alternating pairs. Prints each pair's wall time, MB/s and the process's user and system CPU,
 * then the medians and the in-process figures as a share of TCP's.
 *
 * Options: --records N (default 500000), --pairs N (default 3).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { startBroker } from '../../broker/broker.js';
import { DEFAULT_BROKER_CONFIG } from '../../broker/broker-config.js';
import { createKafkaClient } from '../../runtime/kafka/create-kafka-client.js';
import { registerInProcessBroker } from '../../runtime/kafka/wire/in-process-brokers.js';
import { median } from '../median.js';

const { values: options } = parseArgs({
  options: { records: { type: 'string', default: '500000' }, pairs: { type: 'string', default: '3' } },
});
const RECORDS = Number(options.records);
const PAIRS = Number(options.pairs);
const VALUE = Buffer.alloc(1024, 0x61);
const RECORDS_PER_SEND = 5000;
const SENDS_IN_FLIGHT = 8;
const MB = RECORDS * VALUE.length / 1e6;

interface Phase {
  readonly seconds: number;
  readonly user: number;
  readonly system: number;
}

interface Run {
  readonly produce: Phase;
  readonly consume: Phase;
}

async function timed(work: () => Promise<void>): Promise<Phase> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  await work();
  const used = process.cpuUsage(cpu);
  return { seconds: (performance.now() - start) / 1000, user: used.user / 1e6, system: used.system / 1e6 };
}

/** One broker, one client: produce every record, then read them all back. */
async function run(inProcess: boolean): Promise<Run> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-bench-hop-'));
  const silent = pino({ level: 'silent' });
  const broker = await startBroker({ ...DEFAULT_BROKER_CONFIG, port: 0, dataDir, groupInitialRebalanceDelayMs: 0 }, silent);
  const leave = inProcess
    ? registerInProcessBroker([{ host: '127.0.0.1', port: broker.port }], (target) => broker.connectInProcess(target))
    : () => {};
  const client = createKafkaClient({
    bootstrapServers: `127.0.0.1:${broker.port}`, clientId: 'bench-hop', producer: { 'linger.ms': '5' }, logger: silent,
  });
  try {
    const topic = 'hop';
    await client.admin({ clientId: 'bench-hop-admin', role: 'internal' }).ensureTopic({ name: topic, partitions: 1, replicationFactor: 1 });
    const producer = client.producer({ clientId: 'bench-hop-producer', role: 'connector' });
    const produce = await timed(async () => {
      const sends: Promise<unknown>[] = [];
      for (let sent = 0; sent < RECORDS; sent += RECORDS_PER_SEND) {
        const batch = Array.from({ length: Math.min(RECORDS_PER_SEND, RECORDS - sent) },
          () => ({ topic, partition: 0, key: null, value: VALUE, headers: [] }));
        sends.push(producer.send(batch));
        if (sends.length >= SENDS_IN_FLIGHT) await sends.shift();
      }
      await Promise.all(sends);
    });
    await producer.close();
    let read = 0;
    const reader = client.topicReader({ topic, clientId: 'bench-hop-reader' });
    reader.onRecord(() => { read++; });
    const consume = await timed(async () => {
      await reader.start();
      await reader.readToEnd();
    });
    await reader.stop();
    if (read !== RECORDS) throw new Error(`read ${read} records of ${RECORDS}`);
    return { produce, consume };
  } finally {
    await client.close();
    leave();
    await broker.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

const line = (label: string, p: Phase): string =>
  `${label.padEnd(28)} ${p.seconds.toFixed(2).padStart(6)} s ${(MB / p.seconds).toFixed(0).padStart(5)} MB/s   user ${p.user.toFixed(2)} s  system ${p.system.toFixed(2)} s`;

console.log(`In-process connection vs loopback TCP: ${RECORDS} records of ${VALUE.length} B produced and read back, broker and client in one process, ${PAIRS} pairs`);
const runs: Record<'tcp' | 'inProcess', Run[]> = { tcp: [], inProcess: [] };
for (let pair = 1; pair <= PAIRS; pair++) {
  for (const inProcess of [false, true]) {
    const result = await run(inProcess);
    (inProcess ? runs.inProcess : runs.tcp).push(result);
    const name = inProcess ? 'in process' : 'tcp';
    console.log(line(`${name} produce, pair ${pair}`, result.produce));
    console.log(line(`${name} consume, pair ${pair}`, result.consume));
  }
}
for (const phase of ['produce', 'consume'] as const) {
  const pick = (side: Run[], field: keyof Phase) => median(side.map((r) => r[phase][field]));
  const cpu = (side: Run[]) => median(side.map((r) => r[phase].user + r[phase].system));
  console.log(`${phase} medians: in process ${(MB / pick(runs.inProcess, 'seconds')).toFixed(0)} MB/s, CPU ${cpu(runs.inProcess).toFixed(2)} s; `
    + `tcp ${(MB / pick(runs.tcp, 'seconds')).toFixed(0)} MB/s, CPU ${cpu(runs.tcp).toFixed(2)} s; `
    + `in-process CPU ${(cpu(runs.inProcess) / cpu(runs.tcp)).toFixed(2)} of tcp's, time ${(pick(runs.inProcess, 'seconds') / pick(runs.tcp, 'seconds')).toFixed(2)} of tcp's`);
}
